"""Safe, parallel grading of nbgrader courses for trainers (CLI: `autograder`)."""
import sys

# jsonschema (through nbformat) checks the "iri" format with rfc3987-syntax wherever that is
# installed (jupyter-events asks for it), which compiles its grammars as it is imported: 0.9 s at
# the start of every command. Neither a notebook's schema nor nbgrader's checks that format.
sys.modules.setdefault("rfc3987_syntax", None)
