"""corpus-cleaner: strip site chrome from scraped article text, repair its encoding, record every change."""
from __future__ import annotations

__version__ = "0.1.0"

from cleaner.core import Record, Result, clean_bytes, clean_text  # noqa: E402
from cleaner.text.decode import DecodeError  # noqa: E402
from cleaner.rulebook.load import RuleError, Ruleset, load_ruleset  # noqa: E402

__all__ = [
    "DecodeError", "Record", "Result", "RuleError", "Ruleset",
    "clean_bytes", "clean_text", "load_ruleset", "__version__",
]
