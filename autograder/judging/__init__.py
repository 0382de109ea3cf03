"""Grading one submission: nbgrader's sanitising, the feedback run in the student's kernel, the
verdict run in a clean kernel on plain data, the integrity checks and the scores."""
