"""The project's own tests: integrity."""
