"""The real pre-commit, in a throwaway corpus repository, running this project's hooks."""
from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from cleaner.cli import main

from .conftest import REPO, SEEDS_EXPECTED, SEEDS_RAW

pytestmark = [pytest.mark.slow, pytest.mark.skipif(shutil.which("git") is None or not (REPO / ".git").exists(),
                                                 reason="needs git and a git checkout of corpus-cleaner")]
GIT = ["git", "-c", "user.name=test", "-c", "user.email=test@example.invalid", "-c", "init.defaultBranch=main",
       "-c", "commit.gpgsign=false"]


def git(cwd: Path, *args: str) -> str:
    return subprocess.run([*GIT, *args], cwd=cwd, check=True, capture_output=True, text=True).stdout.strip()


def snapshot_of_this_repository(dest: Path) -> str:
    """This working tree as a one-commit repository, so the hooks tested are the ones on disk."""
    listed = git(REPO, "ls-files", "-z", "--cached", "--others", "--exclude-standard").split("\0")
    for name in filter(None, listed):
        if (REPO / name).is_file():
            (dest / name).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(REPO / name, dest / name)
    git(dest, "init", "-q")
    git(dest, "add", "-A")
    git(dest, "commit", "-q", "-m", "snapshot")
    return git(dest, "rev-parse", "HEAD")


def test_hooks_check_fix_and_restore(tmp_path: Path) -> None:
    hooks = tmp_path / "hooks"
    hooks.mkdir()
    rev = snapshot_of_this_repository(hooks)
    corpus = tmp_path / "corpus"
    (corpus / "articles").mkdir(parents=True)
    names = sorted(p.name for p in SEEDS_RAW.glob("*.txt"))
    for name in names:
        shutil.copy(SEEDS_RAW / name, corpus / "articles" / name)
    (corpus / ".pre-commit-config.yaml").write_text(
        f"repos:\n- repo: {hooks}\n  rev: {rev}\n  hooks:\n  - id: cleaner-check\n  - id: cleaner-fix\n", "utf-8")
    git(corpus, "init", "-q")
    git(corpus, "add", "-A")
    env = {**os.environ, "PRE_COMMIT_HOME": str(tmp_path / "pre-commit-home"), "NO_COLOR": "1"}

    def hook(hook_id: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run([sys.executable, "-m", "pre_commit", "run", hook_id, "--all-files"],
                              cwd=corpus, env=env, capture_output=True, text=True, timeout=900)

    check = hook("cleaner-check")
    assert check.returncode == 1, check.stdout + check.stderr
    assert "articles/001_9949106f77b81d0f.txt: telesur/share-bar ×5" in check.stdout
    assert all((corpus / "articles" / n).read_bytes() == (SEEDS_RAW / n).read_bytes() for n in names)

    fix = hook("cleaner-fix")
    assert fix.returncode == 1, fix.stdout + fix.stderr
    for name in names:
        assert (corpus / "articles" / name).read_bytes() == (SEEDS_EXPECTED / name).read_bytes()
        assert (corpus / "articles" / (name[:-4] + ".meta.json")).is_file()
    state = {p: p.read_bytes() for p in (corpus / "articles").iterdir()}

    again = hook("cleaner-fix")
    assert again.returncode == 0, again.stdout + again.stderr
    assert {p: p.read_bytes() for p in (corpus / "articles").iterdir()} == state

    assert hook("cleaner-check").returncode == 0

    restored = tmp_path / "restored"
    files = [str(corpus / "articles" / n) for n in names]
    assert main(["restore", *files, "--to", str(restored)]) == 0
    for name in names:
        assert (restored / name).read_bytes() == (SEEDS_RAW / name).read_bytes()  # absolute paths: by name


def test_the_rules_lint_hook_takes_a_learned_folder_and_leaves_its_base_alone(tmp_path: Path) -> None:
    """A committed learned folder holds learn's last proposal in .learn-base/: the lint hook reads the rule
    files, not the base (the same site twice would be a clash)."""
    hooks = tmp_path / "hooks"
    hooks.mkdir()
    rev = snapshot_of_this_repository(hooks)
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    assert main(["learn", str(REPO / "tests" / "data" / "devsites" / "text-page"), "-o", str(corpus / "learned"),
                 "--quiet", "--jobs", "2"]) == 0
    assert list((corpus / "learned" / ".learn-base").glob("*.toml"))
    (corpus / ".pre-commit-config.yaml").write_text(
        f"repos:\n- repo: {hooks}\n  rev: {rev}\n  hooks:\n  - id: cleaner-rules-lint\n", "utf-8")
    git(corpus, "init", "-q")
    git(corpus, "add", "-A")
    env = {**os.environ, "PRE_COMMIT_HOME": str(tmp_path / "pre-commit-home"), "NO_COLOR": "1"}
    lint = subprocess.run([sys.executable, "-m", "pre_commit", "run", "cleaner-rules-lint", "--all-files"],
                          cwd=corpus, env=env, capture_output=True, text=True, timeout=900)
    assert lint.returncode == 0, lint.stdout + lint.stderr
    assert "problems" not in lint.stdout or ", 0 problems" in lint.stdout
