"""A person's review of a learned file survives relearning: a three-way merge, rule by rule, as git merges.

    base     what `learn` proposed last time, kept in DIR/.learn-base/ beside the files it wrote
    current  the file as the person left it (rules accepted, edited or deleted)
    new      what `learn` proposes now

A rule is known by its pattern (`match`), which stays put when its id, its
evidence or its state change. Per rule:

- the person left it as proposed: the new proposal replaces it (fresh counts),
  or, with its evidence gone, it goes;
- the person deleted it: it stays deleted, however often it recurs;
- the person changed it (accepted a candidate, edited, commented out): it
  stays as they left it; an active one whose evidence is gone is kept and
  flagged, not deleted;
- the person wrote it: it stays;
- it is new: it is added.

The header (name, fingerprints) is the new one unless the person changed it.
Where the site's reviewed file lives in another rule folder (`--rules MINE
--learn`), the file written here holds only what that one does not: new
rules and candidates, which add to it.
"""
from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass
from typing import Any

from cleaner.errors import CleanerError

BASE = ".learn-base"  # below a learned folder: what `learn` proposed last, one file per site file
GONE = "# kept as you left it: no longer seen on the pages learned from (delete it if it is not chrome)"
REJECTED = "# rejected, not learned again: "  # what `cleaner rules reject` leaves of a rule: its pattern
_REJECTED = re.compile("^" + re.escape(REJECTED) + "(.*)$", re.MULTILINE)
_TABLE = re.compile(r"^(# )?\[\[rule\]\]$", re.MULTILINE)


class ReviewError(CleanerError):
    """A learned file that cannot be merged or changed as asked: names the file and the reason."""


@dataclass(frozen=True)
class Block:
    """One rule of a learned file as written: its lines (evidence comments and table) and what they say."""

    text: str
    active: bool  # False: a candidate, commented out
    fields: dict[str, Any]  # the rule's table as TOML reads it (a candidate's once uncommented)

    @property
    def key(self) -> str:
        return str(self.fields.get("match", self.fields.get("id", "")))

    @property
    def id(self) -> str:
        return str(self.fields.get("id", ""))


@dataclass(frozen=True)
class LearnedText:
    """A learned file cut into its header and its rule blocks (a blank line before each)."""

    header: str
    blocks: tuple[Block, ...]
    loose: tuple[str, ...] = ()  # chunks holding no rule, or more than one: a person's, kept as they are

    def rejected(self) -> set[str]:
        """The patterns of the rules a person rejected with `cleaner rules reject` (REJECTED lines)."""
        return {m for chunk in (self.header, *self.loose, *(b.text for b in self.blocks))
                for m in _REJECTED.findall(chunk)}

    def header_table(self) -> dict[str, Any]:
        try:
            return dict(tomllib.loads(self.header).get("learned", {}))
        except tomllib.TOMLDecodeError:
            return {"text": self.header}

    def by_key(self) -> dict[str, Block]:
        return {b.key: b for b in self.blocks}

    def render(self) -> str:
        return "\n\n".join([self.header.rstrip("\n"), *(b.text.rstrip("\n") for b in self.blocks),
                            *(c.rstrip("\n") for c in self.loose)]) + "\n"


def parse(text: str) -> LearnedText:
    """`text` (a learned file) cut into blocks; ReviewError if it is not valid TOML or a rule cannot be read
    (the message names no file: its caller does)."""
    try:
        tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise ReviewError(f"not valid TOML ({exc}); mend it, or remove it to learn it afresh") from None
    chunks = re.split(r"\n\s*\n", text.strip("\n"))
    header = chunks[0]
    blocks: list[Block] = []
    loose: list[str] = []
    for chunk in chunks[1:]:
        tables = _TABLE.findall(chunk)
        if len(tables) != 1:
            loose.append(chunk)
            continue
        active = tables[0] == ""
        blocks.append(Block(chunk, active, _fields(chunk, active)))
    return LearnedText(header, tuple(blocks), tuple(loose))


def _fields(chunk: str, active: bool) -> dict[str, Any]:
    if active:
        table = chunk[_TABLE.search(chunk).start():]  # type: ignore[union-attr]
    else:
        lines = chunk[_TABLE.search(chunk).start():].split("\n")  # type: ignore[union-attr]
        table = "\n".join(line[2:] if line.startswith("# ") else "" for line in lines)
    try:
        return dict(tomllib.loads(table)["rule"][0])
    except (tomllib.TOMLDecodeError, KeyError, IndexError) as exc:
        raise ReviewError(f"a rule that does not read ({exc}); mend it, or delete it") from None


def merge(base: LearnedText | None, current: LearnedText | None, new: LearnedText, *, elsewhere: bool = False) -> str:
    """The file to write: `new` with the person's decisions in `current` kept (see the module's rules).
    `elsewhere`: `current` is the site's reviewed file in another folder; write only what it lacks."""
    if current is None:
        return new.render()
    old = base.by_key() if base is not None else {}
    now = current.by_key()
    rejected = current.rejected()
    proposed = {key: block for key, block in new.by_key().items() if key not in rejected}
    out: list[Block] = []
    for key, block in proposed.items():
        if key in now:
            mine = now[key]
            untouched = key in old and _same(old[key], mine)
            if not elsewhere:
                out.append(block if untouched else mine)
        elif key not in old:
            out.append(block)  # new (a key the person deleted is in `old` and stays deleted)
    if not elsewhere:
        for key, mine in now.items():
            if key in proposed:
                continue
            if key in old and _same(old[key], mine):
                continue  # as proposed, and no longer found: it goes
            flagged = mine.active and key in old and GONE not in mine.text
            out.append(Block(f"{GONE}\n{mine.text}", mine.active, mine.fields) if flagged else mine)
    header = new.header
    if base is not None and not elsewhere and current.header_table() != base.header_table():
        header = current.header  # the person's own name, fingerprints or notes
    return LearnedText(header, tuple(out), () if elsewhere else current.loose).render()


def _same(a: Block, b: Block) -> bool:
    return a.active == b.active and a.fields == b.fields


def decide(text: str, rule_id: str | None, accept: bool) -> tuple[str, int]:
    """`text` with a candidate accepted (uncommented) or a rule rejected (removed, a REJECTED line with its
    pattern left in its place, so that no later learning proposes it again, wherever the file is kept),
    by id, or every candidate where `rule_id` is None; and how many rules changed. ReviewError for an id
    it lacks."""
    parsed = parse(text)
    if rule_id is not None and rule_id not in {b.id for b in parsed.blocks}:
        raise ReviewError(f"no rule {rule_id!r} in the file")
    out: list[Block] = []
    rejected: list[str] = []
    changed = 0
    for block in parsed.blocks:
        chosen = block.id == rule_id if rule_id is not None else not block.active
        if not chosen:
            out.append(block)
        elif accept and not block.active:
            out.append(Block(_uncommented(block.text), True, block.fields))
            changed += 1
        elif not accept:
            changed += 1
            rejected.append(REJECTED + block.key.replace("\n", " "))
        else:
            out.append(block)
    loose = parsed.loose + (("\n".join(rejected),) if rejected else ())
    return LearnedText(parsed.header, tuple(out), loose).render(), changed


def _uncommented(text: str) -> str:
    lines = text.split("\n")
    start = next(n for n, line in enumerate(lines) if line == "# [[rule]]")
    evidence = [re.sub(r"^# candidate \(([^)]*)\): ", r"# accepted (\1): ", line) for line in lines[:start]]
    return "\n".join(evidence + [line[2:] if line.startswith("# ") else line for line in lines[start:]])
