"""The grader's side of a Dask cluster: connect to its scheduler, send each notebook to a worker
to be judged, and put the executed notebooks back where the local run would have them."""
import asyncio
from dataclasses import dataclass
from pathlib import Path

from autograder.cli import UserError
from autograder.cluster import worker
from autograder.judging.runner import Execution
from autograder.kernels.kernel import Settings

@dataclass
class Cluster:
    client: object      # distributed.Client, asynchronous
    warmup: str         # the trusted code each sandboxed kernel runs before any student code
    slots: int          # submissions to have under way at once

    async def close(self) -> None:
        await self.client.close()


async def connect(address: str, warmup: str) -> Cluster:
    # Imported here: grading without --scheduler does not need Dask.
    from distributed import Client

    try:
        # How long it keeps trying is Dask's setting distributed.comm.timeouts.connect (30 s).
        client = await Client(address, asynchronous=True)
    except (OSError, asyncio.TimeoutError, ValueError) as problem:
        raise UserError(f"cannot reach the Dask scheduler at {address}: {problem}") from None
    threads = sum((await client.nthreads()).values())
    if not threads:
        await client.close()
        raise UserError(f"the Dask scheduler at {address} has no workers; start them with "
                        f"`dask worker {address}` on each grading machine")
    # Twice the workers' threads: the next notebooks are ready while the current ones run.
    return Cluster(client=client, warmup=warmup, slots=2 * threads)


async def execute(cluster: Cluster, settings: Settings, config, files: dict[str, Path], shown, whole,
                  plan) -> tuple[Execution, Execution]:
    """grading.grade's `execute`: judges one notebook on some worker (both runs, with the same
    student kernel) and copies the executed cells back into `shown` and `whole`."""
    shipped = {name: (path.read_bytes(), path.stat().st_mode & 0o777) for name, path in files.items()}
    future = cluster.client.submit(worker.judge_notebook, shown, whole, plan, shipped, settings, config,
                                   cluster.warmup, pure=False)
    executed_shown, executed_whole, shown_run, verdict_run = await future
    shown.cells, shown.metadata = executed_shown.cells, executed_shown.metadata
    whole.cells, whole.metadata = executed_whole.cells, executed_whole.metadata
    return shown_run, verdict_run
