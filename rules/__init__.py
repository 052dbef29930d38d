"""The shipped rule files, installed as package data of corpus-cleaner (see README.md here)."""
