"""``--scheduler``: a batch on a real Dask cluster (a scheduler and two worker processes
on loopback) gives the same books, report, cache and exit status as a local run."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner

from fic2book.cli import main

distributed = pytest.importorskip(
    "distributed", reason="the dask extra is not installed (pip install 'fic2book[dask]')"
)

STORY = "Title: Harbour Lights\nAuthor: Wren\n\nNight {n} on the quay.\n\n* * *\n\nMorning.\n"


@pytest.fixture(scope="module")
def scheduler() -> Iterator[str]:
    cluster = distributed.LocalCluster(
        n_workers=2,
        threads_per_worker=1,
        processes=True,
        host="127.0.0.1",
        dashboard_address=None,
        silence_logs=50,
    )
    try:
        yield str(cluster.scheduler_address)
    finally:
        cluster.close()


def test_a_batch_on_a_dask_cluster_matches_a_local_run(tmp_path: Path, scheduler: str) -> None:
    assert scheduler.startswith("tcp://127.0.0.1:")
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
    result = CliRunner().invoke(
        main, [*args, "-o", str(remote), "--scheduler", scheduler, "--report", str(report)]
    )
    assert result.exit_code == 1, result.output
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
    result = CliRunner().invoke(
        main, [*args, "-o", str(remote), "--scheduler", scheduler, "--report", str(report)]
    )
    assert json.loads(report.read_text())["counts"]["up_to_date"] == 5


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
