"""`importexport-report replay CASE_ID --target-config FILE`: run one case and print its exchanges.

Runs pytest on the suite's own files (conformance/locations.py: the installed package data, or the
checkout), with their pytest.ini, in two steps: collect with `-k CASE_ID` and keep the items
named exactly `CASE_ID` or `CASE_ID[scheme]` (`-k` alone matches substrings), then run those items
with the capture plugin (run/replay_capture.py), which writes every step's request, curl line and
response. The exit status is pytest's: 0 when the case conformed, 1 when it did not.
"""
from __future__ import annotations

import subprocess
import sys
import tempfile
from pathlib import Path

from conformance.locations import SuiteNotFound, suite_root

CAPTURE_PLUGIN = "conformance.run.replay_capture"


class ReplayError(Exception):
    """Replay could not start: no such case, or the suite could not collect. One line."""


def _pytest(arguments: list[str]) -> subprocess.CompletedProcess:
    try:
        root = suite_root()
    except SuiteNotFound as error:
        raise ReplayError(str(error)) from None
    options = ["-p", "no:randomly", "-p", "no:cacheprovider", "--rootdir", str(root), "-c", str(root / "pytest.ini")]
    return subprocess.run([sys.executable, "-m", "pytest", *options, *arguments], cwd=root,
                          capture_output=True, text=True, check=False)


def matching_items(case_id: str, options: list[str]) -> list[str]:
    """Node ids of the items of exactly `case_id`, one per scheme."""
    collected = _pytest(["--collect-only", "-q", "-k", case_id, *options])
    if collected.returncode not in (0, 5):
        lines = [line.strip() for line in (collected.stderr + collected.stdout).splitlines() if line.strip()]
        reason = next((line for line in lines if "error" in line.lower()), lines[-1] if lines else "no output")
        raise ReplayError(f"collecting the suite failed (pytest exit {collected.returncode}): {reason}")
    items = []
    for line in collected.stdout.splitlines():
        name = line.rpartition("::")[2]
        if "::" in line and (name == case_id or (name.startswith(f"{case_id}[") and name.endswith("]"))):
            items.append(line.strip())
    if not items:
        raise ReplayError(f"no case with id {case_id!r} in the suite (ids are case-sensitive)")
    return items


def replay(case_id: str, target_config: Path, extra: list[str]) -> int:
    """Run the case against the target; print its exchanges and pytest's summary line; pytest's status."""
    if not target_config.is_file():
        raise ReplayError(f"{target_config}: no such target config file")
    options = [f"--target-config={target_config.resolve()}", *extra]
    items = matching_items(case_id, options)
    with tempfile.TemporaryDirectory(prefix="importexport-replay-") as scratch:
        record = Path(scratch) / "replay.txt"
        ran = _pytest(["-q", "-p", CAPTURE_PLUGIN, "--replay-record", str(record), *options, *items])
        text = record.read_text(encoding="utf-8") if record.exists() else ""
    print(text.rstrip() or ran.stdout.rstrip())
    summary = ran.stdout.strip().splitlines()[-1] if ran.stdout.strip() else ran.stderr.strip()
    print(f"\n{summary}")
    return ran.returncode
