"""Crash durability, once (bench/crash_mock.py repeats it 20 times): SIGKILL the mock in the middle of
a CreateJob/UpdateJob load, restart it on the same --db, and find every acknowledged write, whole."""
from __future__ import annotations

import random

from tests.reliability.crash import crash_round


def test_sigkill_during_load_loses_no_acknowledged_write(tmp_path):
    result = crash_round(tmp_path, random.Random(1))
    assert result.jobs_acknowledged > 0 and result.updates_acknowledged > 0, "the load never got going"
    assert not result.lost, "\n".join(result.lost[:20])
    assert not result.half_written, "\n".join(result.half_written[:20])
