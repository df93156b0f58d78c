"""The project's own tests: reliability."""
