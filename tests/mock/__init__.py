"""The project's own tests: mock."""
