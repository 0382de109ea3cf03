"""Submissions made from an exercise's source, for grading it with real nbgrader: the solution,
the solution with one answer cell replaced (a wrong answer), and the "hand-typed constants" answer,
in which every answer cell sets its variables to the values the solution computed on the published
data, as a learner who copies a neighbour's printed numbers would."""
import ast
import json
import re
import shutil
from pathlib import Path

import nbformat
from nbclient import NotebookClient
from nbgrader import utils

SOLUTION = re.compile(r"^\s*### (BEGIN|END) SOLUTION\s*$\n?", re.M)


def answer_cells(nb) -> list:
    return [c for c in nb.cells if c.cell_type == "code" and utils.is_solution(c)]


def grade_id(cell) -> str:
    return cell.metadata.nbgrader["grade_id"]


def checks_by_answer(nb) -> dict[str, list[str]]:
    """Each answer cell's grade_id -> the autograded test cells that follow it (up to the next answer)."""
    found, current = {}, None
    for cell in nb.cells:
        if cell.cell_type == "code" and utils.is_solution(cell):
            current = grade_id(cell)
            found[current] = []
        elif current and cell.cell_type == "code" and utils.is_grade(cell):
            found[current].append(grade_id(cell))
    return found


def with_answers(nb, answers: dict[str, str]):
    """A copy of the notebook with these answer cells' code replaced."""
    nb = nbformat.from_dict(json.loads(json.dumps(nb)))
    for cell in answer_cells(nb):
        if grade_id(cell) in answers:
            cell.source = answers[grade_id(cell)]
    return nb


def defined_names(code: str) -> list[str]:
    """The names an answer cell binds or changes at its top level (x = ..., x[...] = ..., def x)."""
    names = []

    def root(target):
        while isinstance(target, (ast.Subscript, ast.Attribute)):
            target = target.value
        if isinstance(target, ast.Name):
            names.append(target.id)
        elif isinstance(target, (ast.Tuple, ast.List)):
            for element in target.elts:
                root(element)

    for node in ast.parse(SOLUTION.sub("", code)).body:
        if isinstance(node, ast.Assign):
            for target in node.targets:
                root(target)
        elif isinstance(node, (ast.AugAssign, ast.AnnAssign)):
            root(node.target)
        elif isinstance(node, (ast.FunctionDef, ast.ClassDef)):
            names.append(node.name)
    return list(dict.fromkeys(names))


def constants_answers(nb, data: dict[str, Path], workdir: Path) -> dict[str, str]:
    """Runs the solution on these data files and returns, per answer cell, code that sets the
    cell's variables to the values it computed there (pickled, so models and tables too)."""
    workdir.mkdir(parents=True, exist_ok=True)
    for name, path in data.items():
        shutil.copyfile(path, workdir / name)
    run = nbformat.from_dict(json.loads(json.dumps(nb)))
    cells, wanted = [], {}
    for cell in run.cells:
        cells.append(cell)
        if cell.cell_type == "code" and utils.is_solution(cell):
            names = defined_names(cell.source)
            wanted[grade_id(cell)] = names
            cells.append(nbformat.v4.new_code_cell(
                "import base64 as _b64, json as _json, cloudpickle as _cp\n"
                f"with open({grade_id(cell) + '.frozen'!r}, 'w') as _f:\n"
                f"    _json.dump({{_n: _b64.b64encode(_cp.dumps(globals()[_n])).decode() for _n in {names!r}}}, _f)"))
    run.cells = cells
    NotebookClient(run, timeout=120, kernel_name="python3", resources={"metadata": {"path": str(workdir)}}).execute()
    answers = {}
    for gid, names in wanted.items():
        values = json.loads((workdir / f"{gid}.frozen").read_text())
        lines = ["import base64, pickle"]
        lines += [f"{name} = pickle.loads(base64.b64decode({values[name]!r}))" for name in names]
        answers[gid] = "\n".join(lines)
    return answers
