"""Values against independent truth: every success answer of a case run, checked against what the
request, the clock and the earlier steps of the same run make its members.

Other checks compare an answer with the case's expectation or with another answer of the same
server; two answers that agree can both be wrong. `CaseTruth` keeps what the run itself knows, from
outside the server: the parameters each request carried, the time the engine signed it (the target's
clock: local time plus the offset read back after a clock control call), the jobs the run created,
updated and canceled, and the states the control API set. After a step conforms, `check` holds each
member of its success answer against that knowledge (decisions T1-T6, docs/decisions.md):

    T1  CreationDate (GetStatus, ListJobs) of a job created in this run lies within the signing window
        of its CreateJob: from the signing time minus CLOCK_TOLERANCE to the answer's arrival plus it
    T2  JobType (CreateJob) is the model's enum value the request named (letter case aside); the
        JobType of a job of this run (GetStatus, ListJobs) is one its CreateJob/UpdateJob set
    T3  JobId (GetStatus) is the JobId the request sent
    T4  ProgressCode/LocationCode (GetStatus) of a job of this run: Pending/NotReceived when new (L1),
        Canceled after a CancelJob (L4), what a `set_state` control call set; Expired is also
        accepted once the clock moved (L6)
    T5  IsCanceled (ListJobs) of a job of this run: true exactly when it was canceled
    T6  Carrier, TrackingNumber, LogBucket, LogKey, ErrorCount (GetStatus) of a job of this run: what
        `set_state` set; for a new job, absent (ErrorCount 0 or absent, L1)

Values are compared as the XSD types read them: dates and booleans by value (any lexical form
xs:dateTime / xs:boolean allows), strings exactly. A member the sources leave open (messages,
Signature, SignatureFileContents, CurrentManifest, ShippingLabelURL, warnings, artifacts) is not
judged here. Each mismatch names the member, the value expected, the value found, and the step
and rule the truth came from.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import datetime, timedelta, timezone
from urllib.parse import parse_qsl, urlsplit

from lxml import etree

from conformance.run.checks import Mismatch
from conformance.wire.transport import OutgoingRequest
from conformance.xmldoc import NAMESPACES, qualified

#: How far a conforming server's clock may be from the signer's and still accept the request: the
#: 15 minutes either side of Timestamp / X-Amz-Date of decision A5 (AWS SigV2 and SigV4; docs/sources.md F82).
CLOCK_TOLERANCE = timedelta(minutes=15)
JOB_TYPES = ("Import", "Export")
NEW_JOB_PROGRESS, NEW_JOB_LOCATION = "Pending", "NotReceived"
STATUS_FIELDS = {"carrier": "Carrier", "tracking_number": "TrackingNumber", "log_bucket": "LogBucket",
                 "log_key": "LogKey", "error_count": "ErrorCount"}
_DATE_TIME = re.compile(r"^(-?\d{4,})-(\d\d)-(\d\d)T(\d\d):(\d\d):(\d\d)(?:\.(\d+))?(Z|[+-]\d\d:\d\d)?$")
_BOOLEANS = {"true": True, "1": True, "false": False, "0": False}
_FORM = "application/x-www-form-urlencoded"


@dataclass(frozen=True)
class Window:
    """A span of the target's clock: when a request was signed, and when its answer had arrived."""

    signed: datetime
    answered: datetime

    def allows(self, moment: datetime) -> bool:
        return self.signed - CLOCK_TOLERANCE <= moment <= self.answered + CLOCK_TOLERANCE

    def describe(self) -> str:
        return (f"{_wire(self.signed - CLOCK_TOLERANCE)} .. {_wire(self.answered + CLOCK_TOLERANCE)} "
                f"(signed {_wire(self.signed)}, answered {_wire(self.answered)}, +/- {CLOCK_TOLERANCE})")


@dataclass
class JobTruth:
    """What the run knows of one job it created."""

    job_id: str
    created_by: str
    created: Window
    job_types: set[str]
    job_type_source: str
    progress: set[str] = field(default_factory=lambda: {NEW_JOB_PROGRESS})
    location: set[str] | None = field(default_factory=lambda: {NEW_JOB_LOCATION})
    state_source: str = "a new job (decision L1)"
    fields: dict[str, str | None] = field(default_factory=dict)
    canceled: bool = False


class CaseTruth:
    """The run's own knowledge of its jobs and their clock; `check` judges a success answer by it."""

    def __init__(self) -> None:
        self.jobs: dict[str, JobTruth] = {}

    def check(self, label: str, operation: str, request: OutgoingRequest, window: Window,
              root: etree._Element) -> list[Mismatch]:
        """Mismatches of a conforming success answer of `operation`; then learn from the step."""
        result = root.find(f"ie:{operation}Result", NAMESPACES)
        params = request_params(request)
        if result is None or params is None:
            return []
        judge = _Judge(label, self.jobs, params, window, result)
        getattr(judge, operation.lower(), lambda: None)()
        return judge.mismatches

    def observe_control(self, label: str, call: str, arguments: dict) -> None:
        """Learn from a control call that succeeded: a job's state, or a moved clock."""
        if call == "set_state":
            job = self.jobs.get(str(arguments.get("job")))
            if job is None:
                return
            job.state_source = f"{label} (set_state)"
            if "progress_code" in arguments:
                job.progress = {str(arguments["progress_code"])}
                job.canceled = arguments["progress_code"] == "Canceled"
            if "location_code" in arguments:
                job.location = {str(arguments["location_code"])}
            for key, member in STATUS_FIELDS.items():
                if key in arguments:
                    value = arguments[key]
                    job.fields[member] = None if value is None else str(value)
        elif call in ("advance_clock", "set_clock"):
            for job in self.jobs.values():
                job.progress = job.progress | {"Expired"}


class _Judge:
    """One success answer against the run's knowledge; collects mismatches and updates the jobs."""

    def __init__(self, label: str, jobs: dict[str, JobTruth], params: dict[str, str], window: Window,
                 result: etree._Element):
        self.label = label
        self.jobs = jobs
        self.params = params
        self.window = window
        self.result = result
        self.mismatches: list[Mismatch] = []

    def fail(self, where: str, message: str, expected: str, actual: str | None, source: str) -> None:
        self.mismatches.append(Mismatch("truth", f"{where}: {message}", expected=expected,
                                        actual="(absent)" if actual is None else repr(actual),
                                        details=(f"truth from {source}",)))

    def createjob(self) -> None:
        sent = _job_type(self.params.get("JobType"))
        answered = _text(self.result, "JobType")
        if sent is not None and answered is not None and answered != sent:
            self.fail("CreateJobResult/JobType", "is not the JobType the request named", repr(sent), answered,
                      f"{self.label}: JobType={self.params['JobType']} (T2)")
        job_id = _text(self.result, "JobId")
        if job_id and not _is_true(self.params.get("ValidateOnly")) and sent is not None:
            source = f"{self.label}: JobType={self.params['JobType']}"
            self.jobs[job_id] = JobTruth(job_id, self.label, self.window, {sent}, source)

    def updatejob(self) -> None:
        job = self.jobs.get(self.params.get("JobId", ""))
        sent = _job_type(self.params.get("JobType"))
        if job is None or sent is None:
            return
        source = f"{self.label}: JobType={self.params['JobType']}"
        if _is_true(self.params.get("ValidateOnly")):
            job.job_types = job.job_types | {sent}
            job.job_type_source += f", or {source} (validate-only, decision L9)"
        else:
            job.job_types, job.job_type_source = {sent}, source

    def canceljob(self) -> None:
        job = self.jobs.get(self.params.get("JobId", ""))
        if job is not None:
            job.canceled, job.progress, job.location = True, {"Canceled"}, None
            job.state_source = f"{self.label} (CancelJob, decision L4)"

    def getstatus(self) -> None:
        sent = self.params.get("JobId")
        answered = _text(self.result, "JobId")
        if sent is not None and answered != sent:
            self.fail("GetStatusResult/JobId", "is not the JobId the request sent", repr(sent), answered,
                      f"{self.label}: JobId={sent} (T3)")
        job = self.jobs.get(sent or "")
        if job is None:
            return
        self.job_members("GetStatusResult", self.result, job)
        self.one_of("GetStatusResult/ProgressCode", _text(self.result, "ProgressCode"), job.progress,
                    f"{job.state_source} (T4)")
        if job.location is not None:
            self.one_of("GetStatusResult/LocationCode", _text(self.result, "LocationCode"), job.location,
                        f"{job.state_source} (T4)")
        for member in STATUS_FIELDS.values():
            self.status_field(member, job)

    def listjobs(self) -> None:
        for entry in self.result.findall("ie:Jobs/ie:member", NAMESPACES):
            job = self.jobs.get(_text(entry, "JobId") or "")
            if job is None:
                continue
            where = f"ListJobsResult/Jobs/member[JobId={job.job_id}]"
            self.job_members(where, entry, job)
            canceled = _boolean(_text(entry, "IsCanceled"))
            if canceled is not None and canceled != job.canceled:
                self.fail(f"{where}/IsCanceled", "does not say whether the run canceled the job",
                          f"{str(job.canceled).lower()} (or {int(job.canceled)})", _text(entry, "IsCanceled"),
                          f"{job.state_source} (T5)")

    def job_members(self, where: str, parent: etree._Element, job: JobTruth) -> None:
        """CreationDate (T1) and JobType (T2) of a job the run created."""
        text = _text(parent, "CreationDate")
        moment = _date_time(text) if text is not None else None
        if text is not None and (moment is None or not job.created.allows(moment)):
            self.fail(f"{where}/CreationDate", "is not within the signing window of the CreateJob that "
                      "created the job", job.created.describe(), text, f"{job.created_by} (T1, decision A5)")
        self.one_of(f"{where}/JobType", _text(parent, "JobType"), job.job_types, f"{job.job_type_source} (T2)")

    def one_of(self, where: str, actual: str | None, allowed: set[str], source: str) -> None:
        if actual is not None and actual not in allowed:
            expected = " | ".join(map(repr, sorted(allowed)))
            self.fail(where, "is not what the run's earlier steps make it", expected, actual, source)

    def status_field(self, member: str, job: JobTruth) -> None:
        actual = _text(self.result, member)
        if member in job.fields:
            expected = job.fields[member]
            if actual != expected and not (member == "ErrorCount" and _same_integer(actual, expected)):
                self.fail(f"GetStatusResult/{member}", "is not what the control API set",
                          "(absent)" if expected is None else repr(expected), actual, f"{job.state_source} (T6)")
        elif job.state_source.startswith("a new job") and actual is not None \
                and not (member == "ErrorCount" and _same_integer(actual, "0")):
            self.fail(f"GetStatusResult/{member}", "a new job has none", "(absent)" if member != "ErrorCount"
                      else "0 or (absent)", actual, "decision L1 (T6)")


def request_params(request: OutgoingRequest) -> dict[str, str] | None:
    """The request's parameters (query and form body); None when a name repeats or the body is not a form."""
    pairs = parse_qsl(urlsplit(request.url).query, keep_blank_values=True)
    content_type = next((value for name, value in request.headers if name.lower() == "content-type"), "")
    if request.body:
        if content_type.split(";")[0].strip().lower() != _FORM:
            return None
        try:
            pairs += parse_qsl(request.body.decode("utf-8"), keep_blank_values=True, strict_parsing=False)
        except UnicodeDecodeError:
            return None
    params = dict(pairs)
    return params if len(params) == len(pairs) else None


def _text(parent: etree._Element, member: str) -> str | None:
    node = parent.find(qualified(member))
    return None if node is None else "".join(node.itertext())


def _job_type(value: str | None) -> str | None:
    """The model's enum value that `value` names, letter case aside (None when it names none)."""
    return next((job_type for job_type in JOB_TYPES if value is not None and value.lower() == job_type.lower()), None)


def _is_true(value: str | None) -> bool:
    return value is not None and value.strip().lower() == "true"


def _boolean(text: str | None) -> bool | None:
    return None if text is None else _BOOLEANS.get(text.strip())


def _same_integer(actual: str | None, expected: str | None) -> bool:
    try:
        return actual is not None and expected is not None and int(actual.strip()) == int(expected)
    except ValueError:
        return False


def _date_time(text: str) -> datetime | None:
    """An xs:dateTime with a zone as an aware datetime (fractions beyond microseconds cut); None otherwise."""
    match = _DATE_TIME.match(text.strip())
    if match is None or match[8] is None:
        return None
    year, month, day, hour, minute, second = (int(match[index]) for index in range(1, 7))
    fraction = int((match[7] or "0")[:6].ljust(6, "0"))
    zone = timezone.utc if match[8] == "Z" else timezone(
        (1 if match[8][0] == "+" else -1) * timedelta(hours=int(match[8][1:3]), minutes=int(match[8][4:6])))
    try:
        extra = timedelta(days=1) if (hour, minute, second, fraction) == (24, 0, 0, 0) else timedelta()
        return datetime(year, month, day, hour % 24, minute, second, fraction, tzinfo=zone) + extra
    except ValueError:
        return None


def _wire(moment: datetime) -> str:
    return moment.astimezone(timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")
