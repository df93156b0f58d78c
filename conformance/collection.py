"""pytest collection: case files become `CaseFile` collectors, cases become one `CaseItem` per scheme.

Case files, generator files and property files are found by `casesources`. A case expands into one
item per scheme it declares that `--auth` selects, named `<case id>[sigv2]` / `<case id>[sigv4]`; a
case with `auth: [none]` gives one item named by its id alone. Items carry markers for their
operations, level, example flag, tags (dash becomes underscore) and scheme, and skip with a reason
when the target lacks what they need. A property file's items are `PropertyItem`s, which run
hypothesis-drawn cases (`property_cases.PropertyRun`).
"""
from __future__ import annotations

import pytest

from conformance.cases import CaseFileError, CaseIdRegistry
from conformance.casesources import PROPERTY_SUFFIX, load_cases
from conformance.casemodel import UNSIGNED_SCHEME, Case
from conformance.failure import render_failure
from conformance.property_cases import PROPERTIES, PropertyError, PropertyFailed, PropertyRun, render_property_failure
from conformance.runner import CaseFailed, CaseRunner
from conformance.settings import Settings
from conformance.target import TargetProvider, TargetUnavailable

SETTINGS_KEY = pytest.StashKey[Settings]()
REGISTRY_KEY = pytest.StashKey[CaseIdRegistry]()
PROVIDER_KEY = pytest.StashKey[TargetProvider]()


def item_schemes(case: Case, settings: Settings) -> tuple:
    """The schemes a case's items run under: `none` alone, or its signed schemes that --auth selects."""
    if case.auth == (UNSIGNED_SCHEME,):
        return case.auth
    return tuple(scheme for scheme in case.auth if scheme in settings.auth)


def marker_names(case: Case, scheme: str) -> list[str]:
    """Markers of one item: operations, level, `example`, tags, and the signed scheme."""
    names = [operation.lower() for operation in case.operations]
    names.append(case.level)
    if case.example:
        names.append("example")
    names.extend(tag.replace("-", "_") for tag in case.tags)
    if scheme != UNSIGNED_SCHEME:
        names.append(scheme)
    return names


def skip_reason(case: Case, settings: Settings) -> str | None:
    """Why the case cannot run against this target, or None."""
    if case.uses_secondary and settings.secondary is None:
        return "needs a secondary account; the target config has no accounts.secondary"
    if case.uses_control and not settings.has_control:
        return "needs the mock's control API; give --control-url or control_url in the target config"
    return None


class CaseFile(pytest.File):
    """One case file."""

    def collect(self):
        stash = self.config.stash
        settings = stash[SETTINGS_KEY]
        try:
            cases = load_cases(self.path, self.config.rootpath)
            for case in cases:
                stash[REGISTRY_KEY].register(case)
        except CaseFileError as error:
            raise self.CollectError(str(error)) from None
        item_class = PropertyItem if self.path.suffix == PROPERTY_SUFFIX else CaseItem
        for case in cases:
            reason = skip_reason(case, settings)
            for scheme in item_schemes(case, settings):
                name = case.id if scheme == UNSIGNED_SCHEME else f"{case.id}[{scheme}]"
                item = item_class.from_parent(self, name=name, case=case, scheme=scheme)
                for marker in marker_names(case, scheme):
                    item.add_marker(marker)
                if reason is not None:
                    item.add_marker(pytest.mark.skip(reason=reason))
                yield item


class CaseItem(pytest.Item):
    """One case under one scheme."""

    def __init__(self, *, case: Case, scheme: str, **kwargs):
        super().__init__(**kwargs)
        self.case = case
        self.scheme = scheme
        self.target = None

    def setup(self) -> None:
        try:
            self.target = self.config.stash[PROVIDER_KEY].get()
        except TargetUnavailable as error:
            pytest.fail(f"target unavailable: {error}", pytrace=False)

    def runtest(self) -> None:
        CaseRunner(self.case, self.scheme, self.target).run()

    def repr_failure(self, excinfo, style=None):
        if isinstance(excinfo.value, CaseFailed):
            return render_failure(excinfo.value)
        return super().repr_failure(excinfo, style=style)

    def reportinfo(self):
        return self.path, self.case.line, self.name


class PropertyItem(CaseItem):
    """One property under one scheme: hypothesis draws cases (`--property-examples`, `--property-seed`)."""

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self.run = None

    def runtest(self) -> None:
        options = self.config.option
        self.run = PropertyRun(PROPERTIES[self.case.id], self.case, self.scheme, self.target, self.nodeid,
                               options.property_examples, options.property_seed)
        self.user_properties.append(("property_seed", self.run.seed))
        self.run.execute()

    def repr_failure(self, excinfo, style=None):
        if isinstance(excinfo.value, PropertyFailed):
            return render_property_failure(excinfo.value)
        if isinstance(excinfo.value, PropertyError):
            return f"Property {self.case.id} [{self.scheme}] broke\n{excinfo.value}"
        return super().repr_failure(excinfo, style=style)
