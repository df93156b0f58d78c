"""What state on the target a case shares with other cases, derived from its steps.

Cases run at once against one endpoint (`--concurrency`, run/concurrent.py) must not see each
other. Almost everything a case touches is its own: the jobs it creates (each with a unique device
id), their status, their labels. Three things are not, and they are read off the case's steps here,
never listed by hand:

* **The whole target**, for a control call whose effect reaches every request (docs/contract.md §2):
  `set_clock` / `advance_clock` (the mock clock drives every job's expiry, the quota's day and the
  CreationDate of every job created meanwhile), `set_quota` (every CreateJob of the account, or of
  all of them), `inject` (the next request of that operation from any account), and any call not
  known here. Such a case runs alone. `set_state` changes only the job the case names.
* **The order of an account's job listing**, for a ListJobs step whose checks depend on which other
  jobs are listed: a `count`, a position (`member[2]`, `last()`), `IsTruncated` compared with a
  value, or a page limited by `MaxJobs` or started at a `Marker` and then inspected. No case that
  writes to that account's listing may run beside such a case (two that only read may). A check that a job is listed,
  not listed, or listed before another (`contains`, `not_contains`, `order`, a member selected by
  its JobId) holds whatever other jobs are added, and shares nothing.
* **Writes to an account's job listing**: any CreateJob, UpdateJob or CancelJob step (whatever it
  expects: a server that breaks a rule may still store a job), as that step's account.

A property case stands for drawn steps (its metadata case summarises them), so a ListJobs property
counts as reading the listing's order whatever its summary checks.
"""
from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass

from conformance.cases.definitions import ApiStep, Case, ControlStep, Expectation, XPathCheck

JOB_SCOPED_CALLS = frozenset({"set_state"})
"""Control calls that change only the job they name; any other call reaches the whole target."""
LISTING_WRITES = frozenset({"CreateJob", "UpdateJob", "CancelJob"})
"""Operations that may add a job to the caller's listing or change how a listed job shows."""
PAGE_PARAMETERS = frozenset({"MaxJobs", "Marker"})
PROPERTY_TAG = "property"
_LISTING_PATH = re.compile(r"\b(?:ie:)?(?:Jobs|member|IsTruncated)\b")
_POSITION = re.compile(r"\[\s*(?:\d|last\(\)|position\(\))")
_TRUNCATED = re.compile(r"\bIsTruncated\b")
_ROBUST_KINDS = frozenset({"contains", "not_contains", "order", "exists"})


@dataclass(frozen=True)
class SharedState:
    """The target state one case uses that other cases can see; `reasons` says why, for reports."""

    whole_target: bool = False
    listing_order: frozenset[str] = frozenset()
    listing_writes: frozenset[str] = frozenset()
    reasons: tuple[str, ...] = ()

    @property
    def independent(self) -> bool:
        """True when the case can run beside any other case."""
        return not (self.whole_target or self.listing_order or self.listing_writes)

    def conflicts_with(self, other: SharedState) -> bool:
        """True when the two cases must not be in flight at the same time."""
        if self.whole_target or other.whole_target:
            return True
        return bool(self.listing_order & other.listing_writes or other.listing_order & self.listing_writes)

    def group(self) -> str:
        """A short name of what is shared: `whole-target`, `listing-order:primary`, `listing-writes:primary`
        (several joined by `+`), or `independent`."""
        if self.whole_target:
            return "whole-target"
        names = [f"listing-order:{account}" for account in sorted(self.listing_order)]
        names += [f"listing-writes:{account}" for account in sorted(self.listing_writes - self.listing_order)]
        return "+".join(names) or "independent"


def _checks(expect: Expectation) -> Iterator[XPathCheck]:
    yield from expect.xpath
    for alternative in expect.one_of:
        yield from _checks(alternative)


def _depends_on_other_jobs(check: XPathCheck, paged: bool) -> bool:
    """True when the check's outcome can change when other jobs join the listing."""
    if not _LISTING_PATH.search(check.path):
        return False
    if _TRUNCATED.search(check.path):
        return check.kind not in ("exists", "matches")  # `matches: ^(true|false)$` reads the form only
    if check.kind == "count" or _POSITION.search(check.path):
        return True
    if paged:
        return True  # which of the case's own jobs are on a limited page depends on the others
    return check.kind not in _ROBUST_KINDS and "JobId=" not in check.path.replace(" ", "")


def _reads_listing_order(step: ApiStep, is_property: bool) -> bool:
    if step.operation != "ListJobs":
        return False
    if is_property:
        return True
    paged = step.request is not None and any(name in PAGE_PARAMETERS for name, _ in step.request.params)
    saves_members = any(_LISTING_PATH.search(expression) for _, expression in step.save)
    return saves_members or any(_depends_on_other_jobs(check, paged) for check in _checks(step.expect))


def shared_state(case: Case) -> SharedState:
    """What `case` shares with other cases on the target (see the module's docstring)."""
    whole_target, order, writes, reasons = False, set(), set(), []
    is_property = PROPERTY_TAG in case.tags
    for step in case.all_steps():
        if isinstance(step, ControlStep) and step.call not in JOB_SCOPED_CALLS:
            whole_target = True
            reasons.append(f"{step.label}: {step.call} reaches every request")
        elif isinstance(step, ApiStep) and step.operation in LISTING_WRITES:
            writes.add(step.account)
        elif isinstance(step, ApiStep) and _reads_listing_order(step, is_property):
            order.add(step.account)
            reasons.append(f"{step.label}: ListJobs checks depend on the {step.account} account's other jobs")
    return SharedState(whole_target, frozenset(order), frozenset(writes), tuple(reasons))
