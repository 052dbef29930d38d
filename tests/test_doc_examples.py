"""Docs that run: every example in the README, docs/, rules/README.md and RELIABILITY.md, on data the tests ship.

Python blocks run in a fresh namespace in a folder that holds what the examples
name (corpus/, in/, my-rules/, a.txt ...), with `text` (a seed article) and
`ds` (a `datasets.Dataset` of the seeds) defined. Shell blocks run line by line
with the installed `cleaner`, except those that install, make a virtual
environment or start a cluster; a line may exit 1 (a file that cleaning would
change, as `check` says) but never 2 (a flag the command does not take) or 3.
Rule-file TOML blocks pass `rules lint` and `rules test`; the configuration
block loads; the hook blocks pin this release; JSON blocks parse.
"""
from __future__ import annotations

import gzip
import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from cleaner import __version__
from cleaner.cli import main

from .conftest import DATA, REPO, SEEDS_RAW

PAGES = [REPO / "README.md", REPO / "RELIABILITY.md", REPO / "rules" / "README.md", *sorted((REPO / "docs").glob("*.md"))]
BLOCK = re.compile(r"^```(\w*)\n(.*?)^```", re.S | re.M)
NOT_HERE = ("pip install", "python3 -m venv", "dask ", "--scheduler", "HYPOTHESIS_PROFILE=long")
HOUSE_RULES = """[generic]
id = "house"

[[rule]]
id = "subscribe-line"
match = '^Subscribe to our newsletter$'
removes = ["Subscribe to our newsletter"]
keeps = ["Subscribe to our newsletter, the minister said, and then left the room."]
"""


def blocks(kind: str) -> list[pytest.param]:  # type: ignore[valid-type]
    found = []
    for page in PAGES:
        for n, match in enumerate(BLOCK.finditer(page.read_text("utf-8"))):
            if match.group(1) == kind:
                found.append(pytest.param(match.group(2), id=f"{page.relative_to(REPO).as_posix()}#{n}"))
    return found


@pytest.fixture()
def sandbox(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A folder with what the examples name, as the working directory (no configuration above it)."""
    (tmp_path / ".git").mkdir()
    for folder in ("corpus", "more-pages"):
        shutil.copytree(SEEDS_RAW, tmp_path / folder)
    shutil.copy(SEEDS_RAW / "001_9949106f77b81d0f.txt", tmp_path / "corpus" / "a.txt")
    shutil.copy(SEEDS_RAW / "000_0b4a278651daa6fa.txt", tmp_path / "page.txt")
    (tmp_path / "pages").mkdir()
    for page in sorted((DATA / "devset" / "html").glob("*.html.gz"))[:3]:
        (tmp_path / "pages" / page.name.removesuffix(".gz")).write_bytes(gzip.decompress(page.read_bytes()))
    records = "".join(json.dumps({"id": p.stem, "text": p.read_text("utf-8")}) + "\n" for p in sorted(SEEDS_RAW.glob("*.txt")))
    (tmp_path / "in").mkdir()
    (tmp_path / "in" / "part.jsonl").write_text(records, "utf-8")
    (tmp_path / "dump.jsonl").write_text(records, "utf-8")
    _write_warc(tmp_path / "crawl.warc.gz")
    (tmp_path / "my-rules").mkdir()
    (tmp_path / "my-rules" / "house.toml").write_text(HOUSE_RULES, "utf-8")
    monkeypatch.chdir(tmp_path)
    return tmp_path


def _write_warc(path: Path) -> None:
    import io

    from warcio.statusandheaders import StatusAndHeaders
    from warcio.warcwriter import WARCWriter

    with open(path, "wb") as fh:
        writer = WARCWriter(fh, gzip=True)
        for k, page in enumerate(sorted((DATA / "devset" / "html").glob("*.html.gz"))[:2]):
            http = StatusAndHeaders("200 OK", [("Content-Type", "text/html")], protocol="HTTP/1.1")
            writer.write_record(writer.create_warc_record(f"https://news.example.org/{k}", "response", http_headers=http,
                                                          payload=io.BytesIO(gzip.decompress(page.read_bytes()))))


@pytest.mark.parametrize("code", blocks("python"))
def test_python_examples_run(code: str, sandbox: Path) -> None:
    namespace: dict[str, object] = {"__name__": "__doc_example__",
                                    "text": (SEEDS_RAW / "001_9949106f77b81d0f.txt").read_text("utf-8")}
    if re.search(r"\bds\b", code):
        datasets = pytest.importorskip("datasets")
        namespace["ds"] = datasets.Dataset.from_json(str(sandbox / "in" / "part.jsonl"))
    exec(compile(code, "<doc example>", "exec"), namespace)


@pytest.mark.parametrize("code", blocks("sh"))
def test_shell_examples_run(code: str, sandbox: Path) -> None:
    if any(word in code for word in NOT_HERE):
        pytest.skip("installs, or starts a cluster: the set-up commands and the cluster tests cover it")
    bin_dir = Path(sys.executable).parent
    env = {**os.environ, "PATH": f"{bin_dir}{os.pathsep}{os.environ['PATH']}", "NO_COLOR": "1"}
    for line in code.splitlines():
        command = line.split(" #")[0].strip()
        if not command:
            continue
        ran = subprocess.run(["bash", "-c", command], cwd=sandbox, env=env, capture_output=True, text=True, timeout=300)
        assert ran.returncode in (0, 1), f"{command}: exit {ran.returncode}: {ran.stderr}"
        assert "unexpected error" not in ran.stderr and "Traceback" not in ran.stderr, ran.stderr


@pytest.mark.parametrize("code", blocks("toml"))
def test_toml_examples_are_valid(code: str, tmp_path: Path) -> None:
    from cleaner.cli.config import load_config

    if re.search(r"^\[(site|generic|learned)\]", code, re.M):
        (tmp_path / "rules").mkdir()  # an example taken from a shipped site file, under a name of its own
        own = re.sub(r'^(id|site) = "[^"]+"', r'\1 = "doc-example"', code, count=1, flags=re.M)
        own = re.sub(r"^domains = \[[^\]]*\]", 'domains = ["doc-example.invalid"]', own, flags=re.M)
        (tmp_path / "rules" / "example.toml").write_text(own, "utf-8")
        assert main(["rules", "lint", str(tmp_path / "rules")]) == 0
        assert main(["rules", "test", str(tmp_path / "rules")]) == 0
    else:  # a configuration file
        (tmp_path / "cleaner.toml").write_text(code, "utf-8")
        load_config(tmp_path / "cleaner.toml")


@pytest.mark.parametrize("code", blocks("yaml"))
def test_hook_examples_pin_this_release(code: str) -> None:
    import yaml

    hooks = {hook["id"] for hook in yaml.safe_load((REPO / ".pre-commit-hooks.yaml").read_text("utf-8"))}
    for repo in yaml.safe_load(code)["repos"]:
        assert repo["rev"] == f"v{__version__}"
        assert {hook["id"] for hook in repo["hooks"]} <= hooks


@pytest.mark.parametrize("code", blocks("json"))
def test_json_examples_parse(code: str) -> None:
    text = code.strip()
    json.loads(text if text.startswith("{") else "{" + text.rstrip(",") + "}")
