"""Running cases: collection, the target, the runner, checks, failure text, the control client, the bundled mock."""
