"""Rules: the rule model, loading rule files, the engine that applies them, site identification, pattern analysis."""
