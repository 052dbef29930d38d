"""Project configuration: `cleaner.toml`, or `[tool.cleaner]` in `pyproject.toml`, found from the corpus repository.

Search starts in the working directory and walks up to the repository root
(the first directory holding `.git`). Command-line flags override what the
file says; rule directories are relative to the file that names them.
"""
from __future__ import annotations

import tomllib
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from cleaner.errors import UsageError
from cleaner.options import CONTENT_MODES, DEFAULT_GUARD, HTML_METADATA, TITLE_MODES, Options

_KEYS = {"rules", "title", "globs", "jobs", "normalize", "guard", "content", "html_metadata"}
_NORMALIZE_KEYS = {"ftfy"}


class ConfigError(UsageError):
    """A configuration file that cannot be used; names the file and the reason."""


@dataclass(frozen=True)
class Config:
    path: Path | None = None
    rules: tuple[str, ...] = ()
    globs: tuple[str, ...] = ("*.txt",)
    jobs: int | None = None
    options: Options = Options()  # guard 1 (no limit) is None here, as the core takes it


def find_config(start: Path | None = None) -> Path | None:
    """The nearest `cleaner.toml`, or `pyproject.toml` with `[tool.cleaner]`, up to the repository root."""
    here = (start or Path.cwd()).resolve()
    for folder in (here, *here.parents):
        own = folder / "cleaner.toml"
        if own.is_file():
            return own
        pyproject = folder / "pyproject.toml"
        if pyproject.is_file() and "cleaner" in _read(pyproject).get("tool", {}):
            return pyproject
        if (folder / ".git").exists():
            return None
    return None


def load_config(path: Path | None) -> Config:
    if path is None:
        return Config()
    doc = _read(path)
    table = doc.get("tool", {}).get("cleaner", {}) if path.name == "pyproject.toml" else doc
    if not isinstance(table, dict):
        raise ConfigError(f"{path}: [tool.cleaner] must be a table")
    unknown = set(table) - _KEYS
    if unknown:
        raise ConfigError(f"{path}: unknown key(s): {', '.join(sorted(unknown))}")
    normalize = table.get("normalize", {})
    if not isinstance(normalize, dict) or set(normalize) - _NORMALIZE_KEYS:
        raise ConfigError(f"{path}: [normalize] takes only: {', '.join(sorted(_NORMALIZE_KEYS))}")
    rules = _strings(path, table, "rules")
    globs = _strings(path, table, "globs")
    title = table.get("title", "keep")
    if title not in TITLE_MODES:
        raise ConfigError(f"{path}: title must be one of {', '.join(TITLE_MODES)}, not {title!r}")
    jobs = table.get("jobs")
    if jobs is not None and (not isinstance(jobs, int) or isinstance(jobs, bool) or jobs < 1):
        raise ConfigError(f"{path}: jobs must be a whole number of at least 1")
    ftfy = normalize.get("ftfy", True)
    if not isinstance(ftfy, bool):
        raise ConfigError(f"{path}: normalize.ftfy must be true or false")
    guard = table.get("guard", DEFAULT_GUARD)
    if not isinstance(guard, (int, float)) or isinstance(guard, bool) or not 0 <= guard <= 1:
        raise ConfigError(f"{path}: guard must be a share between 0 and 1")
    content = table.get("content", "rules")
    if content not in CONTENT_MODES:
        raise ConfigError(f"{path}: content must be one of {', '.join(CONTENT_MODES)}, not {content!r}")
    html_metadata = table.get("html_metadata", "fast")
    if html_metadata not in HTML_METADATA:
        raise ConfigError(f"{path}: html_metadata must be one of {', '.join(HTML_METADATA)}, not {html_metadata!r}")
    base = path.parent
    return Config(
        path=path,
        rules=tuple(str(base / r) for r in rules),
        globs=tuple(globs) or ("*.txt",),
        jobs=jobs,
        options=Options(title=title, ftfy=ftfy, guard=guard_option(float(guard)), content=content,
                        html_metadata=html_metadata),
    )


def guard_option(share: float) -> float | None:
    """A guard share as the core takes it: 1 (generic rules may take everything) is no guard at all."""
    return None if share == 1 else share


def _read(path: Path) -> dict[str, Any]:
    try:
        return tomllib.loads(path.read_text("utf-8"))
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as exc:
        raise ConfigError(f"{path}: {exc}") from None


def _strings(path: Path, table: dict[str, Any], key: str) -> list[str]:
    value = table.get(key, [])
    if isinstance(value, str):
        value = [value]
    if not isinstance(value, list) or not all(isinstance(v, str) and v for v in value):
        raise ConfigError(f"{path}: {key} must be a string or a list of strings")
    return value
