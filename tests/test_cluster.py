"""A real dask.distributed cluster on 127.0.0.1: a scheduler and two workers give a local run's bytes."""
from __future__ import annotations

import shutil
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from cleaner.cli import main

from .conftest import DATA, SEEDS_RAW, checkout_copy, devset_sample, tree_bytes

pytest.importorskip("distributed")
pytestmark = pytest.mark.slow


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_for_workers(address: str, count: int, seconds: float = 60) -> None:
    from distributed import Client

    deadline = time.monotonic() + seconds
    while True:
        try:
            with Client(address, timeout=5, set_as_default=False) as client:
                client.wait_for_workers(count, timeout=max(1, deadline - time.monotonic()))
                return
        except (OSError, TimeoutError):
            if time.monotonic() > deadline:
                raise


@pytest.fixture(scope="module")
def cluster(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """A scheduler and two single-threaded workers on 127.0.0.1, each in its own directory (one a checkout's root); its address."""
    home = tmp_path_factory.mktemp("cluster")
    port = free_port()
    address = f"tcp://127.0.0.1:{port}"
    dask = [sys.executable, "-m", "distributed.cli.dask_scheduler"]
    worker = [sys.executable, "-m", "distributed.cli.dask_worker"]
    procs = [subprocess.Popen([*dask, "--host", "127.0.0.1", "--port", str(port), "--dashboard-address", ":0"],
                              cwd=home, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)]
    try:
        for name in ("w1", "w2"):
            workdir = home / name
            workdir.mkdir()
            if name == "w1":  # started at a checkout's root, whose own cleaner/ comes first on the worker's path
                checkout_copy(workdir)
            procs.append(subprocess.Popen(
                [*worker, address, "--nthreads", "1", "--nworkers", "1", "--no-dashboard", "--local-directory",
                 str(workdir), "--name", name], cwd=workdir, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL))
        wait_for_workers(address, 2)
        yield address
    finally:
        for proc in procs[::-1]:
            proc.terminate()
        for proc in procs:
            try:
                proc.wait(timeout=20)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait()
    assert all(proc.poll() is not None for proc in procs)


def test_cluster_run_is_byte_identical_to_a_local_run(cluster: str, tmp_path: Path,
                                                      monkeypatch: pytest.MonkeyPatch) -> None:
    corpus = tmp_path / "corpus"
    (corpus / "seeds").mkdir(parents=True)
    (corpus / "devset").mkdir()
    for path in SEEDS_RAW.glob("*.txt"):
        shutil.copy(path, corpus / "seeds" / path.name)
    for path in [*devset_sample(30), *devset_sample(30, "text-page")]:
        shutil.copy(path, corpus / "devset" / f"{path.parent.name}-{path.name}")
    (corpus / "devset" / "binary.txt").write_bytes(b"\x00\x01\x02" * 100)
    # relative paths, as a user types them: the workers' own directories differ
    monkeypatch.chdir(tmp_path)
    assert main(["clean", "corpus", "-o", "local", "--quiet", "--jobs", "1"]) == 1
    assert main(["clean", "corpus", "-o", "remote", "--quiet", "--scheduler", cluster]) == 1
    local, remote = tmp_path / "local", tmp_path / "remote"
    assert tree_bytes(remote) == tree_bytes(local)
    assert len(tree_bytes(local)) == 2 * 65 + 1


def test_the_time_bound_stops_a_runaway_pattern_on_the_cluster(cluster: str, tmp_path: Path,
                                                               capsys: pytest.CaptureFixture[str]) -> None:
    """Dask runs tasks in threads, where no alarm arrives: the sandbox process must bound them all the same."""
    rules = tmp_path / "rules"
    rules.mkdir()
    # Not a shape the load-time check knows: only the time bound can stop it.
    (rules / "slow.toml").write_text('[generic]\nid = "slow"\n[[rule]]\nid = "digits"\nmatch = \'^(\\d\\d?)+$\'\n',
                                     "utf-8")
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    (corpus / "a.txt").write_text("A headline here\n\n" + "1" * 60 + "!\n", "utf-8")
    (corpus / "b.txt").write_text("Another headline\n\nThe council met on Tuesday and agreed the budget.\n", "utf-8")
    started = time.monotonic()
    status = main(["clean", str(corpus), "-o", str(tmp_path / "out"), "--quiet", "--rules", str(rules),
                   "--timeout", "3", "--scheduler", cluster])
    took = time.monotonic() - started
    err = capsys.readouterr().err
    assert status == 1 and took < 60, (status, took, err)
    assert f"{corpus / 'a.txt'}: took longer than --timeout 3 s (rule generic/digits was matching)" in err
    assert (tmp_path / "out" / "b.txt").read_text("utf-8").endswith("agreed the budget.\n")
    assert not (tmp_path / "out" / "a.txt").exists()


def test_unreachable_scheduler_is_a_clear_error(tmp_path: Path, capsys, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("cleaner.batch.cluster.CONNECT_TIMEOUT", 2.0)
    (tmp_path / "a.txt").write_text("A headline here\n\nSome text of the article.\n", "utf-8")
    address = f"tcp://127.0.0.1:{free_port()}"
    assert main(["clean", str(tmp_path / "a.txt"), "-o", str(tmp_path / "out"), "--scheduler", address]) == 2
    err = capsys.readouterr().err
    assert "cannot reach the scheduler" in err and "Traceback" not in err


def test_learning_on_the_cluster_writes_the_files_a_local_learning_does(cluster: str, tmp_path: Path,
                                                                      monkeypatch: pytest.MonkeyPatch) -> None:
    corpus = tmp_path / "corpus"
    shutil.copytree(DATA / "devsites" / "text-recall", corpus)
    monkeypatch.chdir(tmp_path)
    assert main(["learn", "corpus", "-o", "local", "--quiet", "--jobs", "1"]) == 0
    assert main(["learn", "corpus", "-o", "remote", "--quiet", "--scheduler", cluster]) == 0
    assert tree_bytes(tmp_path / "remote") == tree_bytes(tmp_path / "local")
    assert len(tree_bytes(tmp_path / "local")) > 1  # groups.tsv and at least one site file
