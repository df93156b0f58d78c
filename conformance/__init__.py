"""Conformance engine for the AWS Import/Export 2010-06-01 Query API, run as a pytest plugin
(`conformance.plugin`); the case format and interfaces are in docs/contract.md."""
