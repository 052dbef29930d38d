"""The `cleaner` command line's arguments: one parser, one sub-parser per command."""
from __future__ import annotations

import argparse
from collections.abc import Callable
from pathlib import Path

from cleaner.limits import DEFAULT_MAX_BYTES, DEFAULT_TIMEOUT
from cleaner.options import CONTENT_MODES, DEFAULT_GUARD, HTML_METADATA
from cleaner.version import __version__


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="cleaner",
        description="Strip site chrome from scraped article text, repair its encoding, "
        "and write normalized text with a JSON sidecar per document.",
    )
    parser.add_argument("--version", action="version", version=f"corpus-cleaner {__version__}")
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    shared = argparse.ArgumentParser(add_help=False)
    shared.add_argument("--rules", action="append", default=[], metavar="DIR",
                        help="also load the rule files below DIR (repeatable; adds to the configuration's)")
    shared.add_argument("--title", choices=("keep", "drop"), default=None,
                        help="keep the headline as the first paragraph (default), or move it to the sidecar only")
    shared.add_argument("--config", metavar="FILE", type=local_path, default=None,
                        help="cleaner.toml or pyproject.toml to use (default: found from the working directory)")
    shared.add_argument("--glob", action="append", default=None, metavar="PATTERN", dest="globs",
                        help="file names to take from directories (repeatable; default: *.txt)")
    shared.add_argument("--guard", type=share, default=None, metavar="SHARE",
                        help="the largest share of a document's words generic rules may remove; past it, the lines "
                        "of the generic rules that took most are put back, rule by rule, until the rest is within "
                        f"it, and the sidecar says which (default {DEFAULT_GUARD}; 1: no limit)")
    shared.add_argument("--content", choices=CONTENT_MODES, default=None,
                        help="what finds the article in text input: the line model after the rules on every "
                        "document (model, the default), the rules alone (rules), or the model only where a document "
                        "reads as a whole page (auto); HTML is extracted by trafilatura and runs the rules alone")
    shared.add_argument("--html-metadata", choices=HTML_METADATA, default=None,
                        help="an HTML page's title, date, author... from its own meta tags, JSON-LD and htmldate's "
                        "quick search (fast, the default), or by trafilatura's search of the whole page (full: "
                        "finds more dates and authors, about twice the time per page)")
    shared.add_argument("--timeout", type=seconds, default=DEFAULT_TIMEOUT, metavar="SECONDS",
                        help=f"give up on a document after this long, naming the rule at work (default {DEFAULT_TIMEOUT:g})")

    running = argparse.ArgumentParser(add_help=False)
    running.add_argument("inputs", nargs="+", metavar="INPUT", help="a file, or a directory searched recursively")
    running.add_argument("--jobs", type=positive, default=None, metavar="N", help="worker processes (default: all cores)")
    running.add_argument("--format", choices=("auto", "text", "html"), default="auto",
                         help="auto (default): HTML for .html/.htm/.xhtml names and for text that starts like an "
                         "HTML document, plain text otherwise")
    running.add_argument("--scheduler", metavar="ADDRESS", default=None,
                         help="run on the dask.distributed cluster whose scheduler is at ADDRESS (e.g. "
                         "tcp://host:8786); inputs, outputs and rule directories must be at the same paths on every "
                         "worker")
    running.add_argument("--max-bytes", type=size, default=DEFAULT_MAX_BYTES, metavar="SIZE",
                         help="refuse inputs larger than this (after gunzip), e.g. 500K, 64M "
                         f"(default {DEFAULT_MAX_BYTES >> 20}M)")
    running.add_argument("--quiet", action="store_true", help="no progress bar and no summary")

    clean = sub.add_parser("clean", parents=[shared, running], help="clean files and directories into an output directory",
                           description="Clean INPUT files and directories into OUTDIR, mirroring each "
                           "directory's tree: a/b.txt becomes OUTDIR/a/b.txt and OUTDIR/a/b.meta.json.")
    clean.add_argument("-o", "--output", required=True, type=local_path, metavar="OUTDIR",
                       help="where cleaned texts and sidecars go")
    clean.add_argument("--output-format", choices=("jsonl", "parquet"), default=None,
                       help="of shards and WARC/WET inputs' outputs (default: as the input; WARC and WET give jsonl)")
    clean.add_argument("--lang", type=languages, default=None, metavar="CODES",
                       help="write only documents detected in these languages, e.g. en,de (the others get a "
                       "sidecar saying why)")
    clean.add_argument("--force", action="store_true",
                       help="redo every document, also those an earlier run into OUTDIR left unchanged")
    clean.add_argument("--stats", metavar="FILE", type=local_path, default=None,
                       help="also write the run's statistics to FILE as JSON: statuses, hits per rule, rules that "
                       "never fired, documents per site and per language")
    clean.add_argument("--learn", nargs="?", const="", default=None, metavar="DIR",
                       type=lambda value: local_path(value) if value else "",  # argparse converts const too
                       help="first learn each site's recurring chrome from the inputs into DIR (default: "
                       "OUTDIR/learned-rules; the first pass's outputs are kept in OUTDIR/.learn-pass so that "
                       "reruns reuse them), then clean with those site files")

    learn = sub.add_parser("learn", parents=[shared, running], help="write site files for the chrome that recurs "
                           "on each site's pages",
                           description="Clean the INPUTs with the current rules (or read the finished run an INPUT "
                           "directory holds), group the pages by site (URL host, the rules' fingerprints, else the "
                           "lines pages share), and write one reviewable site file per site into DIR, each rule with "
                           "its evidence and cases. DIR/groups.tsv says which site each page went to.")
    learn.add_argument("-o", "--output", required=True, type=local_path, metavar="DIR",
                       help="the rule directory to write (use it with --rules DIR)")

    check = sub.add_parser("check", parents=[shared], help="exit 1 if cleaning would change any file (read-only)",
                           description="List each file that cleaning would change, with the rules that fire.")
    check.add_argument("inputs", nargs="+", metavar="FILE")
    check.add_argument("--diff", action="store_true",
                       help="also print a unified diff of each such file against what `fix` would write "
                       "(coloured on a terminal unless NO_COLOR is set)")

    fix = sub.add_parser("fix", parents=[shared], help="clean files in place, writing their sidecars",
                         description="Clean each file in place and write or update its sidecar x.meta.json; "
                         "exit 1 if anything changed. Reversible with `cleaner restore`.")
    fix.add_argument("inputs", nargs="+", metavar="FILE")

    explain = sub.add_parser("explain", parents=[shared], help="show every line of a file with what cleaning does to it",
                             description="Every input line with its fate: kept, dropped by which rule, or lifted into "
                             "which sidecar field. Coloured on a terminal (unless NO_COLOR is set). For HTML "
                             "input, the lines are those trafilatura extracted.")
    explain.add_argument("inputs", nargs="+", metavar="FILE")
    explain.add_argument("--format", choices=("text", "json"), default="text", dest="output_format")

    rules = sub.add_parser("rules", help="list, lint or test rule files; accept or reject learned rules",
                           description="Work on rule files: the shipped ones, or those below DIR. accept and "
                           "reject review learned files: FILE:ID names one rule, FILE every candidate in it; "
                           "a later `learn` keeps what you decided.")
    rules.add_argument("action", choices=("list", "lint", "test", "accept", "reject"),
                       help="list: one line per rule; lint: every problem as file:line: rule: message; "
                       "test: run every rule's removes/keeps cases; accept: make candidates rules; "
                       "reject: remove rules for good")
    rules.add_argument("dirs", nargs="*", metavar="DIR|FILE[:ID]",
                       help="rule files or directories (default: the shipped rules); for accept and reject, "
                       "learned files, each with :ID for one rule")

    report = sub.add_parser("report", help="write an HTML report of what a run removed, and stats.json",
                            description="Read the manifest and sidecars of a `cleaner clean` run (nothing is cleaned "
                            "again) and write REPORT_DIR/index.html (overview, rules, sites, languages, sampled "
                            "documents), one page per sampled document, and stats.json. Opens from disk; "
                            "nothing is fetched.")
    report.add_argument("run", type=local_path, metavar="OUTDIR", help="the output directory of a `cleaner clean` run")
    report.add_argument("-o", "--output", type=local_path, default=None, metavar="REPORT_DIR",
                        help="where the report goes (default: OUTDIR/report)")
    report.add_argument("--sample", type=positive, default=5, metavar="N",
                        help="documents sampled per rule, each with its own page (default 5)")

    restore = sub.add_parser("restore", help="rebuild original inputs from cleaned files and their sidecars",
                             description="Rebuild each file's first input, byte for byte, from the file and its "
                             "sidecar, checked against the recorded sha256. In place (removing the sidecar) "
                             "unless --to is given.")
    restore.add_argument("inputs", nargs="+", metavar="FILE")
    restore.add_argument("--to", metavar="DIR", type=local_path, default=None,
                         help="write restored files below DIR instead of in place")
    return parser


def _number(convert: Callable[[str], float], accept: Callable[[float], bool], wanted: str) -> Callable[[str], float]:
    """An argparse type: `convert` the value and check it, or say what was wanted."""
    def parse(value: str) -> float:
        try:
            number: float | None = convert(value)
        except ValueError:
            number = None
        if number is None or not accept(number):
            raise argparse.ArgumentTypeError(f"must be {wanted}, not {value!r}")
        return number
    return parse


positive = _number(int, lambda n: n >= 1, "a whole number of at least 1")
share = _number(float, lambda n: 0 <= n <= 1, "a share between 0 and 1")
seconds = _number(float, lambda n: n > 0, "a number of seconds above 0")

_UNITS = {"": 1, "K": 1 << 10, "M": 1 << 20, "G": 1 << 30}


def size(value: str) -> int:
    number, unit = value.strip().upper().rstrip("B"), ""
    if number[-1:] in _UNITS:
        number, unit = number[:-1], number[-1]
    if not number.isdigit() or int(number) < 1:
        raise argparse.ArgumentTypeError(f"must be a size such as 500K, 64M or 1000000, not {value!r}")
    return int(number) * _UNITS[unit]


def local_path(value: str) -> Path:
    """A path on this machine: a URL (s3://...) or `-` is refused rather than taken as a folder's name."""
    from cleaner.batch.inputs import refuse_remote
    from cleaner.errors import UsageError

    try:
        refuse_remote(value)
    except UsageError as exc:
        raise argparse.ArgumentTypeError(str(exc)) from None
    return Path(value)


def languages(value: str) -> frozenset[str]:
    from cleaner.text.language import codes as known_codes

    codes = frozenset(c.strip() for c in value.split(",") if c.strip())
    if not codes:
        raise argparse.ArgumentTypeError("give language codes separated by commas, e.g. en,de")
    known = known_codes()
    unknown = sorted(codes - known)
    if unknown:
        raise argparse.ArgumentTypeError(f"unknown language code {', '.join(map(repr, unknown))}; "
                                         f"known: {', '.join(sorted(known))}")
    return codes
