"""pytest hooks of the conformance suite: options, settings, collection, deviations, reports.

Registered through the `pytest11` entry point named `conformance.plugin` (so the repository's
conftest.py, which names the same module for runs without the installed entry point, loads it at
most once), or with `-p conformance.plugin`. The plugin is active only under a rootdir whose ini file
sets `importexport_suite = true` (the repository's pytest.ini, and the copy that travels with the
installed suite, see conformance/locations.py); elsewhere it collects nothing and its options are
refused. An active run is quiet by default (`-q` unless -v or -q is given). The hooks only wire the
engine modules together; nothing expensive happens unless case items are collected and run.
"""
from __future__ import annotations

import gc
import os
import sys
import threading
from pathlib import Path

import pytest
from _pytest.assertion.rewrite import AssertionRewritingHook
from _pytest.junitxml import xml_key as junit_xml_key

from conformance.cases.definitions import ControlStep
from conformance.cases.loader import CaseFileError, CaseIdRegistry, display_name
from conformance.identity import suite_commit, suite_version
from conformance.options import (
    SUITE_INI,
    TARGET_OPTIONS,
    attached_path_values,
    register_options,
)
from conformance.report.coverage import write_coverage
from conformance.report.deviations import check_known, deviation_for, load_deviations
from conformance.report.html_report import write_index
from conformance.report.no_answer import JUNIT_PROPERTY, NoAnswerTerminal
from conformance.report.results import (
    NO_ANSWER,
    REPORT_ATTRIBUTE,
    ResultsCollector,
    case_metadata,
    completeness,
    step_expectation,
    suite_item_keys,
)
from conformance.report.run_info import junit_properties, run_info, seed_lines, seeds, selection
from conformance.report.scores import not_run_lines, summary_lines
from conformance.run.collection import (
    CONCURRENT_KEY,
    FIXTURES_DIR,
    PROVIDER_KEY,
    REGISTRY_KEY,
    SETTINGS_KEY,
    CaseFile,
    CaseItem,
    PropertyItem,
    case_sources,
    is_case_source,
    item_schemes,
    load_all_cases,
    load_cases,
    start_concurrent_cases,
)
from conformance.run.concurrent import xdist_refusal
from conformance.run.failure import exchange_record, steps_record
from conformance.run.run_stop import register as register_run_stop_display
from conformance.run.runner import CaseFailed, NoAnswer
from conformance.run.selection import SelectionError, suite_arguments
from conformance.run.target_provider import TargetProvider
from conformance.settings import load_settings

DEVIATIONS_KEY = pytest.StashKey[list]()
RESULTS_KEY = pytest.StashKey[ResultsCollector]()
READING_KEY = pytest.StashKey[threading.Thread]()
CASE_PATHS_KEY = pytest.StashKey[bool]()  # the run's paths include case files (_case_paths_given)
MAX_LONGREPR_CHARS = 4000

def pytest_addoption(parser: pytest.Parser) -> None:
    register_options(parser)


def _declared_schemes(config: pytest.Config) -> dict:
    """Case id -> declared schemes, over every case file under fixtures/ that loads."""
    schemes: dict[str, tuple[str, ...]] = {}
    for path in case_sources(config.rootpath):
        try:
            schemes.update((case.id, case.auth) for case in load_cases(path, config.rootpath))
        except CaseFileError:
            continue
    return schemes


@pytest.hookimpl(tryfirst=True)
def pytest_load_initial_conftests(early_config: pytest.Config) -> None:
    """From a directory outside the suite root (`importexport-conformance`), let pytest look for the
    root's conftest files under `<root>/fixtures` too: the positional arguments only become paths under
    the root in pytest_configure (run/selection.py), after the initial conftests are loaded."""
    if early_config.getini(SUITE_INI) and _outside_the_root(early_config):
        namespace = early_config.known_args_namespace
        namespace.file_or_dir = [*(namespace.file_or_dir or ()), str(early_config.rootpath / FIXTURES_DIR)]


def _outside_the_root(config: pytest.Config) -> bool:
    """Whether the run was started outside the suite root (`importexport-conformance` from anywhere)."""
    invocation_dir = config.invocation_params.dir
    return invocation_dir != config.rootpath and config.rootpath not in invocation_dir.parents


@pytest.hookimpl(tryfirst=True)
def pytest_cmdline_main(config: pytest.Config) -> int | pytest.ExitCode | None:
    """Run again with `--option=PATH` when a path option was given as `--option PATH`.

    pytest picks its rootdir and ini file before it loads plugins from entry points, so it takes the
    value of `--target-config /elsewhere/target.yaml` for a test path and may settle on `/elsewhere`
    (no pytest.ini, no suite). The same command line with the values attached gives the rootdir the
    user meant.
    """
    arguments = [str(argument) for argument in config.invocation_params.args]
    attached = attached_path_values(arguments)
    if attached == arguments or hasattr(config, "workerinput"):  # xdist workers get the controller's arguments
        return None
    return pytest.main(attached, plugins=list(config.invocation_params.plugins or ()))


def _active(config: pytest.Config) -> bool:
    return SETTINGS_KEY in config.stash


def _quiet_by_default(config: pytest.Config) -> None:
    """`-q` unless the command line asked for a verbosity: a passing run prints dots and a summary."""
    if config.option.verbose == 0 and not any(
            argument.startswith(("-v", "-q", "--verbose", "--quiet")) for argument in config.invocation_params.args):
        config.option.verbose = -1


def _no_assertion_rewriting() -> None:
    """Remove pytest's assertion-rewriting import hook from a suite run.

    Case items never use `assert` (a failed check raises CaseFailed), but pytest marks every module of
    every installed plugin's distribution for rewriting, so the first property case would parse and
    rewrite hypothesis's 74 modules (about 1.2 s per process, every run where bytecode is not cached,
    e.g. under PYTHONDONTWRITEBYTECODE). Modules imported before this point are unaffected.
    """
    sys.meta_path[:] = [finder for finder in sys.meta_path if not isinstance(finder, AssertionRewritingHook)]


@pytest.hookimpl(tryfirst=True)
def pytest_configure(config: pytest.Config) -> None:
    options = {name: config.getoption(name) for name in TARGET_OPTIONS}
    if not config.getini(SUITE_INI):
        given = [name for name, value in options.items() if value is not None]
        if given:
            raise pytest.UsageError(
                f"--{given[0].replace('_', '-')}: no conformance suite under {config.rootpath} (its ini file does "
                "not set importexport_suite); run importexport-conformance, or pytest from the suite's checkout")
        return
    _quiet_by_default(config)
    settings = load_settings(options, os.environ, config.rootpath)
    refusal = xdist_refusal(settings.endpoint_url, _is_xdist_controller(config),
                            config.getoption("concurrency", default=1))
    if refusal is not None:
        raise pytest.UsageError(refusal)
    _select_from_arguments(config, settings)
    if _outside_the_root(config):
        # FAILED lines and -v lines name items by their node ids (`fixtures/...::Case.Id[sigv4]`, as the
        # reports do), which run/selection.py reads back, not by a path relative to the current directory
        config.cwd_relative_nodeid = lambda nodeid: nodeid  # type: ignore[method-assign]
    config.stash[CASE_PATHS_KEY] = _case_paths_given(config)
    if config.getoption("concurrency", default=1) > 1:
        # pytest-randomly reseeds the random module before each item in pytest's thread; a property
        # drawing on a worker thread meanwhile takes that for its strategy's use of `random`. Its draws
        # come from hypothesis's own seeded generator and are unaffected.
        config.addinivalue_line("filterwarnings", "ignore:Do not use the `random` module inside strategies")
    if config.stash[CASE_PATHS_KEY]:
        _no_assertion_rewriting()
    config.stash[SETTINGS_KEY] = settings
    config.stash[REGISTRY_KEY] = CaseIdRegistry()
    config.stash[PROVIDER_KEY] = TargetProvider(settings, config.rootpath)
    deviations_file = settings.deviations_file
    deviations = load_deviations(deviations_file) if deviations_file else []
    if deviations_file and deviations:
        check_known(deviations, _declared_schemes(config), deviations_file)
    config.stash[DEVIATIONS_KEY] = deviations
    register_run_stop_display(config)
    config.stash[RESULTS_KEY] = ResultsCollector(settings.auth)
    config.pluginmanager.register(config.stash[RESULTS_KEY], "importexport-results")
    config.pluginmanager.register(NoAnswerTerminal(settings.transport_retries), "importexport-no-answer")
    if settings.report_dir is not None and not config.option.xmlpath:
        config.option.xmlpath = str(settings.report_dir / "junit.xml")


def _select_from_arguments(config: pytest.Config, settings) -> None:
    """Rewrite the run's positional arguments so that ids copied from the reports select their items
    from any directory (run/selection.py)."""
    root = config.rootpath
    given = config.args_source == pytest.Config.ArgsSource.ARGS
    try:
        config.args[:] = suite_arguments(
            config.args, given, config.invocation_params.dir, root, root / FIXTURES_DIR,
            lambda: load_all_cases(root), lambda case: item_schemes(case, settings))
    except (SelectionError, CaseFileError) as error:
        raise pytest.UsageError(str(error)) from None


def pytest_report_header(config: pytest.Config) -> str | None:
    if not _active(config):
        return None
    settings = config.stash[SETTINGS_KEY]
    endpoint = settings.endpoint_url or "bundled mock (started with the session)"
    return f"importexport target: {endpoint}; auth: {', '.join(settings.auth)}; timeout: {settings.timeout_s:g} s"


def pytest_collect_file(file_path: Path, parent: pytest.Collector):
    if _active(parent.config) and is_case_source(file_path, parent.config.rootpath):
        return CaseFile.from_parent(parent, path=file_path)
    return None


@pytest.hookimpl(tryfirst=True)
def pytest_collection_modifyitems(config: pytest.Config, items: list) -> None:
    if not _active(config):
        return
    deviations = config.stash[DEVIATIONS_KEY]
    for item in items:
        deviation = deviation_for(deviations, item.case.id, item.scheme) if isinstance(item, CaseItem) else None
        if deviation is not None:
            item.add_marker(pytest.mark.xfail(strict=True, reason=f"known deviation: {deviation.reason}"))


def _case_paths_given(config: pytest.Config) -> bool:
    """True when the run's paths include case files (`pytest`, `pytest fixtures/auth`, a node id), not
    for `pytest tests`."""
    fixtures = (config.rootpath / FIXTURES_DIR).resolve()
    for argument in config.args:
        path = (config.invocation_params.dir / argument.split("::")[0]).resolve()
        if path == fixtures or fixtures in path.parents or path in fixtures.parents:
            return True
    return False


def _may_collect_cases(config: pytest.Config) -> bool:
    """True when this process may run cases: case paths given, not `--collect-only` or `--fixtures`,
    not an xdist controller (its workers run the items)."""
    showing = any(getattr(config.option, name, False) for name in ("collectonly", "showfixtures",
                                                                   "show_fixtures_per_test"))
    return not showing and not _is_xdist_controller(config) and config.stash[CASE_PATHS_KEY]


def _is_xdist_controller(config: pytest.Config) -> bool:
    """The process that hands items to xdist workers (xdist's own test: a distribution mode and
    workers to run it; `--dist load` without `-n` runs locally)."""
    distributing = getattr(config.option, "dist", "no") != "no" and bool(getattr(config.option, "tx", None))
    return distributing and not hasattr(config, "workerinput")


def _read_every_case(rootpath: Path) -> None:
    try:
        load_all_cases(rootpath)  # kept by load_cases for _write_coverage
    except CaseFileError:
        pass  # the workers' collection reports it


def pytest_sessionstart(session: pytest.Session) -> None:
    """Start the bundled mock while the cases are collected (it takes about as long). An xdist
    controller collects nothing; with a report directory it reads every case for the coverage report
    on a background thread while the workers run, instead of after them."""
    config = session.config
    if not _active(config):
        return
    junit = config.stash.get(junit_xml_key, None)
    if junit is not None and not hasattr(config, "workerinput"):
        for name, value in junit_properties(config, config.stash[SETTINGS_KEY],
                                            config.stash[PROVIDER_KEY].endpoint_description):
            junit.add_global_property(name, value)
    if _may_collect_cases(config):
        config.stash[PROVIDER_KEY].start_mock_in_background()
    elif _is_xdist_controller(config) and config.stash[SETTINGS_KEY].report_dir is not None:
        reading = threading.Thread(target=_read_every_case, args=(config.rootpath,), name="importexport-cases",
                                   daemon=True)
        reading.start()
        config.stash[READING_KEY] = reading


def pytest_collection_finish(session: pytest.Session) -> None:
    """Tell the target provider where the selected cases set the clock (run/clock_base.py), then, once
    case items are selected, prepare the target (preflight, clock base) on a background thread while
    pytest reports the collection; the bundled mock has been starting since the session began."""
    if not _active(session.config):
        return
    provider = session.config.stash[PROVIDER_KEY]
    provider.set_clock_offsets = frozenset(
        dict(step.arguments)["offset_s"]
        for item in session.items if isinstance(item, CaseItem)
        for step in (*item.case.steps, *item.case.teardown)
        if isinstance(step, ControlStep) and step.call == "set_clock")
    if _may_collect_cases(session.config) and any(isinstance(item, CaseItem) for item in session.items):
        provider.prepare_in_background()
    if session.config.stash[CASE_PATHS_KEY]:
        gc.freeze()  # what collection built lives for the whole run: later collections need not walk it


@pytest.hookimpl(wrapper=True)
def pytest_runtestloop(session: pytest.Session):
    """With `--concurrency N` (N > 1), run the selected case items' exchanges on N threads while
    pytest's loop reports them in its order (run/concurrent.py)."""
    config = session.config
    workers = config.getoption("concurrency", default=1) if _active(config) else 1
    if workers > 1 and _may_collect_cases(config):
        concurrent = start_concurrent_cases(session.items, workers, config.stash[PROVIDER_KEY])
        config.stash[CONCURRENT_KEY] = concurrent
        try:
            return (yield)
        finally:
            concurrent.stop()
    return (yield)


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo):
    report = yield
    if isinstance(item, CaseItem):
        metadata = case_metadata(item.case, item.scheme, display_name(item.case.file, item.case.fixtures_root))
        if call.when == "call" and item.resent():
            metadata["transport_resent"] = item.resent()
        if call.excinfo is not None and isinstance(call.excinfo.value, CaseFailed):
            failure = call.excinfo.value
            if isinstance(failure, NoAnswer):
                metadata[NO_ANSWER] = True
                item.user_properties.append((JUNIT_PROPERTY, NO_ANSWER))
            metadata["failed_step"] = failure.failed.label
            metadata["failed_step_expected"] = step_expectation(item.case, failure.failed.label)
            metadata["mismatches"] = [mismatch.as_dict() for mismatch in failure.failed.mismatches]
            if failure.failed.exchange is not None:
                metadata["exchange"] = exchange_record(failure.failed.exchange)
            metadata["steps"] = steps_record(failure.history)
        elif report.failed:
            metadata["longrepr"] = str(report.longrepr)[:MAX_LONGREPR_CHARS]
        if isinstance(item, PropertyItem) and item.run is not None:
            metadata["property"] = item.run.metadata()
        setattr(report, REPORT_ATTRIBUTE, metadata)
    return report


def pytest_sessionfinish(session: pytest.Session) -> None:
    config = session.config
    if not _active(config):
        return
    if config.stash[CASE_PATHS_KEY]:
        # pytest's cleanup then runs gc.collect() five times over every object, looking for unraisable
        # exceptions of test code; a case run has none, and the walk cost 0.2-0.4 s per process
        gc.freeze()
    provider = config.stash[PROVIDER_KEY]
    provider.close()
    reporter = config.pluginmanager.get_plugin("terminalreporter")
    for note in provider.control_notes:
        if reporter is not None:
            reporter.write_line(f"importexport: {note}", yellow=True)
    settings = config.stash[SETTINGS_KEY]
    if settings.report_dir is not None and not hasattr(config, "workerinput"):
        cases = _every_case(config)
        collector = config.stash[RESULTS_KEY]
        endpoint = config.stash[PROVIDER_KEY].endpoint_description
        info = {**run_info(config, settings, endpoint), **_run_completion(session, collector),
                "suite_items": suite_item_keys(cases) if cases is not None else None}
        document = collector.write(settings.report_dir, endpoint, info)
        write_index(settings.report_dir, document)
        if cases is not None:
            write_coverage(settings.report_dir, cases, document["cases"])


def _run_completion(session: pytest.Session, collector: ResultsCollector) -> dict:
    """The run's selection and whether it completed (report/results.py `completeness`)."""
    config = session.config
    selected = session.testscollected
    deselected = None if _is_xdist_controller(config) else collector.deselected
    stopped = session.shouldstop or session.shouldfail or None
    records = collector.records()
    transport = {"retries": config.stash[SETTINGS_KEY].transport_retries,
                 "resent": sum(record.get("transport_resent", 0) for record in records)}
    return {"selection": selection(config, selected, deselected), "transport": transport,
            **completeness(records, int(session.exitstatus), selected, stopped and str(stopped))}


def pytest_terminal_summary(terminalreporter, config: pytest.Config) -> None:
    """Pass rates of the run, overall and by level (documented, inferred), the items not run and why
    (without -rs), and which suite ran against which target."""
    records = config.stash[RESULTS_KEY].records() if RESULTS_KEY in config.stash else []
    if records and not hasattr(config, "workerinput"):
        terminalreporter.write_sep("-", "importexport conformance by level")
        for line in [*summary_lines(records), *not_run_lines(records)]:
            terminalreporter.write_line(line)
        chosen = "; ".join(f"{flag} {value}" for flag, value in (("-k", config.option.keyword),
                                                                  ("-m", config.option.markexpr)) if value)
        terminalreporter.write_line(f"suite {suite_version() or 'unknown'} (commit {suite_commit() or 'unknown'}) "
                                    f"against {config.stash[PROVIDER_KEY].endpoint_description}"
                                    + (f"; selected by {chosen}" if chosen else ""))
        for line in seed_lines(seeds(config)):
            terminalreporter.write_line(line)


def _every_case(config: pytest.Config) -> list | None:
    """Every case of the suite (not only the selected ones), for the coverage matrix and `suite_items`;
    None when a case file is bad (collection has already reported it)."""
    if READING_KEY in config.stash:
        config.stash[READING_KEY].join()
    try:
        return load_all_cases(config.rootpath)
    except CaseFileError:
        return None
