"""pytest collection: where cases come from, and how they become pytest items.

Case sources are `<rootdir>/fixtures/**/*.yaml` outside `fixtures/templates/` and
`fixtures/examples/reference/`, plus two kinds of files that stand for computed cases: generator files
(`*.generator`, e.g. the negative cases derived from the botocore service model,
`fixtures/generated/model-negatives.generator`) and property files (`*.property`). Each kind is one
`CaseSource` class (`cases/sources.py`, `generate/sources.py`), picked here by the file's suffix
(`SOURCE_KINDS`); a source whose cases are `drawn` runs them as hypothesis-drawn cases.

Each source file becomes a `CaseFile` collector. A case expands into one `CaseItem` per scheme it
declares that `--auth` selects, named `<case id>[sigv2]` / `<case id>[sigv4]`; a case with
`auth: [none]` gives one item named by its id alone. Items carry markers for their operations,
level, example flag, tags (dash becomes underscore) and scheme, and skip with a reason when the
target lacks what they need. A property file's items are `PropertyItem`s, which run
hypothesis-drawn cases (`run.property_run.PropertyRun`).

Two conditions stop the whole run instead of failing item after item: a failed preflight
(`run/preflight.py`) when the first item is set up, and, against a target without control API, a
step that fails because the daily CreateJob quota is used up.
"""
from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING

import pytest

from conformance.cases.definitions import UNSIGNED_SCHEME, Case
from conformance.cases.loader import CaseFileError, CaseIdRegistry
from conformance.cases.shared_state import SharedState, shared_state
from conformance.cases.sources import CaseFileSource, CaseSource
from conformance.generate.property_cases import PROPERTIES
from conformance.generate.sources import GeneratorSource, PropertySource
from conformance.run.concurrent import ConcurrentCases
from conformance.run.failure import render_failure
from conformance.run.preflight import PreflightFailed, quota_stop_message
from conformance.run.run_stop import stop_run
from conformance.run.runner import CaseFailed, CaseRunner
from conformance.run.target import Target
from conformance.run.target_provider import TargetProvider, TargetUnavailable
from conformance.settings import Settings

if TYPE_CHECKING:
    from conformance.run.property_run import PropertyRun

FIXTURES_DIR = "fixtures"
EXCLUDED_DIRS = (Path("templates"), Path("examples") / "reference")
SOURCE_KINDS: dict[str, type[CaseSource]] = {
    kind.suffix: kind for kind in (CaseFileSource, GeneratorSource, PropertySource)
}


def is_case_source(path: Path, rootpath: Path) -> bool:
    """True for a case, generator or property file under `<rootdir>/fixtures/` outside the data folders."""
    if path.suffix not in SOURCE_KINDS:
        return False
    try:
        relative = path.relative_to(rootpath / FIXTURES_DIR)
    except ValueError:
        return False
    return not any(relative.is_relative_to(excluded) for excluded in EXCLUDED_DIRS)


def case_sources(rootpath: Path) -> Iterator[Path]:
    """Every case, generator and property file under `<rootdir>/fixtures/`, sorted."""
    return (path for path in sorted((rootpath / FIXTURES_DIR).rglob("*"))
            if path.is_file() and is_case_source(path, rootpath))


_LOADED: dict[tuple[Path, Path], tuple[tuple[int, int], list[Case]]] = {}


def load_cases(path: Path, rootpath: Path) -> list[Case]:
    """The cases of one case, generator or property file; CaseFileError names file, case id and field.

    Loaded once per process while the file keeps its size and modification time: collection, the
    deviations check and the coverage report at the end of a run all read the same cases.
    """
    try:
        stat = path.stat()
    except OSError:
        return _load_cases(path, rootpath)
    key, version = (path, rootpath), (stat.st_mtime_ns, stat.st_size)
    known = _LOADED.get(key)
    if known is None or known[0] != version:
        known = _LOADED[key] = (version, _load_cases(path, rootpath))
    return list(known[1])


def _load_cases(path: Path, rootpath: Path) -> list[Case]:
    return SOURCE_KINDS[path.suffix](path, rootpath / FIXTURES_DIR).cases()


def load_all_cases(rootpath: Path) -> list[Case]:
    """Every case of the suite, in collection order (raises on the first bad source)."""
    return [case for path in case_sources(rootpath) for case in load_cases(path, rootpath)]


SETTINGS_KEY = pytest.StashKey[Settings]()
REGISTRY_KEY = pytest.StashKey[CaseIdRegistry]()
PROVIDER_KEY = pytest.StashKey[TargetProvider]()
CONCURRENT_KEY = pytest.StashKey[ConcurrentCases]()


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


def start_concurrent_cases(items: list, workers: int, provider: TargetProvider) -> ConcurrentCases:
    """Start running the case items that are not skipped on `workers` threads, kept apart by what
    each shares on the target (cases/shared_state.py)."""
    states: dict[str, SharedState] = {}
    runnable = []
    for item in items:
        if isinstance(item, CaseItem) and not any(item.iter_markers("skip")) and not any(item.iter_markers("skipif")):
            state = states.get(item.case.id) or states.setdefault(item.case.id, shared_state(item.case))
            runnable.append((item, state))
    concurrent = ConcurrentCases(runnable, workers, lambda item: item.execute(provider.get()), provider.get,
                                 cost=expected_requests)
    concurrent.start()
    return concurrent


def expected_requests(item: CaseItem) -> float:
    """About how many requests the item sends one after another: its steps (read-backs and teardown
    included), times the examples hypothesis draws for a property."""
    steps = sum(1 for _ in item.case.all_steps())
    if isinstance(item, PropertyItem):
        return steps * item.config.option.property_examples
    return steps


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
        item_class = PropertyItem if SOURCE_KINDS[self.path.suffix].drawn else CaseItem
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
        self.target: Target | None = None
        self.runner: CaseRunner | None = None
        self.resent_before = 0

    def setup(self) -> None:
        try:
            self.target = self.config.stash[PROVIDER_KEY].get()
            self.resent_before = self.target.transport.resent
        except TargetUnavailable as error:
            pytest.fail(f"target unavailable: {error}", pytrace=False)
        except PreflightFailed as failure:
            stop_run(self.config, str(failure))

    def resolved_target(self) -> Target:
        """The target `setup` resolved (pytest runs no test whose setup failed)."""
        assert self.target is not None, "setup() resolved the target"
        return self.target

    def execute(self, target: Target) -> None:
        """Run the case against `target` (in pytest's thread, or on a `--concurrency` worker)."""
        self.runner = CaseRunner(self.case, self.scheme, target)
        self.runner.run()

    def runtest(self) -> None:
        target = self.resolved_target()
        concurrent = self.config.stash.get(CONCURRENT_KEY, None)
        try:
            if concurrent is not None and concurrent.covers(self):
                concurrent.outcome(self)
            else:
                self.execute(target)
        except CaseFailed as failure:
            stop = quota_stop_message(failure.failed.exchange, self.name) if target.control is None else None
            if stop is not None:
                stop_run(self.config, stop)
            raise

    def repr_failure(self, excinfo, style=None):
        if isinstance(excinfo.value, CaseFailed):
            return render_failure(excinfo.value)
        return super().repr_failure(excinfo, style=style)

    def resent(self) -> int:
        """Exchanges of this item re-sent after no answer (`--transport-retries`), so far."""
        return self.target.transport.resent - self.resent_before if self.target is not None else 0

    def reportinfo(self):
        return self.path, self.case.line, self.name


class PropertyItem(CaseItem):
    """One property under one scheme: hypothesis draws cases (`--property-examples`, `--property-seed`)."""

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self.run: PropertyRun | None = None

    def execute(self, target: Target) -> None:
        from conformance.run.property_run import PropertyRun  # imports hypothesis: only when a property runs

        options = self.config.option
        self.run = PropertyRun(PROPERTIES[self.case.id], self.case, self.scheme, target, self.nodeid,
                               options.property_examples, options.property_seed)
        self.user_properties.append(("property_seed", self.run.seed))
        self.run.execute()

    def repr_failure(self, excinfo, style=None):
        from conformance.run.property_run import PropertyError, PropertyFailed, render_property_failure

        if isinstance(excinfo.value, PropertyFailed):
            return render_property_failure(excinfo.value)
        if isinstance(excinfo.value, PropertyError):
            return f"Property {self.case.id} [{self.scheme}] broke\n{excinfo.value}"
        return super().repr_failure(excinfo, style=style)
