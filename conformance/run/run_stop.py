"""How a run that cannot go on ends: one line, `ERROR: <why>`, and exit status 4.

A preflight that finds no Import/Export endpoint (run/preflight.py), or a target out of CreateJob
quota without a control API, stops the run through `stop_run`, which ends the session with pytest's
own exit (`pytest.exit`). pytest would then show that exit as `! _pytest.outcomes.Exit: ... !` and,
when no item ran, `no tests ran` before it; `RunStopDisplay` (a plugin the suite registers) drops
both and prints the reason last, on stderr, as pytest prints a usage error. Items that did run before
a stop keep their summary line.
"""
from __future__ import annotations

import sys
from typing import NoReturn

import pytest

STOP_KEY = pytest.StashKey[str]()
PLUGIN_NAME = "importexport-run-stop"


def stop_run(config: pytest.Config, reason: str) -> NoReturn:
    """End the session now because of `reason` (one line); exit status 4."""
    config.stash[STOP_KEY] = reason
    pytest.exit(reason, returncode=pytest.ExitCode.USAGE_ERROR)


class RunStopDisplay:
    """Shows a stopped run as one line instead of pytest's interrupt banner."""

    def __init__(self, config: pytest.Config):
        self.config = config

    def pytest_sessionfinish(self, session: pytest.Session) -> None:
        """Before the terminal reporter writes its summary (it wraps this hook): forget the exit it
        recorded as an interruption, and say nothing of a run in which no item ran."""
        if STOP_KEY not in self.config.stash:
            return
        reporter = self.config.pluginmanager.get_plugin("terminalreporter")
        if reporter is None:
            return
        if hasattr(reporter, "_keyboardinterrupt_memo"):
            reporter._keyboardinterrupt_memo = None
        if not any(reporter.stats.get(outcome) for outcome in ("passed", "failed", "error", "skipped",
                                                               "xfailed", "xpassed")):
            self.config.option.verbose = -2  # the terminal reporter then writes no `no tests ran` line

    @pytest.hookimpl(trylast=True)
    def pytest_unconfigure(self) -> None:
        if STOP_KEY in self.config.stash:
            sys.stderr.write(f"ERROR: {self.config.stash[STOP_KEY]}\n")


def register(config: pytest.Config) -> None:
    """Register the display for this run (once)."""
    if not config.pluginmanager.has_plugin(PLUGIN_NAME):
        config.pluginmanager.register(RunStopDisplay(config), PLUGIN_NAME)
