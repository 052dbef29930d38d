"""The report as static HTML: an overview page and one page per sampled document, opened from disk.

Everything is inline (styles, the histogram as SVG, a few lines of script to
sort tables), so the report opens from `file://` with no server and nothing
fetched. A document page is drawn from the record the way `cleaner explain`
reads it: each input line with its fate, dropped lines struck through and
labelled with their rule (and the line model's score), lifted values beside
the line they came from, the output beside the input.
"""
from __future__ import annotations

from collections.abc import Iterable
from html import escape
from pathlib import Path

from cleaner.record.explain import fates
from cleaner.record.model import Result
from cleaner.record.sidecar import Sidecar
from cleaner.review.gather import BINS, Doc, GroupStats, Run
from cleaner.text.layout import paragraphs

DOCS = "docs"  # folder of the document pages, beside index.html
TOP_RULES = 3

STYLE = """
body{font:14px/1.45 system-ui,sans-serif;margin:0 auto;max-width:1300px;padding:1em 2em;color:#222;background:#fff}
h1{font-size:1.5em}h2{margin-top:2em;border-bottom:1px solid #ccc}
table{border-collapse:collapse;margin:.5em 0}td,th{border:1px solid #ddd;padding:3px 8px;vertical-align:top}
th{background:#f3f3f3;cursor:pointer;text-align:left}td.n{text-align:right;font-variant-numeric:tabular-nums}
.long{font-size:12px;color:#555;max-width:40em}.mono{font-family:monospace;white-space:pre-wrap;word-break:break-word}
.cols{display:grid;grid-template-columns:3fr 2fr;gap:1.5em}
.ln{color:#999;display:inline-block;width:4em;text-align:right;margin-right:.6em}
.dropped del{color:#b00;text-decoration-thickness:1px}.tag{font-size:11px;background:#fde2e2;color:#900;
border-radius:3px;padding:0 4px;margin-left:.5em;white-space:nowrap}
.lifted .tag{background:#dff3f6;color:#06606e}.kept{color:#111}.out p{margin:0 0 .7em}
svg text{font-size:11px;fill:#444}
"""
SCRIPT = """
window.addEventListener('error', function (e) { document.body.dataset.errors = (document.body.dataset.errors || '') + e.message + ';'; });
document.querySelectorAll('table.sortable th').forEach(function (th, col) {
  th.addEventListener('click', function () {
    var body = th.closest('table').tBodies[0], rows = Array.from(body.rows), down = th.dataset.down !== '1';
    th.dataset.down = down ? '1' : '0';
    rows.sort(function (a, b) {
      var x = a.cells[col].dataset.v || a.cells[col].textContent, y = b.cells[col].dataset.v || b.cells[col].textContent;
      var nx = parseFloat(x), ny = parseFloat(y), c = (isNaN(nx) || isNaN(ny)) ? x.localeCompare(y) : nx - ny;
      return down ? -c : c;
    });
    rows.forEach(function (r) { body.appendChild(r); });
  });
});
document.body.dataset.ready = '1';
"""


def _page(title: str, body: str) -> bytes:
    html = (f'<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8"><title>{escape(title)}</title>'
            f"<style>{STYLE}</style></head>\n<body>\n{body}\n<script>{SCRIPT}</script>\n</body></html>\n")
    return html.encode("utf-8", "backslashreplace")  # a path's undecodable bytes show as escapes


def _shown(text: str) -> str:
    return escape(text.encode("utf-8", "backslashreplace").decode("utf-8"))


def doc_href(key: str, from_docs: bool = False) -> str:
    return f"{key}.html" if from_docs else f"{DOCS}/{key}.html"


def _n(value: int | float, shown: str | None = None) -> str:
    return f'<td class="n" data-v="{value}">{shown if shown is not None else f"{value:,}"}</td>'


def _pct(share: float) -> str:
    return _n(round(share, 4), f"{share:.1%}")


def _table(headers: Iterable[str], rows: Iterable[str], table_id: str) -> str:
    head = "".join(f"<th>{escape(h)}</th>" for h in headers)
    return f'<table class="sortable" id="{table_id}"><thead><tr>{head}</tr></thead><tbody>\n' + "\n".join(rows) + "\n</tbody></table>"


def _link(doc: Doc | None, key: str, label: str, from_docs: bool = False) -> str:
    return f'<a href="{doc_href(key, from_docs)}">{_shown(label)}</a>' if doc is not None else _shown(label)


def histogram(counts: list[int]) -> str:
    """The share removed per document, as bars (an inline SVG)."""
    width, height, pad = 640, 180, 30
    top = max(counts) or 1
    bar = (width - 2 * pad) / len(counts)
    parts = [f'<svg id="histogram" width="{width}" height="{height + 40}" role="img" '
             f'aria-label="documents by share removed">']
    for k, count in enumerate(counts):
        h = (height - pad) * count / top
        x = pad + k * bar
        parts.append(f'<rect x="{x:.1f}" y="{height - h:.1f}" width="{bar - 2:.1f}" height="{h:.1f}" fill="#4a78b5">'
                     f"<title>{k * 100 // BINS}–{(k + 1) * 100 // BINS}% removed: {count} documents</title></rect>")
        if count:
            parts.append(f'<text x="{x + bar / 2:.1f}" y="{height - h - 3:.1f}" text-anchor="middle">{count}</text>')
    for k in range(0, BINS + 1, BINS // 4):
        parts.append(f'<text x="{pad + k * bar:.1f}" y="{height + 15}" text-anchor="middle">{k * 100 // BINS}%</text>')
    parts.append(f'<text x="{width / 2}" y="{height + 35}" text-anchor="middle">share of each document removed</text>')
    parts.append(f'<line x1="{pad}" y1="{height}" x2="{width - pad}" y2="{height}" stroke="#888"/></svg>')
    return "".join(parts)


def index_page(run: Run) -> bytes:
    s = run.statuses
    overview = [
        ("documents read", run.documents), ("written", s["written"] + s["unchanged"]), ("failed", s["failed"]),
        ("filtered (language)", s["filtered"]), ("emptied", s["emptied"]),
        ("characters in (kept and dropped lines)", run.chars_in), ("characters out", run.chars_out),
    ]
    if run.records:
        overview += [(f"shard records {name}", count) for name, count in sorted(run.records.items())]
    rows = [f"<tr><th>{escape(name)}</th><td class=\"n\" id=\"o-{_slug(name)}\">{value:,}</td></tr>" for name, value in overview]
    rows.append(f'<tr><th>share removed</th><td class="n" id="o-share">{run.share:.1%}</td></tr>')
    body = [f"<h1>What the run in {_shown(str(run.root))} removed</h1>",
            '<p>From the run\'s manifest and sidecars; nothing was cleaned again. '
            'Counts per rule, site and language are also in <a href="stats.json">stats.json</a>.</p>',
            '<h2 id="overview">Overview</h2><div class="cols"><table id="overview-table">' + "".join(rows) + "</table>",
            f"<div>{histogram(run.histogram)}</div></div>"]
    body.append(_rules_section(run))
    body.append(_groups_section(run, "Sites", "sites", run.sites))
    body.append(_groups_section(run, "Languages", "langs", run.langs))
    reduced = sorted(run.reduced, key=lambda t: (-t[0], t[1]))
    body.append(f'<h2 id="reduced">The {len(reduced)} most-reduced documents</h2>' + _table(
        ["document", "site", "language", "removed", "lines dropped"],
        (f"<tr><td>{_link(run.docs.get(k), k, run.docs[k].input)}</td><td>{_shown(run.docs[k].site or '')}</td>"
         f"<td>{escape(run.docs[k].lang or '')}</td>{_pct(share)}{_n(run.docs[k].dropped)}</tr>"
         for share, k in reduced if k in run.docs), "reduced-table"))
    body.append(f'<h2 id="guard">The guard put lines back in {run.guard_count:,} documents</h2>')
    if run.guarded:
        body.append("<p>Generic rules would have taken more than the guard allows; what they took was put back.</p>"
                    + _table(["document", "would have taken", "rules put back"],
                             (f"<tr><td>{_link(run.docs.get(k), k, src)}</td>{_pct(share)}"
                              f"<td>{escape(', '.join(f'{r} ×{n}' for r, n in rules.items()))}</td></tr>"
                              for k, src, share, rules in run.guarded), "guard-table"))
    body.append(f'<h2 id="failures">Failures: {run.failure_count:,}</h2>')
    if run.failures:
        body.append(_table(["input", "reason"], (f"<tr><td class=\"mono\">{_shown(p)}</td><td>{_shown(r)}</td></tr>"
                                                 for p, r in run.failures), "failures-table"))
    if run.unreadable:
        body.append("<h2>Sidecars that could not be read</h2>" + _table(
            ["sidecar", "reason"], (f"<tr><td>{_shown(p)}</td><td>{_shown(r)}</td></tr>" for p, r in run.unreadable),
            "unreadable-table"))
    return _page("corpus-cleaner report", "\n".join(body))


def _slug(name: str) -> str:
    return "-".join(name.replace("(", "").replace(")", "").split())


def _rules_section(run: Run) -> str:
    rows = []
    for name, r in sorted(run.rules.items(), key=lambda kv: (-kv[1].hits, kv[0])):
        samples = sorted(r.samples, reverse=True)
        links = " ".join(f'<a class="sample" href="{doc_href(k)}">{n}</a>' for n, (_, k) in enumerate(samples, 1)
                         if k in run.docs)
        longest = "<br>".join(f"<span title=\"{len_} characters\">{_shown(text[:240])}{'…' if len_ > 240 else ''}</span>"
                              for len_, text, _ in r.longest)
        rows.append(f'<tr data-rule="{escape(name)}"><td class="mono">{escape(name)}</td>{_n(r.hits)}{_n(r.dropped)}'
                    f"{_n(r.docs)}{_n(r.chars)}{_n(r.longest[0][0] if r.longest else 0)}"
                    f'<td class="long">{longest}</td><td>{links}</td></tr>')
    return ('<h2 id="rules">Rules</h2><p>Hits count the lines a rule dropped and the kept lines it lifted a value '
            "from, as <code>--stats</code> does. A rule whose longest dropped lines read as prose deserves a look. "
            "Click a column to sort.</p>"
            + _table(["rule", "hits", "lines dropped", "documents", "characters removed", "longest line",
                      "longest lines dropped", "sample documents"], rows, "rules-table"))


def _groups_section(run: Run, title: str, anchor: str, groups: dict[str, GroupStats]) -> str:
    rows = []
    for name, g in sorted(groups.items(), key=lambda kv: (-kv[1].docs, kv[0])):
        top = ", ".join(f"{rule} ×{n}" for rule, n in g.rules.most_common(TOP_RULES))
        rows.append(f"<tr><td>{_shown(name)}</td>{_n(g.docs)}{_pct(g.share)}<td class=\"mono\">{escape(top)}</td></tr>")
    return f'<h2 id="{anchor}">{title}</h2>' + _table([title[:-1].lower(), "documents", "removed", "top rules"], rows,
                                                       f"{anchor}-table")


def doc_page(doc: Doc, sidecar: Sidecar, output: str | None) -> bytes:
    """The input with each dropped line struck through and labelled, the output beside it."""
    record = sidecar.record
    lines = fates(Result(output or "", record))
    extracted = {e.line: e for e in record.extracted}
    rows = []
    for fate in lines:
        text = _shown(fate.text)
        number = f'<span class="ln">{fate.line}</span>'
        score = f" {fate.score:.2f}" if fate.score is not None else ""
        lifted = extracted.get(fate.line)
        lift = (f'<span class="tag">{escape(lifted.rule)} → {escape(lifted.field)}: {_shown(lifted.value)}</span>'
                if lifted else "")
        if fate.fate in ("dropped", "lifted"):
            tag = lift if fate.fate == "lifted" else f'<span class="tag">{escape(fate.rule or "")}{score}</span>{lift}'
            rows.append(f'<div class="{fate.fate}" data-rule="{escape(fate.rule or "")}">{number}<del>{text}</del>{tag}</div>')
        elif fate.fate == "kept" and output is not None:
            rows.append(f'<div class="kept">{number}{text}{lift}'
                        + (f'<span class="tag" style="background:#eee;color:#555">{score.strip()}</span>' if score else "")
                        + "</div>")
        elif fate.fate == "kept":
            rows.append(f'<div class="kept">{number}<i>(kept line: the text was not written)</i></div>')
        else:
            rows.append(f'<div class="blank">{number}</div>')
    facts = [("input", doc.input), ("site", record.site or "(none)"), ("language", f"{record.lang} ({record.lang_prob:.2f})"),
             ("title", record.title or ""), *((k, v) for k, v in record.fields.items() if v),
             ("captions", " | ".join(record.captions)), ("status", sidecar.filtered and f"not written: {sidecar.filtered}"
                                                          or doc.status)]
    if record.guard is not None:
        facts.append(("guard", f"generic rules would have taken {record.guard.share:.0%}; put back "
                               + ", ".join(record.guard.rules)))
    head = "".join(f"<tr><th>{escape(k)}</th><td>{_shown(str(v))}</td></tr>" for k, v in facts if v)
    out = ("".join(f"<p>{_shown(p)}</p>" for p in paragraphs(output)) if output
           else "<p><i>no text written</i></p>")
    body = (f'<p><a id="back" href="../index.html">← back to the report</a></p><h1>{_shown(Path(doc.input).name)}</h1>'
            f"<table>{head}</table><p>{doc.dropped} lines dropped, {doc.share:.1%} of the characters removed.</p>"
            f'<div class="cols"><div><h2>Input</h2><div class="mono" id="input">{"".join(rows)}</div></div>'
            f'<div><h2>Output</h2><div class="out" id="output">{out}</div></div></div>')
    return _page(Path(doc.input).name, body)
