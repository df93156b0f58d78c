"""The project's own tests: xsd."""
