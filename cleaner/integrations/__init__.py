"""Corpus-cleaner inside other pipelines (datatrove, Hugging Face datasets), over the public library API only."""
