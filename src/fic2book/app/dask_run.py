"""``--scheduler tcp://HOST:PORT``: the batch's conversions on a Dask distributed cluster.

Needs the ``dask`` extra (``pip install 'fic2book[dask]'``) here and fic2book installed
on every worker. The client reads the inputs and sends their bytes; workers run
``job.convert_one`` and send back the books' bytes; the client names and writes them.
So workers need no shared file system, and the names, bytes, report, cache and exit
status are those of a local run. A task that runs past ``--timeout`` is cancelled and
its file fails; a task whose worker dies is retried by Dask, then fails that file only.
"""

from __future__ import annotations

import time
import uuid
from collections.abc import Callable, Iterator
from typing import Any

from fic2book.app.batch import Task
from fic2book.app.job import ConvertOptions, JobResult, convert_one
from fic2book.errors import Fic2BookError

CONNECT_TIMEOUT = "10s"


class DaskRunner:
    """Runs tasks on the cluster at a scheduler address."""

    def __init__(self, address: str, options: ConvertOptions, timeout: float | None) -> None:
        try:
            from distributed import Client
        except ImportError:
            raise Fic2BookError(
                "--scheduler needs the dask extra: pip install 'fic2book[dask]'"
            ) from None
        try:
            self.client: Any = Client(  # type: ignore[no-untyped-call]
                address, timeout=CONNECT_TIMEOUT, set_as_default=False
            )
        except (OSError, TimeoutError, ValueError) as exc:
            raise Fic2BookError(f"cannot reach the Dask scheduler at {address} ({exc})") from None
        self.options = options
        self.timeout = timeout
        self.running: dict[Any, tuple[Task, float]] = {}
        nthreads = self.client.nthreads()  # type: ignore[no-untyped-call]
        threads = sum(nthreads.values()) or 1
        self.limit = 2 * threads

    def run(
        self, tasks: Iterator[Task], room: Callable[[], bool]
    ) -> Iterator[tuple[int, JobResult]]:
        """Keep up to twice the cluster's threads busy; yield results as they finish."""
        exhausted = False
        while True:
            while not exhausted and room() and len(self.running) < self.limit:
                task = next(tasks, None)
                if task is None:
                    exhausted = True
                    break
                future = self.client.submit(
                    convert_one,
                    task.data,
                    task.name,
                    task.label,
                    self.options,
                    pure=False,
                    key=f"fic2book-{task.index}-{uuid.uuid4().hex}",
                )
                self.running[future] = (task, time.monotonic())
            if not self.running:
                if exhausted or not room():
                    return
                continue
            yield from self._collect()

    def _collect(self) -> Iterator[tuple[int, JobResult]]:
        """Wait for the first finished task (at most until the nearest timeout)."""
        from distributed import wait

        limit = None
        if self.timeout is not None:
            now = time.monotonic()
            limit = max(0.05, min(s + self.timeout - now for _, s in self.running.values()))
        try:
            with self.client.as_current():
                done = wait(  # type: ignore[no-untyped-call]
                    list(self.running), timeout=limit, return_when="FIRST_COMPLETED"
                ).done
        except TimeoutError:
            done = set()
        for future in done:
            task, _ = self.running.pop(future)
            try:
                result = future.result()
            except Exception as exc:  # a task that failed on the cluster fails one file
                reason = f"{type(exc).__name__}: {exc}"
                result = JobResult(error=f"{task.label}: could not be converted ({reason})")
            yield task.index, result
        if self.timeout is not None:
            now = time.monotonic()
            for future, (task, start) in list(self.running.items()):
                if now - start >= self.timeout:
                    future.cancel()
                    del self.running[future]
                    reason = f"timed out after {self.timeout:g} s"
                    yield (
                        task.index,
                        JobResult(error=f"{task.label}: could not be converted ({reason})"),
                    )

    def close(self) -> None:
        """Cancel what is still running and disconnect."""
        for future in self.running:
            future.cancel()
        self.running.clear()
        self.client.close()
