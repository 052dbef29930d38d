"""What shapes every output of a run besides the rules."""
from __future__ import annotations

from dataclasses import dataclass

from cleaner.limits import DEFAULT_MAX_BYTES, DEFAULT_TIMEOUT
from cleaner.options import Options


@dataclass(frozen=True)
class Settings:
    options: Options = Options()  # what the core takes (see cleaner.options)
    langs: frozenset[str] | None = None  # write only documents in these languages
    force: bool = False  # redo documents a rerun could reuse
    max_bytes: int | None = DEFAULT_MAX_BYTES  # larger inputs are refused
    timeout: float | None = DEFAULT_TIMEOUT  # seconds per document
