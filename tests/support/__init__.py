"""Helpers shared by the tests and bench/ (never installed with the package)."""
