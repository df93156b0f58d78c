"""The project's own tests: hostile."""
