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
from cleaner.options import Options

_OPTION_KEYS = ("title", "guard", "content", "html_metadata")  # as cleaner.options.Options takes them
_KEYS = {"rules", "globs", "jobs", "normalize", *_OPTION_KEYS}
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
    jobs = table.get("jobs")
    if jobs is not None and (not isinstance(jobs, int) or isinstance(jobs, bool) or jobs < 1):
        raise ConfigError(f"{path}: jobs must be a whole number of at least 1")
    given = {key: table[key] for key in _OPTION_KEYS if key in table} | normalize
    try:
        options = Options(**given)
    except ValueError as exc:
        raise ConfigError(f"{path}: {exc}") from None
    base = path.parent
    return Config(
        path=path,
        rules=tuple(str(base / r) for r in rules),
        globs=tuple(globs) or ("*.txt",),
        jobs=jobs,
        options=options,
    )


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
