"""run/truth.py: success answers against what the request, the clock and the earlier steps make them.

Fast (no server): requests and answers are built here, and a `CaseTruth` judges them as the runner
would after each conforming step.
"""
from __future__ import annotations

from datetime import datetime, timedelta, timezone
from urllib.parse import urlencode

import pytest

from conformance.run.checks import Mismatch
from conformance.run.failure import render_mismatch
from conformance.run.truth import CLOCK_TOLERANCE, CaseTruth, Window, request_params
from conformance.wire.transport import OutgoingRequest
from conformance.xmldoc import NAMESPACES, parse_document

SIGNED = datetime(2026, 12, 7, 2, 0, 0, tzinfo=timezone.utc)
WINDOW = Window(SIGNED, SIGNED + timedelta(seconds=1))
FORM = (("Content-Type", "application/x-www-form-urlencoded; charset=utf-8"),)


def request(**params) -> OutgoingRequest:
    return OutgoingRequest("POST", "http://127.0.0.1:1/", FORM, urlencode(params).encode())


def answer(operation: str, members: str):
    namespace = NAMESPACES["ie"]
    return parse_document(f'<{operation}Response xmlns="{namespace}"><{operation}Result>{members}</{operation}Result>'
                          f"<ResponseMetadata><RequestId>0</RequestId></ResponseMetadata></{operation}Response>"
                          .encode())


def created(truth: CaseTruth, job_type: str = "Import", job_id: str = "ABCDE") -> None:
    assert truth.check("steps[0] CreateJob", "CreateJob", request(Action="CreateJob", JobType=job_type, Manifest="m",
                                                                   ValidateOnly="false"),
                       WINDOW, answer("CreateJob", f"<JobId>{job_id}</JobId><JobType>{job_type}</JobType>")) == []


def status(truth: CaseTruth, members: str, job_id: str = "ABCDE") -> list[Mismatch]:
    return truth.check("steps[1] GetStatus", "GetStatus", request(Action="GetStatus", JobId=job_id),
                       Window(SIGNED + timedelta(minutes=1), SIGNED + timedelta(minutes=1)),
                       answer("GetStatus", f"<JobId>{job_id}</JobId>{members}"))


def listed(truth: CaseTruth, members: str) -> list[Mismatch]:
    return truth.check("steps[2] ListJobs", "ListJobs", request(Action="ListJobs"), WINDOW,
                       answer("ListJobs", f"<Jobs><member><JobId>ABCDE</JobId>{members}</member></Jobs>"
                                          "<IsTruncated>false</IsTruncated>"))


LISTED = "<JobType>Import</JobType><IsCanceled>false</IsCanceled>"
NEW_JOB = "<JobType>Import</JobType><ProgressCode>Pending</ProgressCode><LocationCode>NotReceived</LocationCode>"


@pytest.mark.parametrize("date", ["2026-12-07T02:00:00Z", "2026-12-07T02:00:00.123456789Z", "2026-12-07T03:10:00+01:00",
                                  " 2026-12-07T01:45:00Z ", "2026-12-07T02:15:01Z"])
def test_a_creation_date_within_the_signing_window_in_any_lexical_form_passes(date):
    truth = CaseTruth()
    created(truth)
    assert status(truth, f"{NEW_JOB}<CreationDate>{date}</CreationDate>") == []
    assert listed(truth, f"{LISTED}<CreationDate>{date}</CreationDate>") == []


@pytest.mark.parametrize("shift", [timedelta(days=-365), timedelta(days=1), timedelta(hours=-1),
                                   CLOCK_TOLERANCE + timedelta(seconds=2)])
def test_a_creation_date_outside_the_window_names_the_window_and_the_creating_step(shift):
    truth = CaseTruth()
    created(truth)
    date = (SIGNED + shift).strftime("%Y-%m-%dT%H:%M:%SZ")
    [mismatch] = status(truth, f"{NEW_JOB}<CreationDate>{date}</CreationDate>")
    assert mismatch.check == "truth" and mismatch.actual == repr(date)
    assert mismatch.message.startswith("GetStatusResult/CreationDate: is not within the signing window")
    assert mismatch.expected.startswith("2026-12-07T01:45:00Z .. 2026-12-07T02:15:01Z (signed 2026-12-07T02:00:00Z")
    assert mismatch.details == ("truth from steps[0] CreateJob (T1, decision A5)",)
    [in_list] = listed(truth, f"{LISTED}<CreationDate>{date}</CreationDate>")
    assert in_list.message.startswith("ListJobsResult/Jobs/member[JobId=ABCDE]/CreationDate")


def test_job_type_is_the_one_sent_everywhere_and_updatejob_changes_it():
    truth = CaseTruth()
    [wrong] = truth.check("steps[0] CreateJob", "CreateJob", request(JobType="export", Manifest="m"), WINDOW,
                          answer("CreateJob", "<JobId>FGHIJ</JobId><JobType>Import</JobType>"))
    assert (wrong.expected, wrong.actual) == ("'Export'", "'Import'")
    created(truth, "Export")
    [swapped] = status(truth, "<JobType>Import</JobType><ProgressCode>Pending</ProgressCode>")
    assert swapped.message.startswith("GetStatusResult/JobType") and swapped.expected == "'Export'"
    truth.check("steps[3] UpdateJob", "UpdateJob", request(JobId="ABCDE", JobType="Import", Manifest="m"), WINDOW,
                answer("UpdateJob", "<Success>true</Success>"))
    assert status(truth, "<JobType>Import</JobType><ProgressCode>Pending</ProgressCode>") == []
    truth.check("steps[4] UpdateJob", "UpdateJob", request(JobId="ABCDE", JobType="Export", Manifest="m",
                                                           ValidateOnly="true"), WINDOW,
                answer("UpdateJob", "<Success>true</Success>"))
    for either in ("Import", "Export"):
        assert status(truth, f"<JobType>{either}</JobType>") == []


def test_getstatus_echoes_the_job_id_sent():
    truth = CaseTruth()
    mismatches = truth.check("steps[0] GetStatus", "GetStatus", request(JobId="ABCDE"), WINDOW,
                             answer("GetStatus", "<JobId>abcde</JobId>"))
    assert [(m.message, m.expected, m.actual) for m in mismatches] == [
        ("GetStatusResult/JobId: is not the JobId the request sent", "'ABCDE'", "'abcde'")]


def test_lifecycle_codes_follow_cancel_set_state_and_the_clock():
    truth = CaseTruth()
    created(truth)
    [code] = status(truth, "<ProgressCode>InProgress</ProgressCode>")
    assert code.expected == "'Pending'" and "decision L1" in code.details[0]
    [carrier] = status(truth, "<ProgressCode>Pending</ProgressCode><Carrier>UPS</Carrier>")
    assert carrier.expected == "(absent)"
    assert status(truth, "<ProgressCode>Pending</ProgressCode><ErrorCount>0</ErrorCount>") == []
    truth.observe_control("steps[1] control set_state", "set_state",
                          {"job": "ABCDE", "progress_code": "Complete", "carrier": "UPS", "error_count": 2})
    assert status(truth, "<ProgressCode>Complete</ProgressCode><Carrier>UPS</Carrier><ErrorCount>2</ErrorCount>") == []
    [error_count] = status(truth, "<ProgressCode>Complete</ProgressCode><Carrier>UPS</Carrier>")
    assert error_count.message.startswith("GetStatusResult/ErrorCount") and "set_state" in error_count.details[0]
    truth.observe_control("steps[2] control advance_clock", "advance_clock", {"seconds": 2678400})
    assert status(truth, "<ProgressCode>Expired</ProgressCode><Carrier>UPS</Carrier><ErrorCount>2</ErrorCount>") == []


def test_is_canceled_says_whether_the_run_canceled_the_job():
    truth = CaseTruth()
    created(truth)
    assert listed(truth, "<IsCanceled>false</IsCanceled>") == []
    truth.check("steps[1] CancelJob", "CancelJob", request(JobId="ABCDE"), WINDOW,
                answer("CancelJob", "<Success>true</Success>"))
    [flag] = listed(truth, "<IsCanceled>false</IsCanceled>")
    assert flag.expected == "true (or 1)" and "CancelJob" in flag.details[0]
    assert listed(truth, "<IsCanceled> 1 </IsCanceled>") == []
    assert status(truth, "<ProgressCode>Canceled</ProgressCode><LocationCode>AtAWS</LocationCode>") == []


def test_validate_only_jobs_and_other_accounts_jobs_are_not_judged():
    truth = CaseTruth()
    truth.check("steps[0] CreateJob", "CreateJob", request(JobType="Import", ValidateOnly="TRUE"), WINDOW,
                answer("CreateJob", "<JobId>ABCDE-VALIDATE-ONLY</JobId><JobType>Import</JobType>"))
    assert truth.jobs == {}
    assert listed(truth, "<CreationDate>1999-01-01T00:00:00Z</CreationDate><JobType>Export</JobType>") == []


def test_parameters_come_from_query_and_form_body_and_repeated_names_are_not_judged():
    assert request_params(OutgoingRequest("GET", "http://h/?Action=GetStatus&JobId=A", ())) == {
        "Action": "GetStatus", "JobId": "A"}
    assert request_params(OutgoingRequest("POST", "http://h/", FORM, b"JobId=A&JobId=B")) is None
    assert request_params(OutgoingRequest("POST", "http://h/", (("Content-Type", "text/plain"),), b"JobId=A")) is None


def test_a_truth_mismatch_reads_as_expected_actual_and_source():
    truth = CaseTruth()
    created(truth)
    [mismatch] = status(truth, "<JobType>Export</JobType>")
    text = render_mismatch(1, mismatch)
    assert text.splitlines() == [
        "  1. [truth] GetStatusResult/JobType: is not what the run's earlier steps make it",
        "       - expected: 'Import'",
        "       + actual:   'Export'",
        "       * truth from steps[0] CreateJob: JobType=Import (T2)",
    ]
