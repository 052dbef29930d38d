"""The README a newcomer reads first: short, and every page it leads to is there."""
from __future__ import annotations

import re
from pathlib import Path

from .conftest import REPO

LINK = re.compile(r"\[[^\]]*\]\(([^)\s]+)\)")


def relative_links(page: Path) -> list[str]:
    """The relative targets of a Markdown page's links, outside code blocks, without their #anchors."""
    text = re.sub(r"```.*?```", "", page.read_text("utf-8"), flags=re.S)
    return [target.split("#")[0] for target in LINK.findall(text)
            if not re.match(r"[a-z]+:", target) and not target.startswith("#")]


def test_the_readme_fits_on_a_screen_or_two() -> None:
    assert len((REPO / "README.md").read_text("utf-8").splitlines()) <= 150


def test_the_readme_starts_with_the_two_set_up_commands() -> None:
    text = (REPO / "README.md").read_text("utf-8")
    blocks = re.findall(r"```sh\n(.*?)```", text, flags=re.S)
    assert "pip install . && .venv/bin/cleaner clean samples/raw -o out" in blocks[0]
    assert "pip install -e '.[test]' && .venv/bin/python -m pytest -q" in blocks[1]


def test_every_docs_page_is_linked_from_the_readme() -> None:
    linked = {(REPO / target).resolve() for target in relative_links(REPO / "README.md")}
    pages = {page.resolve() for page in (REPO / "docs").glob("*.md")}
    assert pages and pages <= linked, sorted(p.name for p in pages - linked)


def test_no_relative_link_is_broken() -> None:
    pages = [REPO / "README.md", REPO / "RELIABILITY.md", REPO / "rules" / "README.md",
             *sorted((REPO / "docs").glob("*.md"))]
    broken = [(page.relative_to(REPO).as_posix(), target) for page in pages for target in relative_links(page)
              if target and not (page.parent / target).exists()]
    assert not broken, broken


def test_the_first_set_up_command_s_diff_holds(tmp_path) -> None:
    """The README's first command ends in `diff -r -x ... samples/expected out`: what a run writes, less
    what that command leaves out, is samples/expected, byte for byte."""
    from fnmatch import fnmatch

    from cleaner.cli import main

    text = (REPO / "README.md").read_text("utf-8")
    first = re.findall(r"```sh\n(.*?)```", text, flags=re.S)[0]
    left_out = [p.strip("'\"") for p in re.findall(r"-x (\S+)", first)]
    assert main(["clean", str(REPO / "samples" / "raw"), "-o", str(tmp_path / "out"), "--quiet"]) == 0

    def compared(root) -> dict[str, bytes]:
        return {p.relative_to(root).as_posix(): p.read_bytes() for p in sorted(root.rglob("*"))
                if p.is_file() and not any(fnmatch(p.name, pattern) for pattern in left_out)}

    assert compared(tmp_path / "out") == compared(REPO / "samples" / "expected")
