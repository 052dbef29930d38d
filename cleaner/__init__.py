"""corpus-cleaner: strip site chrome from scraped article text, repair its encoding, record every change."""
from __future__ import annotations

__version__ = "0.1.0"

from cleaner.core import clean_bytes, clean_text  # noqa: E402
from cleaner.errors import CleanerError  # noqa: E402
from cleaner.options import Options  # noqa: E402
from cleaner.record.model import Record, Result  # noqa: E402
from cleaner.rulebook.load import load_ruleset  # noqa: E402
from cleaner.rulebook.model import RuleError, Ruleset  # noqa: E402
from cleaner.text.decode import DecodeError  # noqa: E402

__all__ = [
    "CleanerError", "DecodeError", "Options", "Record", "Result", "RuleError", "Ruleset",
    "clean_bytes", "clean_text", "load_ruleset", "__version__",
]
