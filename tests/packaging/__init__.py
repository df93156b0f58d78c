"""The project's own tests: packaging."""
