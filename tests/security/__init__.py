"""The project's own tests: security."""
