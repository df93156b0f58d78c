"""One run of the oracle: capture the suite's steps, build the corpus, read it with every SDK, judge it."""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from tests.clients.oracle import corpus
from tests.clients.oracle.capture import capture_steps
from tests.clients.oracle.oracle import Row, canonical_problems, compare
from tests.clients.oracle.readers import read_corpus, reader_commands
from tests.clients.oracle.verdict import judge, suite_schema


@dataclass(frozen=True)
class OracleRun:
    documents: list
    readings: dict
    rows: list[Row]
    problems: list[str]

    @property
    def disagreements(self) -> list[Row]:
        return [row for row in self.rows if row.disagreement is not None]


def run_oracle(workdir: Path) -> OracleRun:
    canonicals = corpus.canonical_steps(capture_steps(workdir)) + corpus.reference_canonicals()
    documents = corpus.build(canonicals)
    readings = read_corpus(documents, reader_commands(), workdir)
    schema = suite_schema()
    verdicts = {document.number: judge(document, schema) for document in documents}
    return OracleRun(documents, readings, compare(documents, readings, verdicts),
                     canonical_problems(documents, readings, verdicts))
