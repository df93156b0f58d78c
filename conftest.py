"""Loads the conformance suite's pytest plugin for every run from this repository."""
pytest_plugins = ["conformance.plugin"]
