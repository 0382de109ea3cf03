"""Safe, parallel grading of nbgrader courses for trainers (CLI: `autograder`)."""
