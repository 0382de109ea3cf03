"""Builds the course from its one bilingual source: datasets, per-language notebooks, nbgrader courses and the site."""
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
LANGUAGES = ("de", "en")
BUILD = REPO / "_build"
