"""The clients are the oracle of the verdict (issue 18, item 4): on a generated corpus of XML freedoms,
the suite accepts a document exactly when every SDK reads from it what it reads from the canonical.

One module-scoped run (tests/clients/oracle/run.py): the suite's operation cases against the bundled
mock with the step recorder, the corpus built from their answers and the documented examples, one
process per SDK reading every document through the stub endpoint, the suite's verdict per document.
"""
from __future__ import annotations

import pytest

from tests.clients.oracle import freedoms, matrix
from tests.clients.oracle.run import OracleRun, run_oracle

MIN_FREEDOMS = 40
MIN_KINDS = 7


@pytest.fixture(scope="module")
def oracle(tmp_path_factory: pytest.TempPathFactory) -> OracleRun:
    return run_oracle(tmp_path_factory.mktemp("oracle"))


def test_the_corpus_covers_the_freedoms_and_kinds_of_document(oracle: OracleRun) -> None:
    applied = {name for document in oracle.documents for name in document.rewrites}
    real_freedoms = {name for name in applied if not freedoms.BY_NAME[name].probe}
    kinds = {document.canonical.kind for document in oracle.documents}
    assert len(real_freedoms) >= MIN_FREEDOMS, sorted(real_freedoms)
    assert len(kinds) >= MIN_KINDS, sorted(kinds)
    assert any(len(document.rewrites) > 1 for document in oracle.documents), "no combinations"


def test_every_canonical_passes_and_every_sdk_reads_it(oracle: OracleRun) -> None:
    assert not oracle.problems, "\n".join(oracle.problems)


def test_the_verdict_agrees_with_the_clients_on_every_document(oracle: OracleRun) -> None:
    lines = [row.describe() for row in oracle.disagreements]
    assert not lines, f"{len(lines)} disagreements between the suite and the SDKs:\n" + "\n".join(lines)


def test_the_matrix_in_docs_clients_md_is_up_to_date(oracle: OracleRun) -> None:
    rendered = matrix.render(oracle.rows, list(oracle.readings))
    assert matrix.current() == rendered, ("docs/clients.md's matrix is stale; regenerate it with "
                                          "`python -m tests.clients.oracle.matrix`")
