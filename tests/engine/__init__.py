"""The project's own tests: engine."""
