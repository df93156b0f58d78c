"""Fast checks (no servers) of the generated member-level mutants, their free list, and the shortcut.

Every member of the model's result shapes, `Job`, `Artifact` and `ErrorResponse` has its mutants;
each one changes exactly the documents that carry its member; the free list names only generated
mutants; and the recorded-kills shortcut reports a kill it would miss.
"""
from __future__ import annotations

import re

import botocore.session
import pytest

from tests.mutants.free_members import FREE_MEMBER_MUTANTS
from tests.mutants.mutations_members import CONSISTENT_MUTANTS, MEMBER_MUTANTS, SITE_MUTANTS, SITES_BY_NAME
from tests.mutants.recording import SAMPLE_CASE_IDS, compare, selection, spread
from tests.mutants.test_proxy import error, signed, success

ARTIFACTS = "<ArtifactList><member><Description>d</Description><URL>http://a/b</URL></member></ArtifactList>"
FULL_DOCUMENTS = (
    success("CreateJob", "<JobId>FGHIJ</JobId><JobType>Import</JobType><Signature>Sig+A=</Signature>"
                         "<SignatureFileContents>jobId:FGHIJ</SignatureFileContents><WarningMessage>W</WarningMessage>"
                         + ARTIFACTS),
    success("GetStatus", "<JobId>ABCDE</JobId><JobType>Export</JobType><LocationCode>Returned</LocationCode>"
                         "<LocationMessage>M</LocationMessage><ProgressCode>Complete</ProgressCode>"
                         "<ProgressMessage>M</ProgressMessage><Carrier>UPS</Carrier><TrackingNumber>1Z9X</TrackingNumber>"
                         "<LogBucket>Logs</LogBucket><LogKey>Log-Key</LogKey><ErrorCount>0</ErrorCount>"
                         "<Signature>Sig+A=</Signature><SignatureFileContents>S</SignatureFileContents>"
                         "<CurrentManifest>deviceId: X</CurrentManifest>"
                         "<CreationDate>2026-11-28T12:00:00Z</CreationDate>"
                         + ARTIFACTS),
    success("ListJobs", "<Jobs><member><JobId>ABCDE</JobId><CreationDate>2026-11-28T12:00:00Z</CreationDate>"
                        "<IsCanceled>true</IsCanceled><JobType>Import</JobType></member></Jobs><IsTruncated>false</IsTruncated>"),
    success("CancelJob", "<Success>true</Success>"),
    success("UpdateJob", "<Success>true</Success><WarningMessage>W</WarningMessage>" + ARTIFACTS),
    success("GetShippingLabel", "<ShippingLabelURL>http://x/y.pdf</ShippingLabelURL><Warning>W</Warning>"),
    error("InvalidJobIdException"),
)


def test_every_member_of_the_model_has_mutants():
    model = botocore.session.get_session().get_service_model("importexport")
    expected = {(f"{op}Result", member) for op in model.operation_names
                for member in model.operation_model(op).output_shape.members}
    expected |= {("Job", member) for member in model.shape_for("Job").members}
    expected |= {("Artifact", member) for member in model.shape_for("Artifact").members}
    expected |= {("ErrorResponse", member) for member in ("Type", "Code", "Message", "RequestId")}
    assert {(site.container, site.member) for site in SITES_BY_NAME.values()} == expected


def test_free_list_names_only_generated_mutants_with_a_reason():
    generated = {mutant.name for mutant in MEMBER_MUTANTS}
    assert set(FREE_MEMBER_MUTANTS) <= generated, set(FREE_MEMBER_MUTANTS) - generated
    assert all(len(reason) > 40 for reason in FREE_MEMBER_MUTANTS.values())


@pytest.mark.parametrize("mutant", SITE_MUTANTS, ids=lambda mutant: mutant.name)
def test_member_mutant_changes_only_the_documents_holding_its_member(mutant):
    request = signed("sigv4", "GetStatus", (("JobId", "ABCDE"),))
    site = SITES_BY_NAME[mutant.name]
    documents = FULL_DOCUMENTS * 2 if mutant.name.endswith("other_job") else FULL_DOCUMENTS
    changed = {document.body[:60] for document in documents if mutant.response(request, document) != document}
    holding = {document.body[:60] for document in documents if f"<{site.member}>".encode() in document.body
               and (site.operation is None or f"<{site.operation}Response".encode() in document.body)
               and (site.errors == document.is_error)}
    assert changed == holding


@pytest.mark.parametrize("mutant", CONSISTENT_MUTANTS, ids=lambda mutant: mutant.name)
def test_consistent_mutant_changes_its_member_the_same_way_in_every_answer(mutant):
    """Every success document holding the member changes, each copy of a value the same way."""
    member = mutant.name.split(".")[2]
    request = signed("sigv4", "GetStatus", (("JobId", "ABCDE"),))
    changed = [(document, mutant.response(request, document)) for document in FULL_DOCUMENTS]
    holding = {document.body for document in FULL_DOCUMENTS if f"<{member}>".encode() in document.body}
    assert {before.body for before, after in changed if after != before} == holding
    pattern = re.compile(rf"<{member}>([^<]*)</{member}>".encode())
    mapping = {}
    for before, after in changed:
        for old, new in zip(pattern.findall(before.body), pattern.findall(after.body), strict=True):
            assert old != new and mapping.setdefault(old, new) == new


def test_other_job_takes_an_id_from_another_response():
    mutant = next(m for m in MEMBER_MUTANTS if m.name == "member.GetStatusResult.JobId.other_job")
    request = signed("sigv4", "GetStatus", (("JobId", "ABCDE"),))
    mutant.response(request, FULL_DOCUMENTS[0])
    assert b"<JobId>FGHIJ</JobId>" in mutant.response(request, FULL_DOCUMENTS[1]).body


def test_selection_spreads_over_the_recorded_killers_and_adds_the_sample():
    recording = {"m": [f"Case.{index:03}" for index in range(100)]}
    chosen = selection("m", recording)
    assert set(SAMPLE_CASE_IDS) <= set(chosen)
    assert set(chosen) - set(SAMPLE_CASE_IDS) == set(spread(recording["m"], 8))
    assert selection("unknown", recording) is None


def test_compare_reports_a_kill_the_shortcut_would_miss():
    recording = {"m": ["A", "B"], "n": ["C"]}
    report = compare({"m": ["Z"], "n": ["C"], "new": ["Q"], "gone": []}, recording)
    assert report["missed"] == ["m"]
    assert report["unrecorded"] == ["new"]
    assert report["survivors"] == ["gone"]
    assert report["changed"] == {"m": (["Z"], ["A", "B"])}
