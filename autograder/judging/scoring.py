"""A test cell's points: nbgrader's rule, except that output on stderr (warnings) costs nothing.

nbgrader gives 0 to a test cell that wrote to stderr, e.g. a scikit-learn ConvergenceWarning,
even when every assert passed. Here a test cell passes when it raises no error; partial credit
(a number as the cell's result) works as in nbgrader, except that a result nbgrader cannot score
(it would raise, and keep an old grade) scores 0; runner.give_verdicts has marked such a cell.
"""
from nbgrader import utils


def cell_grade(cell) -> tuple[float | None, float]:
    """(auto score or None for manual grading, max points) of a grade cell."""
    if utils.is_solution(cell) or cell.cell_type != "code":
        return utils.determine_grade(cell)
    max_points = float(cell.metadata.nbgrader["points"])
    # Any error counts, also one the grader appended after a result (integrity, time limits).
    if any(output.output_type == "error" for output in cell.outputs):
        return 0, max_points
    for output in cell.outputs:
        if output.output_type == "execute_result":
            try:
                score = utils.get_partial_grade(output, max_points)
            except Exception:  # noqa: BLE001 -- runner.partial_problem has already said why
                return 0, max_points
            return score, max_points
    return max_points, max_points
