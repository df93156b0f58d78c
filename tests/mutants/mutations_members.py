"""Member-level mutants, generated from the botocore service model rather than listed by hand.

Every member of the six results (`<Op>Result`), of `Job` (`ListJobsResult/Jobs/member`), of `Artifact`
(`ArtifactList/member`) and of `ErrorResponse` (`Error/Type`, `Error/Code`, `Error/Message`, the
top-level `RequestId`) is a *site*. Its shape type in the model picks the ways a real bug would
perturb it in the mock's answer, one mutant each:

    string     empty, wrong_case, dropped; JobId also other_job (a job id from another response)
    boolean    negated, wrong_type ("None" written for the value), dropped
    integer    off_by_one, wrong_type, dropped
    timestamp  shifted (one hour back: a local time written with Z), wrong_type, dropped
    list       empty (no members), dropped

A mutant is named `member.<Container>.<Member>.<perturbation>`, e.g. `member.GetStatusResult.ErrorCount.off_by_one`.
Each rewrites that one member wherever it occurs in matching documents (`xmlrewrite.rewrite_tree`) and
leaves everything else alone. Which of them the suite may let through, and why, is data in
`free_members.py`; the others must be killed.

The **consistent perturbations** (`CONSISTENT_PERTURBATIONS`) put the same wrong value in every answer
that carries a member, in every action, so answers still agree with each other and only a check
against independent truth (the request, the clock, the earlier steps: conformance/run/truth.py) can
see them: `member.consistent.<Member>.<perturbation>`, e.g. every CreationDate a year back.
"""
from __future__ import annotations

import threading
from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import datetime, timedelta

import botocore.session
from lxml import etree

from tests.mutants.exchange import ProxyRequest, ProxyResponse
from tests.mutants.mutant import Mutant
from tests.mutants.xmlrewrite import elements, local_name, operation_of, parse, qualified, retext

GROUP = "member"
WIRE_TIME = "%Y-%m-%dT%H:%M:%SZ"
#: Consistent perturbations: (member, perturbation, description, text change), applied to every success answer.
DATE_SHIFTS = {"year_back": timedelta(days=-365), "year_ahead": timedelta(days=365), "day_back": timedelta(days=-1),
               "hour_back": timedelta(hours=-1), "hour_ahead": timedelta(hours=1)}
TIME_SHIFT = timedelta(hours=-1)
WRONG_TYPE_TEXT = "None"
PERTURBATIONS = {
    "string": ("empty", "wrong_case", "dropped"),
    "boolean": ("negated", "wrong_type", "dropped"),
    "integer": ("off_by_one", "wrong_type", "dropped"),
    "timestamp": ("shifted", "wrong_type", "dropped"),
    "list": ("empty", "dropped"),
}
ERROR_MEMBERS = (("Error", "Type"), ("Error", "Code"), ("Error", "Message"), (None, "RequestId"))


@dataclass(frozen=True)
class Site:
    """Where a member lives: its container's name, the member, its model type, and how to find it.

    `parents` is the element path from the document root down to the member's parent, e.g.
    `("GetStatusResult",)` or `("ListJobsResult", "Jobs", "member")`; `None` in it means "any depth".
    `operation` restricts the site to one action's success documents; `errors` to ErrorResponse.
    """

    container: str
    member: str
    type_name: str
    parents: tuple
    operation: str | None = None
    errors: bool = False

    def find(self, root: etree._Element) -> list:
        if self.parents and self.parents[0] is None:
            return [element for element in elements(root, self.member)
                    if _ancestors_match(element, self.parents[1:])]
        parent = root
        for name in self.parents:
            parent = parent.find(qualified(name)) if parent is not None else None
        return parent.findall(qualified(self.member)) if parent is not None else []


def _ancestors_match(element: etree._Element, names: tuple) -> bool:
    node = element
    for name in reversed(names):
        node = node.getparent()
        if node is None or local_name(node) != name:
            return False
    return True


def model_sites() -> tuple:
    """Every member site, from the botocore model (and the Query error document for ErrorResponse)."""
    model = botocore.session.get_session().get_service_model("importexport")
    sites = []
    for operation in model.operation_names:
        result = f"{operation}Result"
        for member, shape in model.operation_model(operation).output_shape.members.items():
            sites.append(Site(result, member, shape.type_name, (result,), operation=operation))
    for member, shape in model.shape_for("Job").members.items():
        sites.append(Site("Job", member, shape.type_name, ("ListJobsResult", "Jobs", "member"), operation="ListJobs"))
    for member, shape in model.shape_for("Artifact").members.items():
        sites.append(Site("Artifact", member, shape.type_name, (None, "ArtifactList", "member")))
    for parent, member in ERROR_MEMBERS:
        sites.append(Site("ErrorResponse", member, "string", (parent,) if parent else (), errors=True))
    return tuple(sites)


def perturbations(site: Site) -> tuple:
    extra = ("other_job",) if site.member == "JobId" else ()
    return PERTURBATIONS[site.type_name] + extra


def _wrong_case(text: str) -> str:
    return text.lower() if text != text.lower() else text.upper()


def _shifted(text: str, shift: timedelta = TIME_SHIFT) -> str:
    try:
        moment = datetime.strptime(text, WIRE_TIME)
    except ValueError:
        return text
    return (moment + shift).strftime(WIRE_TIME)


def _off_by_one(text: str) -> str:
    return str(int(text) + 1) if text.strip().lstrip("-").isdigit() else text


_NEGATED = {"true": "false", "false": "true"}
TEXT_CHANGES: dict = {
    "wrong_case": _wrong_case,
    "shifted": _shifted,
    "off_by_one": _off_by_one,
    "negated": lambda text: _NEGATED.get(text, text),
    "wrong_type": lambda text: WRONG_TYPE_TEXT,
}


class JobIdsSeen:
    """The job ids of every success response the proxy has passed on (one proxy process, many threads)."""

    def __init__(self):
        self._lock = threading.Lock()
        self._ids: list = []

    def note(self, root: etree._Element) -> None:
        with self._lock:
            for element in elements(root, "JobId"):
                if element.text and element.text not in self._ids:
                    self._ids.append(element.text)

    def other_than(self, job_id: str) -> str | None:
        """The most recently seen job id that is not `job_id`."""
        with self._lock:
            return next((seen for seen in reversed(self._ids) if seen != job_id), None)


def _edit(site: Site, perturbation: str, seen: JobIdsSeen) -> Callable[[etree._Element], None]:
    def edit(root: etree._Element) -> None:
        for element in site.find(root):
            if perturbation == "dropped":
                element.getparent().remove(element)
            elif perturbation == "empty":
                for child in list(element):
                    element.remove(child)
                element.text = None if site.type_name == "list" else ""
            elif perturbation == "other_job":
                element.text = seen.other_than(element.text or "") or element.text
            else:
                element.text = TEXT_CHANGES[perturbation](element.text or "")
    return edit


def member_hook(site: Site, perturbation: str) -> Callable[[ProxyRequest, ProxyResponse], ProxyResponse]:
    """The response hook of one member mutant."""
    seen = JobIdsSeen()
    edit = _edit(site, perturbation, seen)

    def hook(request: ProxyRequest, response: ProxyResponse) -> ProxyResponse:
        root = parse(response.body)
        if root is None or (local_name(root) == "ErrorResponse") != site.errors:
            return response
        if site.operation is not None and operation_of(root) != site.operation:
            seen.note(root)
            return response
        before = etree.tostring(root, encoding="utf-8")
        edit(root)
        if perturbation == "other_job":
            seen.note(etree.fromstring(before))
        after = etree.tostring(root, encoding="utf-8")
        return response if after == before else replace(response, body=after)
    return hook


def mutant_name(site: Site, perturbation: str) -> str:
    return f"{GROUP}.{site.container}.{site.member}.{perturbation}"


def _description(site: Site, perturbation: str) -> str:
    where = f"{site.container}/{site.member}"
    return {
        "empty": f"{where} sent empty",
        "dropped": f"{where} left out",
        "wrong_case": f"{where} in the wrong letter case",
        "other_job": f"{where} holds another job's id (one the proxy saw in an earlier response)",
        "negated": f"{where} negated (true <-> false)",
        "wrong_type": f"{where} holds the text {WRONG_TYPE_TEXT!r} instead of a {site.type_name}",
        "off_by_one": f"{where} one too high",
        "shifted": f"{where} shifted by {TIME_SHIFT} (a local time labelled Z)",
    }[perturbation]


def generate() -> tuple:
    """Every member-level mutant, in model order."""
    return tuple(Mutant(mutant_name(site, perturbation), GROUP, _description(site, perturbation),
                        response=member_hook(site, perturbation))
                 for site in model_sites() for perturbation in perturbations(site))


CONSISTENT_PERTURBATIONS: tuple = tuple(
    (("CreationDate",), name, f"every CreationDate (GetStatus and ListJobs) moved by {shift}",
     lambda text, shift=shift: _shifted(text, shift)) for name, shift in DATE_SHIFTS.items())


def generate_consistent() -> tuple:
    """The consistent perturbations: one wrong value, the same in every success answer."""
    return tuple(Mutant(f"{GROUP}.consistent.{'.'.join(members)}.{name}", GROUP, description,
                        response=retext(members, change))
                 for members, name, description, change in CONSISTENT_PERTURBATIONS)


SITE_MUTANTS: tuple = generate()
CONSISTENT_MUTANTS: tuple = generate_consistent()
MEMBER_MUTANTS: tuple = SITE_MUTANTS + CONSISTENT_MUTANTS
SITES_BY_NAME: dict = {mutant_name(site, perturbation): site
                       for site in model_sites() for perturbation in perturbations(site)}
