"""corpus-cleaner: strip site chrome from scraped article text, repair its encoding, record every change."""
from __future__ import annotations

from cleaner.core import clean_bytes, clean_text
from cleaner.errors import CleanerError
from cleaner.options import Options
from cleaner.record.model import Record, Result
from cleaner.rulebook.load import load_ruleset
from cleaner.rulebook.model import RuleError, Ruleset
from cleaner.text.decode import DecodeError
from cleaner.version import __version__

__all__ = [
    "CleanerError", "DecodeError", "Options", "Record", "Result", "RuleError", "Ruleset",
    "clean_bytes", "clean_text", "load_ruleset", "__version__",
]
