"""`workshop serve --dir DIR --lang de|en`: a JupyterHub for a workshop on this machine."""
import argparse
import sys
from pathlib import Path

from autograder.i18n import argparse_in, help_formatter, translate_metavars, user_language
from coursebuild import LANGUAGES

from . import env, serve


def build_parser(lang: str = "en") -> argparse.ArgumentParser:
    """The parser with its help in `lang`, from the autograder's catalogue (argparse's own words:
    within autograder.i18n.argparse_in)."""
    parser = argparse.ArgumentParser(prog="workshop", description="A JupyterHub with the course for one workshop.",
                                     formatter_class=help_formatter(lang))
    sub = parser.add_subparsers(dest="command", required=True)
    p = sub.add_parser("serve", help="run the hub in the foreground (Ctrl-C stops it and every participant's server)",
                       formatter_class=help_formatter(lang))
    p.add_argument("--dir", type=Path, required=True, help="folder for all of the workshop's state (kept across restarts)")
    p.add_argument("--lang", choices=LANGUAGES, required=True, help="language of the course")
    p.add_argument("--ip", default="127.0.0.1", help="address to listen on (default 127.0.0.1; 0.0.0.0 for all)")
    p.add_argument("--port", type=int, default=8000, help="port to listen on (default 8000)")
    p.add_argument("--mem-limit", default="700M",
                   help="memory per participant (default 700M: 30 participants fit in 24 GB)")
    p.add_argument("--cpu-limit", type=float, default=1.0,
                   help="CPU cores one participant may use at most (default 1; idle cores are shared)")
    p.add_argument("--idle-timeout", type=int, default=3600,
                   help="seconds without activity after which a server is stopped (files stay)")
    p.add_argument("--env", type=Path, default=env.DEFAULT,
                   help="the participants' Python environment (default %(default)s; made on first start)")
    return translate_metavars(parser, lang)


def main(argv=None) -> int:
    lang = user_language()
    with argparse_in(lang):
        args = build_parser(lang).parse_args(argv)
    try:
        return serve.serve(args.dir, args.lang, args.ip, args.port, args.mem_limit, args.cpu_limit,
                           args.idle_timeout, args.env)
    except (serve.ServeError, ValueError) as exc:
        print(f"workshop: {exc}", file=sys.stderr)
        return 2


if __name__ == "__main__":
    sys.exit(main())
