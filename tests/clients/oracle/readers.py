"""The five readers and the batch that runs them: every document of a corpus, read by every SDK.

Each reader is a batch program (contract in jobs.py) started once per batch: boto3 and the AWS CLI
(Python modules here), the AWS SDK for JavaScript v2 (tests/clients/js/read_documents.js), and the
Go SDK v1 and Ruby SDK v1 readers of tests/clients/sdk_builds.py. `read_corpus` registers every
document with one stub endpoint, runs all readers at once (one process each) and returns each SDK's
reading of each document by number.
"""
from __future__ import annotations

import json
import subprocess
import sys
from collections.abc import Callable, Sequence
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from tests.clients.oracle.corpus import READING_PARAMS, Document
from tests.clients.oracle.stub import Answer, StubEndpoint, access_key_id
from tests.support.mock_process import worktree_environment

REPO = Path(__file__).resolve().parents[3]
JS_READER = REPO / "tests/clients/js/read_documents.js"
TIMEOUT_S = 900
PYTHON_READERS: dict[str, Callable[[], list[str]]] = {
    "boto3": lambda: [sys.executable, "-m", "tests.clients.oracle.read_boto3"],
    "awscli": lambda: [sys.executable, "-m", "tests.clients.oracle.read_awscli"],
    "js-sdk": lambda: ["node", str(JS_READER)],
}


class ReaderFailed(AssertionError):
    """A reader program crashed or left documents unread."""


def reader_commands() -> dict[str, list[str]]:
    """The command line of every reader: boto3, AWS CLI, JS SDK v2, and the Go and Ruby readers when
    tests/clients/sdk_builds.py provides them (built on first use)."""
    commands = {name: command() for name, command in PYTHON_READERS.items()}
    try:
        from tests.clients import sdk_builds  # type: ignore[attr-defined]
    except ImportError:
        return commands
    commands["go-sdk"] = sdk_builds.go_reader_command()
    commands["ruby-sdk"] = sdk_builds.ruby_reader_command()
    return commands


def _jobs(documents: Sequence[Document], endpoint: str) -> list[dict]:
    return [{"id": document.number, "operation": document.canonical.operation,
             "params": READING_PARAMS[document.canonical.operation], "endpoint": endpoint,
             "access_key_id": access_key_id(document.number), "secret_access_key": "oracle-secret"}
            for document in documents]


def _run(name: str, command: list[str], jobs_file: Path, expected: int) -> dict[int, dict]:
    finished = subprocess.run([*command, str(jobs_file)], cwd=REPO, env=worktree_environment(),
                              capture_output=True, text=True, timeout=TIMEOUT_S)
    readings = {}
    for line in finished.stdout.splitlines():
        if line.strip():
            reading = json.loads(line)
            readings[int(reading.pop("id"))] = reading
    if finished.returncode != 0 or len(readings) != expected:
        raise ReaderFailed(f"reader {name} ({' '.join(command)}) exited {finished.returncode} with "
                           f"{len(readings)} of {expected} readings: {finished.stderr[-2000:]}")
    return readings


def read_corpus(documents: Sequence[Document], commands: dict[str, list[str]],
                workdir: Path) -> dict[str, dict[int, dict]]:
    """{sdk: {document number: reading}} for every document, every reader running once."""
    with StubEndpoint() as stub:
        for document in documents:
            canonical = document.canonical
            stub.register(document.number, Answer(canonical.status, {"Content-Type": canonical.content_type},
                                                  document.body))
        jobs_file = workdir / "oracle-jobs.json"
        jobs_file.write_text(json.dumps(_jobs(documents, stub.url)), encoding="utf-8")
        with ThreadPoolExecutor(max_workers=len(commands)) as pool:
            futures = {name: pool.submit(_run, name, command, jobs_file, len(documents))
                       for name, command in commands.items()}
            return {name: future.result() for name, future in futures.items()}
