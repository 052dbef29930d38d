"""The options that shape a document's output besides its rules: one frozen type for the core,
the configuration file, the command line, the sidecar and the check that reuses earlier outputs."""
from __future__ import annotations

from dataclasses import asdict, dataclass
from typing import Any

TITLE_MODES = ("keep", "drop")
DEFAULT_GUARD = 0.5  # generic rules may take at most this share of a document's words


@dataclass(frozen=True)
class Options:
    """`title`: keep the headline as the first paragraph or drop it to the sidecar; `ftfy`: repair
    encoding damage; `guard`: the largest share of a document's words generic rules may remove
    (None: no limit). Invalid values raise ValueError."""

    title: str = "keep"
    ftfy: bool = True
    guard: float | None = DEFAULT_GUARD

    def __post_init__(self) -> None:
        if self.title not in TITLE_MODES:
            raise ValueError(f"title must be one of {', '.join(TITLE_MODES)}, not {self.title!r}")
        if not isinstance(self.ftfy, bool):
            raise ValueError(f"ftfy must be true or false, not {self.ftfy!r}")
        if self.guard is not None and (isinstance(self.guard, bool) or not 0 <= self.guard <= 1):
            raise ValueError(f"guard must be a share between 0 and 1, not {self.guard!r}")

    def as_record(self) -> dict[str, Any]:
        """As the sidecar states them (its `options` field)."""
        return asdict(self)

    @classmethod
    def from_record(cls, value: Any) -> Options:
        """The options a sidecar states; ValueError (or TypeError) if it states something else."""
        if not isinstance(value, dict) or set(value) != {"title", "ftfy", "guard"}:
            raise ValueError(f"not a record of options: {value!r}")
        return cls(**value)
