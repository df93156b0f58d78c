"""The project's own tests: gate."""
