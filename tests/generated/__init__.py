"""The project's own tests: generated."""
