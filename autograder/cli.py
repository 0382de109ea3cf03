"""The `autograder` command. Each subcommand lives in its own module with
NAME, HELP, add_arguments(parser) and run(args) -> exit status."""
import argparse
import importlib
import sys

COMMANDS = ["init_course", "collect", "grade", "feedback", "report", "export", "returning", "guides", "marking"]


class UserError(Exception):
    """A problem with the trainer's input: shown as a message, not a traceback. A message marked with
    i18n.N_ and given its values separately is shown in the course's language."""

    def __init__(self, message: str, **values):
        super().__init__(message.format(**values) if values else message)
        self.message, self.values = message, values

    def translated(self, lang: str) -> str:
        from autograder.i18n import catalogue, translator
        return translator(lang)(self.message, **self.values) if self.message in catalogue(lang) else str(self)


def course_language(args) -> str:
    """The language of the course the command works on, as far as it can be known."""
    from autograder.course.coursedir import Course
    try:
        return Course.open(args.course).course_language() or "en"
    except (AttributeError, UserError, OSError, ValueError):
        return "en"


def build_parser(lang: str = "en") -> tuple[argparse.ArgumentParser, dict]:
    """The parser with its help in `lang` (argparse's own words: within i18n.argparse_in) and the
    command modules by name."""
    from autograder.i18n import help_formatter, translate_metavars
    parser = argparse.ArgumentParser(prog="autograder", description="Grade nbgrader courses safely and in parallel.",
                                     formatter_class=help_formatter(lang))
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    modules = {}
    for name in COMMANDS:
        module = importlib.import_module(f"autograder.commands.{name}")
        command = sub.add_parser(module.NAME, help=module.HELP, description=module.HELP,
                                 formatter_class=help_formatter(lang))
        module.add_arguments(command)
        modules[module.NAME] = module
    return translate_metavars(parser, lang), modules


def main(argv=None) -> int:
    from autograder.i18n import argparse_in, user_language
    lang = user_language()
    with argparse_in(lang):
        parser, modules = build_parser(lang)
        args = parser.parse_args(argv)
    try:
        return modules[args.command].run(args)
    except UserError as error:
        print(f"autograder {args.command}: {error.translated(course_language(args))}", file=sys.stderr)
        return 2
