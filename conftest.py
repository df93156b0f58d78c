"""Loads the conformance suite's plugin for runs from this repository where its `pytest11` entry point
is not installed (e.g. PYTHONPATH on a checkout). The entry point is named after the module, so when it
is installed this line finds the plugin already registered and loads nothing a second time."""
pytest_plugins = ["conformance.plugin"]
