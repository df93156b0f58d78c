"""Helpers several test directories share (see each module's docstring)."""
