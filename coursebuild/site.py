"""Builds the static site: one Jupyter Book per language from the shared sources, assembled
under _build/html/<lang>/ with a language chooser at _build/html/index.html."""
import copy
import hashlib
import json
import os
import re
import shutil
import subprocess
import sys
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import nbformat
import yaml

from . import BUILD, LANGUAGES, REPO
from .course import build_course, notebook_file
from .datasets import write_all
from .files import replace_tree, sync_contents, write_if_changed, zip_bytes
from .glossary import glossary_page, with_term_links
from .icons import subset_icon_fonts
from .requirements import notebook_requirements
from .notebooks import data_files, exercise_sources, for_language, lesson_sources, read_source, to_json

BOOK = REPO / "book"
DOWNLOAD_LINK = re.compile(r"_downloads/([0-9a-f]{32})/")
# MathJax for formulas comes from npm (package.json) instead of a CDN (only its single-file build
# and fonts). It sits in its own folder under _static because Jupyter Book would load every
# script found in a `_static` source folder on every page.
NODE = REPO / "node_modules"
VENDOR = {
    "vendor/mathjax/tex-mml-chtml.js": NODE / "mathjax/es5/tex-mml-chtml.js",
    "vendor/mathjax/output/chtml/fonts/woff-v2": NODE / "mathjax/es5/output/chtml/fonts/woff-v2",
}
UNUSED_VENDOR_FILES = {".map", ".txt"}


def i18n() -> dict:
    return yaml.safe_load((BOOK / "i18n.yml").read_text(encoding="utf-8"))


def deep_merge(base: dict, extra: dict) -> dict:
    merged = copy.deepcopy(base)
    for key, value in extra.items():
        if isinstance(value, dict) and isinstance(merged.get(key), dict):
            merged[key] = deep_merge(merged[key], value)
        else:
            merged[key] = copy.deepcopy(value)
    return merged


def config_text(lang: str) -> str:
    base = yaml.safe_load((REPO / "_config.yml").read_text(encoding="utf-8"))
    return yaml.safe_dump(deep_merge(base, i18n()[lang]["config"]), allow_unicode=True, sort_keys=False)


def toc() -> dict:
    return yaml.safe_load((REPO / "_toc.yml").read_text(encoding="utf-8"))


def toc_files() -> set[str]:
    """Every page path the table of contents lists: only these are published."""
    found, todo = set(), [toc()]
    while todo:
        entry = todo.pop()
        if "file" in entry:
            found.add(entry["file"])
        if "root" in entry:
            found.add(entry["root"])
        for key in ("parts", "chapters", "sections"):
            todo.extend(entry.get(key, []))
    return found


def toc_text(lang: str) -> str:
    toc_data = toc()
    captions = i18n()[lang]["captions"]
    for part in toc_data.get("parts", []):
        part["caption"] = captions[part["caption"]]
    return yaml.safe_dump(toc_data, allow_unicode=True, sort_keys=False)


IMAGES = {".png", ".jpg", ".jpeg", ".svg", ".gif", ".webp"}


def book_images(lang: str) -> dict[str, bytes]:
    """The pictures of the prose pages (e.g. book/images/trainers-report.de.png), at the same place
    in the tree; one marked with the other language (NAME.en.png) is left out."""
    images = {}
    for path in sorted(BOOK.rglob("*")):
        rel = path.relative_to(BOOK)
        if path.suffix.lower() not in IMAGES or not path.is_file() or rel.parts[0] in ("_templates", "_assets"):
            continue
        marked = path.stem.rsplit(".", 1)[-1] if "." in path.stem else None
        if marked in LANGUAGES and marked != lang:
            continue
        images[f"book/{rel.as_posix()}"] = path.read_bytes()
    return images


def language_pages(folder: Path, target: str, lang: str) -> dict[str, bytes]:
    """Prose pages come in pairs, NAME.de.md and NAME.en.md, and become TARGET/NAME.md."""
    pages = {}
    for path in sorted(folder.rglob(f"*.{lang}.md")):
        rel = path.relative_to(folder).as_posix()[: -len(f".{lang}.md")]
        pages[f"{target}/{rel}.md"] = path.read_bytes()
    return pages


def with_download_cell(nb, lang: str, zip_name: str, exercise: bool = False):
    """The page version of a notebook: the title, then where to download it with its data (and,
    on exercises, where to find help with error messages)."""
    page = copy.deepcopy(nb)
    texts = i18n()[lang]["texts"]
    text = texts["download"].replace("{zip}", zip_name) + (texts["errors"] if exercise else "")
    page.cells.insert(1, nbformat.v4.new_markdown_cell(text, id="download"))
    return page


def notebook_page(nb, lang: str, stem: str, notebook_name: str, zip_name: str, data: dict[str, Path], files: dict,
                  exercise: bool = False, glossary_links: bool = False):
    """Adds the page, its zip (notebook + data) and the data files beside the page to files."""
    folder = str(Path(stem).parent)
    members = {notebook_name: to_json(nb).encode("utf-8"),
               "requirements.txt": notebook_requirements(nb).encode("utf-8")}
    for filename in data_files(nb):
        members[filename] = data[filename].read_bytes()
        files[f"{folder}/{filename}"] = members[filename]
    files[f"{folder}/{zip_name}"] = zip_bytes(members)
    page = with_download_cell(nb, lang, zip_name, exercise)
    files[f"{stem}.ipynb"] = to_json(with_term_links(page, lang, Path(stem).name) if glossary_links else page)


def vendor_files() -> dict[str, bytes]:
    files = {}
    for target, source in VENDOR.items():
        if not source.exists():
            raise FileNotFoundError(f"{source} is missing: run `npm ci` (make does) to install the site's scripts")
        if source.is_file():
            files[f"_assets/{target}"] = source.read_bytes()
        else:
            for path in source.iterdir():
                if path.suffix not in UNUSED_VENDOR_FILES:
                    files[f"_assets/{target}/{path.name}"] = path.read_bytes()
    return files


def published_lessons() -> list[Path]:
    listed = toc_files()
    return [p for p in lesson_sources() if f"lessons/{p.stem}" in listed]


def published_exercises() -> list[str]:
    listed = toc_files()
    return [p.parent.name for p in exercise_sources() if f"exercises/{p.parent.name}/exercise" in listed]


def tree_contents(lang: str, data: dict[str, Path], course: Path) -> dict:
    files = {"_config.yml": config_text(lang), "_toc.yml": toc_text(lang)}
    for folder in ("_templates", "_assets"):
        for path in (BOOK / folder).rglob("*"):
            if path.is_file():
                files[f"{folder}/{path.relative_to(BOOK / folder).as_posix()}"] = path.read_bytes()
    files.update(vendor_files())
    files.update(language_pages(BOOK, "book", lang))
    files.update(book_images(lang))
    files.update(language_pages(REPO / "data" / "datasheets", "data", lang))
    files["book/glossary.md"] = glossary_page(lang)
    for source in published_lessons():
        nb = for_language(read_source(source), lang)
        notebook_page(nb, lang, f"lessons/{source.stem}", f"{source.stem}.ipynb", f"{source.stem}.zip", data, files,
                      glossary_links=True)
    for name in published_exercises():
        released = nbformat.read(course / "release" / name / notebook_file(name), as_version=4)
        notebook_page(released, lang, f"exercises/{name}/exercise", notebook_file(name), f"{name}-exercise.zip", data, files, exercise=True)
    return files


# The build kernel's IPython profile: widgets answer from precomputed states, figures are SVG
# (coursebuild.static_widgets). Learners' kernels never see it.
KERNEL_PROFILE = {
    "profile_default/ipython_kernel_config.py": "c.InlineBackend.figure_formats = {'svg'}\n",
    "profile_default/startup/00-static-widgets.py":
        "from coursebuild.static_widgets import kernel_startup\n\nkernel_startup()\n",
}


def kernel_profile(folder: Path) -> Path:
    """Writes the profile and returns it with a fingerprint of the code behind it: the
    execution cache only knows the notebooks."""
    stamp = hashlib.sha256((Path(__file__).parent / "static_widgets.py").read_bytes())
    for name, content in KERNEL_PROFILE.items():
        write_if_changed(folder / name, content)
        stamp.update(content.encode())
    return folder, stamp.hexdigest()


def jupyter_book(tree: Path, out: Path, lang: str, profile: Path, stamp: str) -> None:
    """Runs `jupyter-book build`; its messages are printed as they come, each line marked with the
    language, because the languages build at the same time."""
    env = dict(os.environ)
    env["PATH"] = str(Path(sys.executable).parent) + os.pathsep + env.get("PATH", "")
    env["IPYTHONDIR"] = str(profile)
    cache_stamp = out / "_build" / ".static-widgets"
    if not cache_stamp.exists() or cache_stamp.read_text() != stamp:
        # Sphinx re-reads (and so re-executes) only changed sources: drop what it kept too.
        for kept in (".jupyter_cache", ".doctrees"):
            shutil.rmtree(out / "_build" / kept, ignore_errors=True)
        write_if_changed(cache_stamp, stamp)
    command = [str(Path(sys.executable).parent / "jupyter-book"), "build", str(tree), "--path-output", str(out),
               "--builder", "html", "-W", "-n", "--keep-going"]
    with subprocess.Popen(command, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
                          encoding="utf-8", errors="replace") as process:
        for line in process.stdout:
            print(f"[{lang}] {line}", end="", flush=True)
    if process.returncode != 0:
        raise RuntimeError(f"the {lang} site did not build cleanly (warnings count as errors); "
                           f"see the messages marked [{lang}] above")


def drop_unlinked_downloads(html: Path) -> None:
    """Sphinx never removes a download whose page has changed: a learner would find the old zip
    beside the new one. Keeps what a page links to."""
    folder = html / "_downloads"
    if not folder.is_dir():
        return
    linked = set()
    for page in html.rglob("*.html"):
        linked.update(DOWNLOAD_LINK.findall(page.read_text(encoding="utf-8")))
    for entry in folder.iterdir():
        if entry.name not in linked:
            shutil.rmtree(entry)


def check_no_live_widgets(html: Path) -> None:
    """A widget shown other than through `interact` would need a widget manager the site does not have."""
    live = [p.relative_to(html).as_posix() for p in html.rglob("*.html")
            if "application/vnd.jupyter.widget-view+json" in p.read_text(encoding="utf-8")]
    if live:
        raise RuntimeError(f"widgets outside widgets.interact cannot answer on the static site: {', '.join(live)}; "
                           "show them with widgets.interact (coursebuild/static_widgets.py)")


def root_index() -> str:
    return (BOOK / "root-index.html").read_text(encoding="utf-8")


def book_tree(lang: str) -> Path:
    """The language's Jupyter Book sources, as the build writes them."""
    return BUILD / "src" / lang


def book_output(lang: str) -> Path:
    """Where jupyter-book builds the language (its execution cache and HTML)."""
    return BUILD / "site" / lang


def executed_lesson(lang: str, stem: str) -> nbformat.NotebookNode:
    """The lesson with the outputs of the last site build's run of its current code, from the
    build's execution cache (jupyter_execute/ keeps a page's old copy when Sphinx does not re-read it)."""
    from jupyter_cache import get_cache

    source = book_tree(lang) / "lessons" / f"{stem}.ipynb"
    cache = get_cache(book_output(lang) / "_build" / ".jupyter_cache")
    try:
        record = cache.match_cache_notebook(nbformat.read(source, as_version=4))
    except KeyError:
        raise LookupError(f"the site build has no run of the current {lang} {stem} in its execution cache") from None
    return cache.get_cache_bundle(record.pk).nb


def build_language(lang: str, data: dict[str, Path], profile: Path, stamp: str) -> dict[str, float]:
    timings = {}
    start = time.perf_counter()
    course = BUILD / "course" / lang
    build_course(course, lang, data, only=published_exercises(), reuse=True)
    timings[f"{lang}: exercises"] = time.perf_counter() - start
    start = time.perf_counter()
    tree = book_tree(lang)
    sync_contents(tree, tree_contents(lang, data, course))
    out = book_output(lang)
    jupyter_book(tree, out, lang, profile, stamp)
    check_no_live_widgets(out / "_build" / "html")
    drop_unlinked_downloads(out / "_build" / "html")
    subset_icon_fonts(out / "_build" / "html")
    replace_tree(out / "_build" / "html", BUILD / "html" / lang)
    timings[f"{lang}: book"] = time.perf_counter() - start
    return timings


def build_site(languages=LANGUAGES) -> dict[str, float]:
    """Returns the seconds each step took. The languages build at the same time: each has its own
    course, tree and output folder, and most of the work (nbgrader, jupyter-book and the notebooks'
    kernels) runs in processes of its own, so two cores build both in little more than the time of one."""
    start = time.perf_counter()
    data = write_all(BUILD / "data")
    timings = {"data": time.perf_counter() - start}
    profile, stamp = kernel_profile(BUILD / "ipython")
    with ThreadPoolExecutor(max_workers=len(languages)) as pool:
        running = [pool.submit(build_language, lang, data, profile, stamp) for lang in languages]
    for future in running:
        timings.update(future.result())   # raises the first language's error, after both have finished
    write_if_changed(BUILD / "html" / "index.html", root_index())
    write_if_changed(BUILD / "html" / ".nojekyll", "")
    return timings


def notebooks(dest: Path) -> list[Path]:
    """Per-language notebooks for learners who work locally: the published lessons and the student
    versions of the published exercises (the same course as the site's, so neither rebuilds it)."""
    data = write_all(BUILD / "data")
    written = []
    for lang in LANGUAGES:
        course = BUILD / "course" / lang
        names = build_course(course, lang, data, only=published_exercises(), reuse=True)
        base = dest / lang
        for source in published_lessons():
            nb = for_language(read_source(source), lang)
            folder = base / "lessons"
            write_if_changed(folder / f"{source.stem}.ipynb", to_json(nb))
            for filename in data_files(nb):
                write_if_changed(folder / filename, data[filename].read_bytes())
            written.append(folder / f"{source.stem}.ipynb")
        for name in names:
            for path in sorted((course / "release" / name).iterdir()):
                write_if_changed(base / "exercises" / name / path.name, path.read_bytes())
            written.append(base / "exercises" / name / notebook_file(name))
    return written
