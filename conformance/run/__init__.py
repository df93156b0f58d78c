"""Running cases: pytest collection, the target, the runner, checks, failure text, the control client and the bundled mock."""
