"""Rebuild cleaner/langprofiles.bin from the installed langdetect's own profiles.

Run after a langdetect upgrade; tests/test_langid.py fails until the shipped
table matches what langdetect itself loads.
"""
from pathlib import Path

from cleaner.langid import build_blob

target = Path(__file__).resolve().parent.parent / "cleaner" / "langprofiles.bin"
target.write_bytes(build_blob())
print(f"wrote {target}")
