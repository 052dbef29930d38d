"""Running from a source tree, and a sandbox child that cannot start saying why."""
from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from cleaner.batch.sandbox import Sandbox, SandboxError
from cleaner.batch.settings import Settings

from .conftest import checkout_copy

SENTENCE = "The council met on Tuesday and agreed the budget for the coming year.\n"


def test_a_source_tree_imported_from_its_root_finds_its_own_rules(tmp_path: Path) -> None:
    root = checkout_copy(tmp_path)
    code = ("import cleaner, cleaner.rulebook.load as load; "
            "print(cleaner.__file__); print(load.shipped_rules_dir()); print(cleaner.clean_text(SENTENCE).text, end='')")
    done = subprocess.run([sys.executable, "-c", f"SENTENCE = {SENTENCE!r}\n{code}"], cwd=root, capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    module, rules, text = done.stdout.splitlines()
    assert Path(module) == root / "cleaner" / "__init__.py"
    assert Path(rules) == root / "rules"
    assert text == SENTENCE.strip()


class _FailsToUnpickle:
    """Arrives in the child as a call that raises: a start that fails in a way no rule file explains."""

    def __reduce__(self) -> tuple[object, tuple[str]]:
        return int, ("not a number",)


def test_a_sandbox_child_that_cannot_start_names_its_exception() -> None:
    with pytest.raises(SandboxError) as caught, Sandbox([_FailsToUnpickle()], Settings()) as sandbox:  # type: ignore[list-item]
        sandbox.clean([])
    message = str(caught.value)
    assert message == ("the sandbox process did not start: "
                       "ValueError: invalid literal for int() with base 10: 'not a number'"), message


def test_a_sandbox_child_runs_the_code_its_parent_runs_whatever_the_working_directory(tmp_path: Path,
                                                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    broken = tmp_path / "cleaner"
    broken.mkdir()
    (broken / "__init__.py").write_text("raise ImportError('an unrelated cleaner/ in the working directory')\n")
    monkeypatch.chdir(tmp_path)
    with Sandbox([], Settings()) as sandbox:
        assert sandbox.clean([]) == []
