"""Mutant servers: the bundled mock with one plausible bug each, which the conformance suite must catch.

A mutant is a small HTTP proxy (`proxy.py`) in front of a real mock subprocess that rewrites
requests and/or responses, or the real mock with one function patched (`patched_mock.py`), or both.
`catalog.py` lists them; `test_mutants.py` runs the whole suite against each and writes the kill
matrix (docs/mutants.md).
"""
