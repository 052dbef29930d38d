"""`cleaner explain`: every line of a file with its fate, read from the record."""
from __future__ import annotations

import argparse
import sys
from pathlib import Path

from cleaner.cli.common import EXIT_OK, FILE_ERRORS, chosen, colour_wanted, file_failed
from cleaner.display import shown


def explain(args: argparse.Namespace) -> int:
    from cleaner.batch.files import read_input
    from cleaner.core import clean_bytes
    from cleaner.limits import time_limit
    from cleaner.record.explain import as_json, as_text
    from cleaner.rulebook.load import load_ruleset
    from cleaner.text.htmlpage import format_of

    choice = chosen(args)
    ruleset = load_ruleset(choice.rules)
    colour = colour_wanted()
    status = EXIT_OK
    for name in args.inputs:
        try:
            data, _ = read_input(Path(name))
            with time_limit(args.timeout):
                result = clean_bytes(data, ruleset, options=choice.options, format=format_of(name))
        except FILE_ERRORS as exc:
            status = file_failed(name, exc)
            continue
        sys.stdout.write(as_json(result, shown(name)) if args.output_format == "json"
                         else as_text(result, shown(name), colour))
    return status
