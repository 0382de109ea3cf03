"""What the trusted grading process itself spends per submission, whatever runs the notebooks:
reading and sanitising it against the gradebook, scoring, writing autograded/ and one gradebook
transaction. With `grade --scheduler` this is the part that does not spread over the workers, so
1 / (this time) submissions per second is the most a cluster of any size can grade.
Run by hand, never in the test suite:
    .venv/bin/python benchmarks/grader_side.py [--students 40] [--db-url postgresql://…]

The notebooks are not executed (an `execute` that runs nothing stands in for the sandbox), so
the scores are meaningless; only the time counts."""
import argparse
import asyncio
import tempfile
import time
from pathlib import Path

from autograder.commands.grade import _describe
from autograder.course.coursedir import Course
from autograder.judging.grading import grade
from autograder.judging.runner import Execution
from autograder.kernels.kernel import Settings
from coursebuild.course import build_course, run_nbgrader
from coursebuild.datasets import write_all

from grade_speed import ASSIGNMENT, submissions


async def nothing(pool, settings, config, files, shown, whole, plan) -> tuple[Execution, Execution]:
    return Execution(), Execution()   # the feedback run and the verdict run


async def grade_all(course: Course, students: list[str]) -> float:
    notebooks = [p.stem for p in course.folder("release", None, ASSIGNMENT).glob("*.ipynb")]
    task, _ = _describe(course, ASSIGNMENT, notebooks)
    settings = Settings(timeout=30, submission_seconds=600, memory_bytes=2**31)
    started = time.monotonic()
    for student in students:
        await grade(course, task, student, None, settings, nothing)
    return time.monotonic() - started


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--students", type=int, default=40)
    parser.add_argument("--db-url", help="an empty PostgreSQL database for the gradebook (default: SQLite)")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as scratch:
        root = Path(scratch) / "course"
        build_course(root, "de", write_all(Path(scratch) / "data"), only=[ASSIGNMENT])
        if args.db_url:
            with open(root / "nbgrader_config.py", "a") as config:
                config.write(f"c.CourseDirectory.db_url = {args.db_url!r}\n")
            run_nbgrader(["generate_assignment", ASSIGNMENT, "--force"], root)
        submissions(root, args.students)
        course = Course.open(root)
        seconds = asyncio.run(grade_all(course, sorted(p.parent.name for p in root.glob(f"submitted/*/{ASSIGNMENT}"))))
        kind = "PostgreSQL" if args.db_url else "SQLite"
        print(f"{args.students} submissions of {ASSIGNMENT}, gradebook in {kind}: {seconds:.1f} s on the grader's side, "
              f"{seconds / args.students:.3f} s per submission -> at most {args.students / seconds:.1f} submissions/s")


if __name__ == "__main__":
    main()
