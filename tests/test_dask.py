"""``--scheduler``: a batch on a real Dask cluster (a scheduler and two worker processes
on loopback) gives the same books, report, cache and exit status as a local run, and
its conversions run on the workers (the scheduler's task stream says which worker ran
each one). A task that raises on its worker, or runs past ``--timeout``, fails its own
file with one line while the others convert (``dask_hooks.py`` makes two such files
misbehave inside the workers)."""

from __future__ import annotations

import json
import os
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from fic2book.cli import main

distributed = pytest.importorskip(
    "distributed", reason="the dask extra is not installed (pip install 'fic2book[dask]')"
)

STORY = "Title: Harbour Lights\nAuthor: Wren\n\nNight {n} on the quay.\n\n* * *\n\nMorning.\n"


@dataclass
class Cluster:
    """The test cluster: its scheduler's address and a client of the test's own."""

    address: str
    client: Any
    workers: dict[str, int]
    """Each worker's address and process id."""


@pytest.fixture(scope="module")
def scheduler() -> Iterator[Cluster]:
    from dask_hooks import Hooks, warm

    cluster = distributed.LocalCluster(
        n_workers=2,
        threads_per_worker=1,
        processes=True,
        host="127.0.0.1",
        dashboard_address=None,
        silence_logs=50,
    )
    client = distributed.Client(cluster, set_as_default=False)
    try:
        client.register_plugin(Hooks())
        workers = client.run(warm)
        assert len(workers) == 2 and os.getpid() not in workers.values()
        yield Cluster(str(cluster.scheduler_address), client, workers)
    finally:
        client.close()
        cluster.close()


def ran_on_workers(cluster: Cluster, records: list[dict[str, Any]]) -> dict[str, str]:
    """Each conversion task the task stream recorded, by key, with the worker that ran it
    (every one a worker process of the cluster, none the client's)."""
    tasks = {str(r["key"]): str(r["worker"]) for r in records if "fic2book-" in str(r["key"])}
    assert set(tasks.values()) <= set(cluster.workers), tasks
    return tasks


def test_a_batch_on_a_dask_cluster_matches_a_local_run(tmp_path: Path, scheduler: Cluster) -> None:
    address = scheduler.address
    assert address.startswith("tcp://127.0.0.1:")
    src = tmp_path / "src"
    src.mkdir()
    for n in range(5):
        (src / f"s{n}.txt").write_text(STORY.format(n=n), encoding="utf-8")
    (src / "bad.txt").write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00")
    local, remote = tmp_path / "local", tmp_path / "remote"
    args = ["convert", str(src), "-f", "epub", "-f", "html"]
    result = CliRunner().invoke(main, [*args, "-o", str(local), "-j", "1"])
    assert result.exit_code == 1
    report = tmp_path / "dask.json"
    with distributed.get_task_stream(scheduler.client) as stream:
        result = CliRunner().invoke(
            main, [*args, "-o", str(remote), "--scheduler", address, "--report", str(report)]
        )
    assert result.exit_code == 1, result.output
    # Every input the client read was converted by a task on a worker, not in here.
    assert len(ran_on_workers(scheduler, stream.data)) == 6
    assert "Traceback" not in result.output
    books = sorted(p.name for p in local.glob("[!.]*"))
    assert books == sorted(p.name for p in remote.glob("[!.]*")) and len(books) == 10
    assert all((local / n).read_bytes() == (remote / n).read_bytes() for n in books)
    data = json.loads(report.read_text())
    assert data["counts"] == {"converted": 5, "up_to_date": 0, "failed": 1}
    assert [Path(i["input"]).name for i in data["inputs"]] == [
        "bad.txt",
        *(f"s{n}.txt" for n in range(5)),
    ]
    assert "not a text file" in data["inputs"][0]["error"]

    # The incremental cache works the same through the cluster.
    with distributed.get_task_stream(scheduler.client) as stream:
        result = CliRunner().invoke(
            main, [*args, "-o", str(remote), "--scheduler", address, "--report", str(report)]
        )
    assert json.loads(report.read_text())["counts"]["up_to_date"] == 5
    assert len(ran_on_workers(scheduler, stream.data)) == 1  # bad.txt, tried again


def test_a_task_that_raises_or_hangs_on_a_worker_fails_its_file_only(
    tmp_path: Path, scheduler: Cluster
) -> None:
    from dask_hooks import BOOM, SLOW

    src = tmp_path / "src"
    src.mkdir()
    for n in range(4):
        (src / f"s{n}.txt").write_text(STORY.format(n=n), encoding="utf-8")
    for name in (BOOM, SLOW):
        (src / name).write_text(STORY.format(n=name), encoding="utf-8")
    out, report = tmp_path / "out", tmp_path / "r.json"
    args = ["convert", str(src), "-o", str(out), "-f", "html", "--timeout", "4"]
    with distributed.get_task_stream(scheduler.client) as stream:
        result = CliRunner().invoke(
            main, [*args, "--scheduler", scheduler.address, "--report", str(report)]
        )
    assert result.exit_code == 1, result.output
    assert "Traceback" not in result.output
    boom = f"{src / BOOM}: could not be converted (RuntimeError: the worker could not run the task)"
    slow = f"{src / SLOW}: could not be converted (timed out after 4 s)"
    data = json.loads(report.read_text())
    status = {Path(i["input"]).name: (i["status"], i["error"]) for i in data["inputs"]}
    assert status.pop(BOOM) == ("failed", boom)
    assert status.pop(SLOW) == ("failed", slow)
    assert set(status.values()) == {("converted", None)} and len(status) == 4
    assert len(list(out.glob("*.html"))) == 4
    errors = [line for line in result.stderr.splitlines() if line.startswith("fic2book: ")]
    assert errors == [f"fic2book: {boom}", f"fic2book: {slow}"]
    # The four stories and the task that raised ran on the workers (the one cancelled
    # for its timeout never finished, so the stream has no record of it).
    assert len(ran_on_workers(scheduler, stream.data)) == 5


def test_an_unreachable_scheduler_is_one_line(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr("fic2book.app.dask_run.CONNECT_TIMEOUT", "1s")
    story = tmp_path / "s.txt"
    story.write_text(STORY.format(n=1))
    result = CliRunner().invoke(
        main, ["convert", str(story), "-o", str(tmp_path), "--scheduler", "tcp://127.0.0.1:9"]
    )
    assert result.exit_code == 3
    assert "cannot reach the Dask scheduler" in result.output
    assert len(result.output.strip().splitlines()) == 1
