"""The control API under /_mock/ (docs/contract.md §2) and its absence without --admin."""
from __future__ import annotations

import re

import botocore.session
import pytest
from werkzeug.test import Client

from mockserver.app import MockApplication
from mockserver.config import load_config
from mockserver.exceptions import MODELED_ERROR_CODES


def test_reset_removes_jobs_clock_offset_and_quota_overrides(mock):
    mock.create_job()
    mock.control("clock", {"advance_s": 60})
    mock.control("quota", {"jobs_per_day": 0})
    assert mock.control("reset", {}).json() == {"ok": True}
    assert mock.control("jobs", method="GET").json() == {"ok": True, "jobs": []}
    assert mock.control("clock", method="GET").json()["offset_s"] == 0
    mock.create_job()


def test_clock_advance_and_absolute_offset(mock):
    advanced = mock.control("clock", {"advance_s": 100}).json()
    assert advanced["ok"] is True and advanced["offset_s"] == 100
    assert mock.control("clock", {"advance_s": 50}).json()["offset_s"] == 150
    clock = mock.control("clock", {"offset_s": 0}).json()
    assert clock["offset_s"] == 0 and re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ", clock["now"])


def test_jobs_listing_and_state_changes(mock):
    job_id = mock.create_job()
    jobs = mock.control("jobs", method="GET").json()["jobs"]
    assert [(job["job_id"], job["progress_code"], job["location_code"]) for job in jobs] == [
        (job_id, "Pending", "NotReceived")
    ]
    changed = mock.control(f"jobs/{job_id}/state", {"progress_code": "InProgress", "error_count": 2}).json()
    assert changed["job"]["progress_code"] == "InProgress" and changed["job"]["error_count"] == 2
    status = mock.client().get_status(JobId=job_id)
    assert (status["ProgressCode"], status["ErrorCount"]) == ("InProgress", 2)


def test_quota_for_all_accounts_and_back_to_config(mock):
    assert mock.control("quota", {"jobs_per_day": 0}).json()["ok"]
    client = mock.client("secondary")
    with pytest.raises(client.exceptions.CreateJobQuotaExceededException):
        mock.create_job("secondary")
    assert mock.control("quota", {"jobs_per_day": None}).json()["ok"]
    mock.create_job("secondary")


@pytest.mark.parametrize(
    ("method", "call", "body", "status"),
    [
        ("POST", "jobs/NOJOB/state", {"progress_code": "InProgress"}, 404),
        ("POST", "jobs/NOJOB/state", {"progress_code": "Started"}, 400),
        ("POST", "jobs/NOJOB/state", {"colour": "red"}, 400),
        ("POST", "clock", {"advance_s": "soon"}, 400),
        ("POST", "clock", {"advance_s": 1, "offset_s": 2}, 400),
        ("POST", "clock", {"offset_s": 1e300}, 400),
        ("POST", "quota", {"access_key_id": "AKIANOTCONFIGURED000", "jobs_per_day": 1}, 400),
        ("POST", "quota", {"jobs_per_day": -1}, 400),
        ("POST", "inject", {"operation": "CreateJob", "code": "NotAModeledError"}, 400),
        ("POST", "inject", {"operation": "DescribeJob", "code": "InvalidJobIdException"}, 400),
        ("GET", "reset", None, 405),
        ("GET", "nothing-here", None, 404),
    ],
)
def test_bad_control_calls_are_json_4xx(mock, method, call, body, status):
    response = mock.control(call, body, method=method)
    assert response.status_code == status
    document = response.json()
    assert document["ok"] is False and document["error"]


def test_control_body_must_be_a_json_object(tmp_path):
    application = MockApplication(load_config(), tmp_path / "jobs.db", admin=True)
    for body in (b"[1, 2]", b"{not json", b"\xff"):
        response = Client(application).post("/_mock/clock", data=body, content_type="application/json",
                                            environ_base={"REMOTE_ADDR": "127.0.0.1"})
        assert response.status_code == 400 and response.json["ok"] is False
    application.close()


def test_control_api_is_absent_without_admin(tmp_path):
    application = MockApplication(load_config(), tmp_path / "jobs.db", admin=False)
    response = Client(application).post("/_mock/reset", json={})
    assert response.status_code == 404
    assert b"<Code>NotFound</Code>" in response.data
    application.close()


def test_injectable_codes_are_exactly_the_service_models_error_shapes():
    model = botocore.session.get_session().get_service_model("importexport")
    shapes = {error.name for name in model.operation_names for error in model.operation_model(name).error_shapes}
    assert shapes == MODELED_ERROR_CODES
