"""The `autograder` command. Each subcommand lives in its own module with
NAME, HELP, add_arguments(parser) and run(args) -> exit status."""
import argparse
import importlib
import sys

COMMANDS = ["init_course", "collect", "grade", "feedback", "report", "export", "returning", "guides", "marking"]


class UserError(Exception):
    """A problem with the trainer's input: shown as a message, not a traceback."""


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(prog="autograder", description="Grade nbgrader courses safely and in parallel.")
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    modules = {}
    for name in COMMANDS:
        module = importlib.import_module(f"autograder.{name}")
        command = sub.add_parser(module.NAME, help=module.HELP, description=module.HELP)
        module.add_arguments(command)
        modules[module.NAME] = module
    args = parser.parse_args(argv)
    try:
        return modules[args.command].run(args)
    except UserError as error:
        print(f"autograder {args.command}: {error}", file=sys.stderr)
        return 2
