"""Tools for people who write rules: lint and test rule files, draft rules from a corpus."""
