"""The project's own tests (run with `pytest tests`)."""
