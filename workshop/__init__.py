"""`workshop serve`: a JupyterHub for one workshop on one Linux machine, with the course in every
participant's home and nbgrader's exchange between participants and the trainer."""
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
