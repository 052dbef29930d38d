"""The options that shape a document's output besides its rules: one frozen type for the core,
the configuration file, the command line, the sidecar and the check that reuses earlier outputs."""
from __future__ import annotations

from dataclasses import asdict, dataclass
from typing import Any

TITLE_MODES = ("keep", "drop")
CONTENT_MODES = ("rules", "model", "auto")
HTML_METADATA = ("fast", "full")
DEFAULT_GUARD = 0.5  # generic rules may take at most this share of a document's words


@dataclass(frozen=True)
class Options:
    """`title`: keep the headline as the first paragraph or drop it to the sidecar; `ftfy`: repair
    encoding damage; `guard`: the largest share of a document's words generic rules may remove
    (None or 1: no limit, held as None; a share as a float, so equal settings are equal options);
    `content`: what finds the article, `rules` alone, the line `model` after them
    (the default: see docs/line-model.md), or the model only where a document reads as a
    whole page (`auto`); `html_metadata`: an HTML page's
    title, date, author... from its own tags (`fast`) or by trafilatura's search of the whole page
    (`full`, about twice the time of extracting the text). Invalid values raise ValueError."""

    title: str = "keep"
    ftfy: bool = True
    guard: float | None = DEFAULT_GUARD
    content: str = "model"
    html_metadata: str = "fast"

    def __post_init__(self) -> None:
        if self.title not in TITLE_MODES:
            raise ValueError(f"title must be one of {', '.join(TITLE_MODES)}, not {self.title!r}")
        if not isinstance(self.ftfy, bool):
            raise ValueError(f"ftfy must be true or false, not {self.ftfy!r}")
        if self.guard is not None and (isinstance(self.guard, bool) or not isinstance(self.guard, (int, float))
                                       or not 0 <= self.guard <= 1):
            raise ValueError(f"guard must be a share between 0 and 1, not {self.guard!r}")
        if self.guard is not None:  # one value per setting: 1 takes no more than no limit, 0 is 0.0
            object.__setattr__(self, "guard", None if self.guard == 1 else float(self.guard))
        if self.content not in CONTENT_MODES:
            raise ValueError(f"content must be one of {', '.join(CONTENT_MODES)}, not {self.content!r}")
        if self.html_metadata not in HTML_METADATA:
            raise ValueError(f"html_metadata must be one of {', '.join(HTML_METADATA)}, not {self.html_metadata!r}")

    def as_record(self) -> dict[str, Any]:
        """As the sidecar states them (its `options` field). `content` is stated where it is not
        `rules`, `html_metadata` where it is not `fast`: sidecars read as they did before those came."""
        stated = asdict(self)
        if self.content == "rules":
            del stated["content"]
        if self.html_metadata == "fast":
            del stated["html_metadata"]
        return stated

    @classmethod
    def from_record(cls, value: Any) -> Options:
        """The options a sidecar states; ValueError (or TypeError) if it states something else."""
        if not isinstance(value, dict) or not {"title", "ftfy", "guard"} <= set(value) <= {*_FIELDS}:
            raise ValueError(f"not a record of options: {value!r}")
        return cls(**value)


_FIELDS = ("title", "ftfy", "guard", "content", "html_metadata")
DEFAULTS = Options()  # what every entry point takes when not told otherwise
