"""The suite's command-line options and ini key, as the plugin registers them with pytest.

`register_options` is the body of the plugin's `pytest_addoption`; `TARGET_OPTIONS` names the options
that describe the target (the settings read them), `attached_path_values` rewrites `--opt FILE` to
`--opt=FILE` for the options that take a path (so pytest does not read FILE as a test path).
"""
from __future__ import annotations

import argparse

import pytest

from conformance.generate.property_cases import DEFAULT_EXAMPLES, example_count
from conformance.settings import DEFAULT_TIMEOUT_S, retry_count

SUITE_INI = "importexport_suite"
PATH_OPTIONS = ("--target-config", "--report-dir", "--deviations", "--xsd")
MAX_CONCURRENCY = 64
TARGET_OPTIONS = ("endpoint_url", "target_config", "auth", "timeout", "transport_retries", "control_url",
                  "fetch_origins", "report_dir",
                  "deviations",
                  "xsd")


def register_options(parser: pytest.Parser) -> None:
    """The suite's ini key and command-line options (the plugin's `pytest_addoption`)."""
    parser.addini(SUITE_INI, type="bool", default=False,
                  help="this rootdir holds the Import/Export conformance suite (fixtures/, xsd/): collect its cases")
    group = parser.getgroup("importexport-conformance", "AWS Import/Export conformance suite")
    group.addoption("--endpoint-url", dest="endpoint_url", metavar="URL",
                    help="endpoint under test, e.g. http://127.0.0.1:8080 (also IMPORTEXPORT_ENDPOINT_URL or "
                         "endpoint_url in --target-config); without one the bundled mock is started")
    group.addoption("--target-config", dest="target_config", metavar="FILE",
                    help="YAML target config: endpoint_url, control_url, auth, timeout_s, accounts, buckets "
                         "(docs/contract.md §1)")
    group.addoption("--auth", dest="auth", choices=("sigv2", "sigv4", "both"),
                    help="signature schemes to run signed cases under (default: both, or auth in --target-config)")
    group.addoption("--timeout", dest="timeout", type=float, metavar="SECONDS",
                    help=f"per-request limit for the response to start and to finish "
                         f"(default: {DEFAULT_TIMEOUT_S:g}, or timeout_s in --target-config)")
    group.addoption("--transport-retries", dest="transport_retries", type=retry_count, metavar="N",
                    help="re-send an exchange that got no answer at all (refused or cut connection, timeout "
                         "before a status line) up to N times, signed afresh; never one that got any answer "
                         "(default: 0; the reports count the re-sends)")
    group.addoption("--control-url", dest="control_url", metavar="URL",
                    help="the target's mock control API, e.g. http://127.0.0.1:8080/_mock; cases with control "
                         "steps skip without one (the bundled mock always has it)")
    group.addoption("--fetch-origin", dest="fetch_origins", action="append", metavar="URL",
                    help="another origin (scheme://host:port) that fetch steps may contact, e.g. the S3 endpoint "
                         "that serves shipping labels; repeatable (also fetch_origins in --target-config). "
                         "Without it the suite contacts only the endpoint under test")
    group.addoption("--report-dir", dest="report_dir", metavar="DIR",
                    help="write results.json, coverage.json, coverage.md and index.html into DIR, and junit.xml "
                         "unless --junitxml names another file")
    group.addoption("--deviations", dest="deviations", metavar="FILE",
                    help="YAML list of known deviations ({id, reason}); listed cases run as strict xfail")
    group.addoption("--xsd", dest="xsd", metavar="FILE",
                    help="response schema (default: xsd/importexport-2010-06-01.xsd under the rootdir)")
    group.addoption("--property-examples", dest="property_examples", type=example_count, default=DEFAULT_EXAMPLES,
                    metavar="N", help=f"cases each property item draws at most (default: {DEFAULT_EXAMPLES})")
    group.addoption("--concurrency", dest="concurrency", type=concurrency_count, default=1, metavar="N",
                    help="cases in flight at once against the target (default: 1, one at a time); cases that share "
                         "state on the target (its clock, quotas, injected errors, a listing's order) still run one "
                         f"at a time, so the verdict is the serial one (at most {MAX_CONCURRENCY})")
    group.addoption("--property-seed", dest="property_seed", type=int, metavar="N",
                    help="seed of every property item's draws (default: a fresh random seed per item, "
                         "shown on failure with the command that replays it)")


def concurrency_count(text: str) -> int:
    """`--concurrency` value: an integer from 1 to MAX_CONCURRENCY."""
    try:
        count = int(text)
    except ValueError:
        count = 0
    if not 1 <= count <= MAX_CONCURRENCY:
        raise argparse.ArgumentTypeError(f"expected an integer from 1 to {MAX_CONCURRENCY}, got {text!r}")
    return count


def attached_path_values(arguments: list[str]) -> list[str]:
    """`--target-config FILE` -> `--target-config=FILE` (and the other options that take a path)."""
    attached: list[str] = []
    index = 0
    while index < len(arguments):
        if arguments[index] in PATH_OPTIONS and index + 1 < len(arguments):
            attached.append(f"{arguments[index]}={arguments[index + 1]}")
            index += 2
        else:
            attached.append(arguments[index])
            index += 1
    return attached
