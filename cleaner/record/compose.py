"""Fold a later cleaning into an earlier one's record, so the sidecar always leads back to the first input.

`fix` on a file it fixed before (say, after a rule was added) cleans the
earlier output again. The new record speaks of the earlier output's lines;
composing maps them back through the earlier record's layout (paragraph k of
a cleaned text is its line 2k+1) to the first input's lines. The result is one
flat record, as if the first input had been cleaned in one go: every dropped
line under its original number, with its original text.
"""
from __future__ import annotations

from typing import Any

_FIRST_FOUND = ("site", "title", "published", "section", "author")


def compose(earlier: dict[str, Any], earlier_text: str, later: dict[str, Any], later_text: str) -> dict[str, Any]:
    """The sidecar of input -> earlier_text -> later_text, as one record of input -> later_text."""
    paragraphs = earlier["layout"]["paragraph_lines"]
    shown = earlier_text.split("\n")  # the earlier output's lines: paragraphs at odd line numbers
    raw = {line: text for line, text in earlier["layout"]["raw_lines"]}

    def original(line: int) -> int:
        """The input line behind line `line` (a paragraph line) of the earlier output."""
        return paragraphs[(line - 1) // 2]

    def first(line: int) -> str:
        """Line `line` of the earlier output as the first input had it."""
        return raw.get(original(line), shown[line - 1])

    dropped = list(earlier["dropped"])
    for d in later["dropped"]:
        text = first(d["line"])
        dropped.append({"line": original(d["line"]), "rule": d["rule"], "text": d["text"],
                        **({"raw": text} if text != d["text"] else {})})
    kept = [original(line) for line in later["layout"]["paragraph_lines"]]
    new_paragraphs = later_text[:-1].split("\n\n") if later_text else []
    at_paragraph = set(paragraphs)
    raw_lines = [[line, text] for line, text in raw.items() if line not in at_paragraph]  # blank lines
    raw_lines += [[original(line), first(line)] for line, text in zip(later["layout"]["paragraph_lines"], new_paragraphs)
                  if first(line) != text]

    composed = dict(later)
    composed["source"] = {**earlier["source"], "path": later["source"]["path"]}
    for key in _FIRST_FOUND:
        composed[key] = earlier[key] if earlier[key] is not None else later[key]
    composed["captions"] = earlier["captions"] + later["captions"]
    composed["options"] = {**later["options"], "title": earlier["options"]["title"]}
    composed["guard"] = earlier.get("guard") or later["guard"]
    composed["repairs"] = {
        "ftfy": sorted(earlier["repairs"]["ftfy"] + [{**f, "line": original(f["line"])} for f in later["repairs"]["ftfy"]],
                       key=lambda f: f["line"]),
        "normalize": earlier["repairs"]["normalize"],
    }
    composed["dropped"] = sorted(dropped, key=lambda d: d["line"])
    composed["extracted"] = sorted(earlier["extracted"] + [{**e, "line": original(e["line"])} for e in later["extracted"]],
                                   key=lambda e: e["line"])
    composed["layout"] = {**earlier["layout"], "paragraph_lines": kept, "raw_lines": sorted(raw_lines)}
    return composed
