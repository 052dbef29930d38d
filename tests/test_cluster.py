"""A real dask.distributed cluster on 127.0.0.1: a scheduler and two workers give a local run's bytes."""
from __future__ import annotations

import shutil
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest

from cleaner.cli.commands import main

from .conftest import SEEDS_RAW, devset_sample, needs_shared, tree_bytes

pytest.importorskip("distributed")
pytestmark = needs_shared


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


def test_cluster_run_is_byte_identical_to_a_local_run(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    corpus = tmp_path / "corpus"
    (corpus / "seeds").mkdir(parents=True)
    (corpus / "devset").mkdir()
    for path in SEEDS_RAW.glob("*.txt"):
        shutil.copy(path, corpus / "seeds" / path.name)
    for path in devset_sample(60):
        shutil.copy(path, corpus / "devset" / path.name)
    (corpus / "devset" / "binary.txt").write_bytes(b"\x00\x01\x02" * 100)

    port = free_port()
    address = f"tcp://127.0.0.1:{port}"
    dask = [sys.executable, "-m", "distributed.cli.dask_scheduler"]
    worker = [sys.executable, "-m", "distributed.cli.dask_worker"]
    procs = [subprocess.Popen([*dask, "--host", "127.0.0.1", "--port", str(port), "--dashboard-address", ":0"],
                              cwd=tmp_path, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)]
    try:
        for name in ("w1", "w2"):
            workdir = tmp_path / name
            workdir.mkdir()
            procs.append(subprocess.Popen(
                [*worker, address, "--nthreads", "1", "--nworkers", "1", "--no-dashboard", "--local-directory",
                 str(workdir), "--name", name], cwd=workdir, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL))
        wait_for_workers(address, 2)
        # relative paths, as a user types them: the workers' own directories differ
        monkeypatch.chdir(tmp_path)
        assert main(["clean", "corpus", "-o", "local", "--quiet", "--jobs", "1"]) == 1
        assert main(["clean", "corpus", "-o", "remote", "--quiet", "--scheduler", address]) == 1
        local, remote = tmp_path / "local", tmp_path / "remote"
        assert tree_bytes(remote) == tree_bytes(local)
        assert len(tree_bytes(local)) == 2 * 65 + 1
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


def test_unreachable_scheduler_is_a_clear_error(tmp_path: Path, capsys, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("cleaner.batch.cluster.CONNECT_TIMEOUT", 2.0)
    (tmp_path / "a.txt").write_text("A headline here\n\nSome text of the article.\n", "utf-8")
    address = f"tcp://127.0.0.1:{free_port()}"
    assert main(["clean", str(tmp_path / "a.txt"), "-o", str(tmp_path / "out"), "--scheduler", address]) == 2
    err = capsys.readouterr().err
    assert "cannot reach the scheduler" in err and "Traceback" not in err
