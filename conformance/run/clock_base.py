"""The run's clock base: where `set_clock` offsets count from, so that no run lands on the jobs of an
earlier one.

The cases that set the target's clock to an absolute offset (the quota cases) need a UTC day on
which the primary account has created no job yet: their count must start at zero. A fixed offset
would put a second run against the same target on the first run's jobs. So, before the first case,
the run lists the primary account's jobs (ListJobs, every page) and chooses the smallest whole number
of days B such that no day a `set_clock` offset lands on, moved by B days, holds one of them. Against
a fresh target B is 0; `set_clock` then sends `offset_s + B days`.

The listing is read leniently (any namespace, unparseable dates skipped, a bounded number of pages):
a target whose ListJobs is broken gets its verdict from the cases, not from here.
"""
from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime, timedelta, timezone

from lxml import etree

from conformance.cases.definitions import RequestSpec
from conformance.run.target import Target
from conformance.wire.request_builder import build_api_request
from conformance.xmldoc import XmlError, parse_document

SECONDS_PER_DAY = 86400
PAGE_SIZE = "1000"
MAX_PAGES = 100
_MEMBER_FIELD = "//*[local-name()='Jobs']/*[local-name()='member']/*[local-name()='{}']"


def _day(moment: datetime) -> int:
    return int(moment.timestamp()) // SECONDS_PER_DAY


def _parse_time(text: str) -> datetime | None:
    try:
        moment = datetime.fromisoformat(text.strip().replace("Z", "+00:00"))
    except ValueError:
        return None
    return moment if moment.tzinfo is not None else moment.replace(tzinfo=timezone.utc)


def _texts(root: etree._Element, field: str) -> list[str]:
    return [str(element.text or "") for element in root.xpath(_MEMBER_FIELD.format(field))]


def listed_creation_times(target: Target, scheme: str) -> list[datetime]:
    """CreationDate of every job ListJobs shows the primary account (pages of 1000, at most 100)."""
    times: list[datetime] = []
    marker: str | None = None
    for _ in range(MAX_PAGES):
        params = (("MaxJobs", PAGE_SIZE),) + ((("Marker", marker),) if marker else ())
        request = build_api_request(RequestSpec(params=params), "ListJobs", scheme, target.settings.primary,
                                    target.endpoint_url, datetime.now(timezone.utc), {})
        response = target.transport.send(request).response
        if response is None or response.status != 200:
            break
        try:
            root = parse_document(response.body)
        except XmlError:
            break
        times.extend(moment for moment in map(_parse_time, _texts(root, "CreationDate")) if moment is not None)
        job_ids = _texts(root, "JobId")
        truncated = root.xpath("string(//*[local-name()='IsTruncated'])").strip().lower() == "true"
        if not truncated or not job_ids or job_ids[-1] == marker:
            break
        marker = job_ids[-1]
    return times


def choose_base_days(now: datetime, job_times: Iterable[datetime], set_clock_offsets: Iterable[int]) -> int:
    """The smallest B >= 0 such that no `now + offset + B days` falls on a day that holds a job."""
    today = _day(now)
    busy = {_day(moment) - today for moment in job_times}
    landing = {_day(now + timedelta(seconds=offset)) - today for offset in set_clock_offsets}
    base = 0
    while any(day + base in busy for day in landing):
        base += 1
    return base
