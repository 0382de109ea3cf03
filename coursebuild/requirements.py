"""The pinned requirements.txt that goes into each download: what its notebook imports, at the
versions the course is tested with (requirements.txt), plus JupyterLab to open it."""
import ast
import re
import sys
from importlib.metadata import packages_distributions

from . import REPO

ALWAYS = ("jupyterlab", "ipykernel")
# Modules whose distribution is not named like them and that packages_distributions may not know
# when the build runs without them installed.
KNOWN = {"sklearn": "scikit-learn", "yaml": "PyYAML"}
# Packages pandas loads by itself for some calls, so that no import names them.
ENGINES = {"read_excel(": "openpyxl", "to_excel(": "openpyxl"}


def pins() -> dict[str, str]:
    """Normalised distribution name -> 'Name==version' from the project's requirements.txt."""
    found = {}
    for line in (REPO / "requirements.txt").read_text().splitlines():
        line = line.split("#")[0].strip()
        if "==" in line:
            found[normalise(line.split("==")[0])] = line
    return found


def normalise(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


def imported_modules(nb) -> set[str]:
    """Top-level modules the notebook's code cells import (IPython magics and shell lines skipped)."""
    modules = set()
    for cell in nb.cells:
        if cell.cell_type != "code":
            continue
        source = "\n".join(line for line in cell.source.splitlines() if not line.lstrip().startswith(("%", "!")))
        try:
            tree = ast.parse(source)
        except SyntaxError:
            continue
        for node in ast.walk(tree):
            if isinstance(node, ast.Import):
                modules |= {alias.name.split(".")[0] for alias in node.names}
            elif isinstance(node, ast.ImportFrom) and node.module and not node.level:
                modules.add(node.module.split(".")[0])
    return modules - set(sys.stdlib_module_names)


def notebook_requirements(nb) -> str:
    pinned = pins()
    distributions = packages_distributions()
    names = set(ALWAYS)
    for module in imported_modules(nb):
        candidates = KNOWN.get(module) and [KNOWN[module]] or distributions.get(module, [module])
        known = [c for c in candidates if normalise(c) in pinned]
        if not known:
            raise ValueError(f"the notebook imports {module!r}, which requirements.txt does not pin")
        names.update(known)
    code = "\n".join(cell.source for cell in nb.cells if cell.cell_type == "code")
    names.update(package for call, package in ENGINES.items() if call in code)
    lines = sorted({pinned[normalise(n)] for n in names}, key=str.lower)
    return "# What this notebook needs, at the versions the course is tested with:\n" \
           "#   python -m pip install -r requirements.txt\n" + "\n".join(lines) + "\n"
