"""Starting the harness's Python processes (`python -m MODULE ARGS`) from a fork server with their imports done.

A mutant run starts three Python processes (mock, proxy, suite) for a dozen cases; importing pytest,
the suite's plugin, the mock, botocore and the mutant catalog cost about 2 s of CPU of a run's 3 s.
`launch` forks each process instead from multiprocessing's fork server, started once per outer
process with those modules imported (`PRELOADED`) and nothing run. The child then does what
`python -m MODULE ARGS` does: standard output and error to the log file, standard input empty, the
given environment and working directory, `sys.argv`, and the module run as `__main__` (runpy). Each
child is a fresh fork of the same untouched server (random state is reseeded at fork), so runs stay
independent. `Launched` offers the part of `subprocess.Popen` the harness uses.

As with any multiprocessing start method but fork, each child first imports the outer program's main
module unless it was run with `-m` (`python -m pytest tests/mutants`): a script that launches (e.g.
bench/mutants_full.py) keeps its work under `if __name__ == "__main__"`.
"""
from __future__ import annotations

import multiprocessing
import os
import runpy
import subprocess
import sys
from pathlib import Path

PRELOADED = ("pytest", "conformance.plugin", "conformance.run.property_run", "tests.mutants.case_selection",
             "mockserver.cli", "tests.mutants.proxy", "tests.mutants.patched_mock", "tests.variants.servers")
_CONTEXT = multiprocessing.get_context("forkserver")


def _run_module(module: str, argv: list, environment: dict, log_path: str, cwd: str) -> None:
    """In the forked child: become `python -m module *argv` writing to `log_path`."""
    log = os.open(log_path, os.O_WRONLY | os.O_APPEND)
    for descriptor in (1, 2):
        os.dup2(log, descriptor)
    os.close(log)
    null = os.open(os.devnull, os.O_RDONLY)
    os.dup2(null, 0)
    os.close(null)
    os.environ.clear()
    os.environ.update(environment)
    os.chdir(cwd)
    sys.argv = [module, *argv]
    runpy.run_module(module, run_name="__main__", alter_sys=True)


class Launched:
    """A launched child: `pid`, `poll`, `wait`, `terminate`, `kill`, as subprocess.Popen has them."""

    def __init__(self, process):
        self._process = process

    @property
    def pid(self) -> int | None:
        return self._process.pid

    def poll(self) -> int | None:
        return self._process.exitcode

    def wait(self, timeout: float | None = None) -> int:
        self._process.join(timeout)
        if self._process.exitcode is None:
            raise subprocess.TimeoutExpired(f"pid {self._process.pid}", timeout or 0)
        return self._process.exitcode

    def terminate(self) -> None:
        self._process.terminate()

    def kill(self) -> None:
        self._process.kill()


def module_of(command: list) -> tuple:
    """(module, arguments) of `[sys.executable, "-m", module, *arguments]`; ValueError for another command."""
    if len(command) < 3 or command[0] != sys.executable or command[1] != "-m":
        raise ValueError(f"not a `python -m MODULE` command of this interpreter: {command}")
    return command[2], list(command[3:])


def launch(command: list, environment: dict, log_path: Path, cwd: Path) -> Launched:
    """Start `command` (`[sys.executable, "-m", MODULE, *ARGS]`) as a child forked from the fork server."""
    module, arguments = module_of(command)
    _CONTEXT.set_forkserver_preload(list(PRELOADED))  # read when the server starts, at the first launch
    log_path.write_bytes(b"")  # exists (empty) from now on, as with a log opened by the parent
    process = _CONTEXT.Process(target=_run_module, args=(module, arguments, dict(environment), str(log_path),
                                                         str(cwd)), daemon=False, name=f"launched {module}")
    process.start()
    return Launched(process)
