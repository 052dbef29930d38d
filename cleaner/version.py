"""The package version: sidecars record it, and reruns redo work a different version did."""

__version__ = "0.2.0"
