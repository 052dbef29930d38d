"""Text handling: bytes to text, per-line repair, HTML extraction, language, headlines."""
