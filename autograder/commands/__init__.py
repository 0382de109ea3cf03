"""The subcommands of `autograder`, one module each (see autograder/cli.py)."""
