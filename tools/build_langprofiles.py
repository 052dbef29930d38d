"""Rebuild cleaner/text/langprofiles.bin from the installed langdetect's own profiles.

Run after a langdetect upgrade; tests/test_langid.py fails until the shipped
table matches what langdetect itself loads.
"""
from pathlib import Path

from cleaner.text.language import build_blob

target = Path(__file__).resolve().parent.parent / "cleaner" / "text" / "langprofiles.bin"
target.write_bytes(build_blob())
print(f"wrote {target}")
