"""Review what a run removed: `cleaner report` (gather, then pages), read from the run's manifest and sidecars."""
