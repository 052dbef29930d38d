"""How a file name is shown in a message: one line, whatever bytes the name holds."""
from __future__ import annotations

import re

_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f]")


def shown(path: str) -> str:
    """`path` with bytes that are not UTF-8 and control characters escaped, so no file name can break
    a line of output or a terminal."""
    text = path.encode("utf-8", "surrogateescape").decode("utf-8", "backslashreplace")
    return _CONTROL.sub(lambda m: f"\\x{ord(m.group()):02x}", text)
