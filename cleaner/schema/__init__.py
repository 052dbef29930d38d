"""JSON Schemas of the files corpus-cleaner writes, shipped as package data."""
