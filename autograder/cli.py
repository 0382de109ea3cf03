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


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(prog="autograder", description="Grade nbgrader courses safely and in parallel.")
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    modules = {}
    for name in COMMANDS:
        module = importlib.import_module(f"autograder.commands.{name}")
        command = sub.add_parser(module.NAME, help=module.HELP, description=module.HELP)
        module.add_arguments(command)
        modules[module.NAME] = module
    args = parser.parse_args(argv)
    try:
        return modules[args.command].run(args)
    except UserError as error:
        print(f"autograder {args.command}: {error.translated(course_language(args))}", file=sys.stderr)
        return 2
