"""`coursebuild site|notebooks|data`: the build steps behind `make`."""
import argparse
import sys
from pathlib import Path

from . import BUILD


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(prog="coursebuild", description="Build the course from its bilingual sources.")
    sub = parser.add_subparsers(dest="command", required=True)
    sub.add_parser("site", help="build the static site into _build/html")
    notebooks = sub.add_parser("notebooks", help="write per-language notebooks for working locally")
    notebooks.add_argument("--out", type=Path, default=BUILD / "notebooks")
    data = sub.add_parser("data", help="write the synthetic datasets")
    data.add_argument("--out", type=Path, default=BUILD / "data")
    args = parser.parse_args(argv)

    if args.command == "site":
        from .site import build_site
        for step, seconds in build_site().items():
            print(f"{step:>14}: {seconds:6.1f} s")
        print(f"site: {BUILD / 'html' / 'index.html'}")
    elif args.command == "notebooks":
        from .site import notebooks
        for path in notebooks(args.out):
            print(path)
    elif args.command == "data":
        from .datasets import write_all
        for path in write_all(args.out).values():
            print(path)
    return 0


if __name__ == "__main__":
    sys.exit(main())
