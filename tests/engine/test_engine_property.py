"""Property cases end to end: every property fails against a deliberately wrong server, and replays.

`wrong_server` below answers like a mostly right Import/Export endpoint with one planted bug per
property; most bugs need a combination of drawn choices to show. pytest runs the repository's
`fixtures/property/*.property` in a subprocess against it: each property item must fail and print
its seed and replay command, and a replay with that seed (in this process, and once with the printed
command) must fail on the same smallest case after the same number of runs. Also covered: node ids
and markers, results.json records, a passing property against the engine stub, option and
property-file errors, a property that breaks, and the strategies' own promises.
"""
from __future__ import annotations

import dataclasses
import json
import os
import re
import shlex
import shutil
import subprocess
import sys
import textwrap
import threading
from pathlib import Path

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from werkzeug.serving import make_server
from werkzeug.wrappers import Request, Response

from conformance.cases.loader import cases_from_data
from conformance.cases.templating import render_text
from conformance.generate import property_strategies as S
from conformance.generate.property_cases import PROPERTIES
from conformance.run.collection import load_cases
from conformance.run.property_run import PropertyError, PropertyFailed, PropertyRun, render_property_failure
from tests.engine.conftest import make_target
from tests.engine.stub_server import error_response as _error
from tests.engine.stub_server import success_response as _success

ENGINE_TESTS = Path(__file__).parent
REPO_ROOT = ENGINE_TESTS.parents[1]
XSD = REPO_ROOT / "xsd" / "importexport-2010-06-01.xsd"
EXAMPLES = "200"
PLANTED_BUGS = {  # property -> the wrong server's bug it must find
    "Property.Manifest.S3ImportVariantsAccepted": "rejects a non-ASCII returnAddress name next to a company (import)",
    "Property.Manifest.S3ExportVariantsAccepted": "rejects an operation with beginMarker but no endMarker",
    "Property.Manifest.MissingDocumentedFieldRejected": "never checks deviceId",
    "Property.Manifest.MissingRequiredFieldRejected": "never checks deviceId or returnAddress.phoneNumber",
    "Property.Manifest.InvalidEnumRejected": "never checks serviceLevel",
    "Property.ListJobs.MaxJobsRange": "has no upper bound for MaxJobs",
    "Property.GetStatus.UnknownJobIdRejected": "answers InvalidParameterException for JobIds over 8 characters",
    "Property.CancelJob.UnknownJobIdRejected": "cancels any JobId ending in -VALIDATE-ONLY",
}




def _manifest_problem(form) -> str | None:
    """The error code the wrong server gives a manifest, or None to accept it."""
    try:
        manifest = yaml.safe_load(form.get("Manifest", ""))
    except yaml.YAMLError:
        return "MalformedManifestException"
    if not isinstance(manifest, dict):
        return "MalformedManifestException"
    operations = [op for op in manifest.get("operations") or () if isinstance(op, dict)]
    destinations = {op.get("destination") for op in operations}
    kind = ("export" if form.get("JobType") == "Export" else "glacier" if "glacier" in destinations
            else "ebs" if "ebs-snapshot" in destinations else "import")
    required = {"import": ["bucket"], "export": ["fileSystem", "logBucket", "operations"],
                "ebs": ["eraseDevice", "logBucket", "operations"],
                "glacier": ["eraseDevice", "logBucket", "operations"]}
    operation_required = {"import": [], "export": ["exportBucket"], "ebs": ["destination", "source", "region"],
                          "glacier": ["destination", "source", "region", "vaultName", "archiveComment"]}
    address = manifest.get("returnAddress")
    if (any(key not in manifest for key in ["manifestVersion", "accessKeyId", "returnAddress"] + required[kind])
            or not isinstance(address, dict)
            or any(key not in address
                   for key in ("name", "street1", "city", "stateOrProvince", "postalCode", "country"))
            or any(key not in op for op in operations for key in operation_required[kind])):
        return "MissingManifestFieldException"
    if "fileSystem" in manifest and manifest["fileSystem"] not in ("NTFS", "EXT2", "EXT3", "EXT4", "FAT32"):
        return "InvalidFileSystemException"
    erase = manifest.get("eraseDevice", True)
    if ("acl" in manifest and manifest["acl"] not in S.ENUM_MEMBERS["acl"]) or not (
            isinstance(erase, bool) or str(erase).lower() in ("yes", "no", "true", "false")):
        return "InvalidManifestFieldException"
    if kind == "import" and "company" in address and not str(address["name"]).isascii():
        return "InvalidAddressException"
    if any("beginMarker" in op and "endMarker" not in op for op in operations):
        return "InvalidManifestFieldException"
    return None


@Request.application
def wrong_server(request: Request) -> Response:
    form = request.values
    action = form.get("Action")
    if action == "CreateJob":
        problem = _manifest_problem(form)
        return _error(problem) if problem else _success(
            "CreateJob", "<JobId>AB3DE-VALIDATE-ONLY</JobId><Signature>c2lnbmF0dXJl</Signature>")
    if action == "ListJobs":
        if not re.fullmatch(r"\d+", form.get("MaxJobs", "0")):
            return _error("InvalidParameterException")
        return _success("ListJobs", "<Jobs/><IsTruncated>false</IsTruncated>")
    job_id = form.get("JobId", "")
    if action == "GetStatus":
        return _error("InvalidParameterException" if len(job_id) > 8 else "InvalidJobIdException")
    if action == "CancelJob" and job_id.endswith("-VALIDATE-ONLY"):
        return _success("CancelJob", "<Success>true</Success>")
    return _error("InvalidJobIdException" if action == "CancelJob" else "InvalidAction")


@pytest.fixture(scope="module")
def wrong_endpoint() -> str:
    server = make_server("127.0.0.1", 0, wrong_server, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}"
    server.shutdown()
    thread.join(timeout=5)


@pytest.fixture
def project(tmp_path) -> Path:
    """A throwaway project with the repository's pytest.ini and property files."""
    shutil.copy(REPO_ROOT / "pytest.ini", tmp_path / "pytest.ini")
    shutil.copytree(REPO_ROOT / "fixtures" / "property", tmp_path / "fixtures" / "property")
    return tmp_path


def run_pytest(project: Path, endpoint: str, *args: str) -> subprocess.CompletedProcess:
    environment = {key: value for key, value in os.environ.items() if key != "IMPORTEXPORT_ENDPOINT_URL"}
    environment["PYTHONPATH"] = os.pathsep.join([str(REPO_ROOT), str(ENGINE_TESTS)])
    environment["PYTEST_DISABLE_PLUGIN_AUTOLOAD"] = "1"
    command = [sys.executable, "-m", "pytest", "-p", "conformance.plugin", "-p", "no:cacheprovider",
               "--rootdir", str(project), "-c", str(project / "pytest.ini"), "--xsd", str(XSD),
               "--endpoint-url", endpoint, *args]
    return subprocess.run(command, cwd=project, env=environment, capture_output=True, text=True, timeout=300)


def failure_sections(output: str) -> dict:
    """Item name -> its failure report, from pytest's FAILURES section."""
    parts = re.split(r"^_{3,} (\S+) _{3,}$", output, flags=re.MULTILINE)
    return {name: re.split(r"^=+ ", body, flags=re.MULTILINE)[0]
            for name, body in zip(parts[1::2], parts[2::2], strict=True)}


def replay_facts(section: str) -> dict:
    """What a replay must reproduce: the seed, the smallest case and its mismatches.

    The number of examples run on the way is not compared: hypothesis's shrinking can take a
    different path on a replay (seen in CI), while the smallest failing case it reaches is the same.
    """
    seed = re.search(r"^  seed:     (\d+)$", section, re.MULTILINE)
    smallest = re.search(r"^Smallest failing case found.*?\n(.*?)\n\n", section, re.DOTALL | re.MULTILINE)
    mismatches = re.search(r"^Mismatches .*?\n(.*?)\n\n", section, re.DOTALL | re.MULTILINE)
    return {"seed": seed and seed[1], "case": smallest and smallest[1], "mismatches": mismatches and mismatches[1]}


def node_id(item_name: str) -> str:
    source = "manifests" if ".Manifest." in item_name else "parameters"
    return f"fixtures/property/{source}.property::{item_name}"


def test_every_property_fails_against_the_wrong_server_and_replays(project, wrong_endpoint):
    reports = project / "reports"
    first = run_pytest(project, wrong_endpoint, "--auth", "sigv4", "--property-examples", EXAMPLES,
                       "--report-dir", str(reports))
    assert first.returncode == 1, first.stdout + first.stderr
    sections = failure_sections(first.stdout)
    assert sorted(sections) == sorted(f"{name}[sigv4]" for name in PLANTED_BUGS), first.stdout[-3000:]
    facts = {name: replay_facts(section) for name, section in sections.items()}
    cases = {case.id: case for path in sorted((project / "fixtures" / "property").glob("*.property"))
             for case in load_cases(path, project)}
    target = make_target(wrong_endpoint, XSD)
    for name, section in sections.items():
        assert all(facts[name].values()), section
        assert f"Property {name.split('[')[0]} [sigv4] is falsified" in section
        replay = (f"importexport-conformance '{node_id(name)}' --property-seed {facts[name]['seed']} --property-examples {EXAMPLES}")
        assert f"  replay:   {replay}  (plus this run's target options)" in section
        run = PropertyRun(PROPERTIES[name.split("[")[0]], cases[name.split("[")[0]], "sigv4", target,
                          node_id(name), int(EXAMPLES), int(facts[name]["seed"]))
        with pytest.raises(PropertyFailed) as replayed:
            run.execute()
        assert replay_facts(render_property_failure(replayed.value)) == facts[name], name

    listjobs = "Property.ListJobs.MaxJobsRange[sigv4]"
    printed = re.search(r"^  replay:   importexport-conformance (.*?)  \(plus", sections[listjobs], re.MULTILINE)[1]
    again = run_pytest(project, wrong_endpoint, *shlex.split(printed))
    assert again.returncode == 1 and replay_facts(failure_sections(again.stdout)[listjobs]) == facts[listjobs]
    assert "MaxJobs: '1001'" in facts[listjobs]["case"]
    smallest = yaml.safe_load(textwrap.dedent(facts[listjobs]["case"]))
    smallest["cases"][0]["id"] = "Saved.MaxJobs1001"
    assert [case.id for case in cases_from_data(smallest, project / "fixtures" / "saved.yaml", project / "fixtures")] \
        == ["Saved.MaxJobs1001"]

    records = {record["id"]: record for record in json.loads((reports / "results.json").read_text())["cases"]}
    record = records["Property.ListJobs.MaxJobsRange"]
    assert record["outcome"] == "failed" and "property" in record["tags"] and record["level"] == "documented"
    assert record["expected_status"] == [200, 400] and record["expected_code"] == "InvalidParameterException"
    assert record["property"]["seed"] == int(facts[listjobs]["seed"])
    assert record["failed_step"] == "steps[0] ListJobs" and record["mismatches"]


def test_items_have_case_node_ids_and_markers(project, wrong_endpoint):
    result = run_pytest(project, wrong_endpoint, "--co", "-q", "-m", "property and listjobs and sigv2 and documented")
    assert [line for line in result.stdout.splitlines() if "::" in line] == [
        "fixtures/property/parameters.property::Property.ListJobs.MaxJobsRange[sigv2]"]
    every = run_pytest(project, wrong_endpoint, "--co", "-q")
    assert sum("::Property." in line for line in every.stdout.splitlines()) == 2 * len(PROPERTIES)


def test_a_passing_property_reports_its_seed_and_runs(project, stub_endpoint):
    reports = project / "reports"
    result = run_pytest(project, stub_endpoint, "fixtures/property/parameters.property::"
                        "Property.GetStatus.UnknownJobIdRejected[sigv2]", "--property-examples", "7",
                        "--property-seed", "42", "--report-dir", str(reports))
    assert result.returncode == 0, result.stdout
    [record] = json.loads((reports / "results.json").read_text())["cases"]
    assert record["outcome"] == "passed" and record["scheme"] == "sigv2" and record["operation"] == "GetStatus"
    assert record["property"] == {"seed": 42, "max_examples": 7, "runs": 7}
    assert record["expected_code"] == "InvalidJobIdException" and record["source"] == "F30"


def test_bad_property_files_and_options_are_reported(project, stub_endpoint):
    folder = project / "fixtures" / "property"
    (folder / "unknown.property").write_text("concern: x\nproperties: [Property.NoSuchThing]\n")
    (folder / "twice.property").write_text("concern: x\nproperties: [Property.ListJobs.MaxJobsRange, "
                                           "Property.ListJobs.MaxJobsRange]\n")
    (folder / "shape.property").write_text("properties: [Property.ListJobs.MaxJobsRange]\n")
    result = run_pytest(project, stub_endpoint, "--co", "-q")
    assert "fixtures/property/unknown.property: properties[0]: unknown property 'Property.NoSuchThing'" in result.stdout
    assert "fixtures/property/twice.property: properties[1]: Property.ListJobs.MaxJobsRange is listed twice" \
        in result.stdout
    assert "fixtures/property/shape.property: expected exactly the keys concern and properties" in result.stdout
    usage = run_pytest(project, stub_endpoint, "--co", "--property-examples", "0")
    assert usage.returncode == 4 and "expected a positive integer, got '0'" in usage.stderr


def test_a_property_that_draws_invalid_case_data_breaks_with_its_seed(stub_endpoint):
    prop = dataclasses.replace(PROPERTIES["Property.GetStatus.UnknownJobIdRejected"],
                               steps=lambda: st.just([{"request": {"bogus": 1}}]))
    [case] = [case for case in load_cases(REPO_ROOT / "fixtures" / "property" / "parameters.property", REPO_ROOT)
              if case.id == prop.id]
    run = PropertyRun(prop, case, "sigv2", make_target(stub_endpoint, XSD), "some::node", 3, 7)
    with pytest.raises(PropertyError) as broken:
        run.execute()
    assert "  seed:     7\n  replay:   importexport-conformance some::node --property-seed 7 --property-examples 3" in str(broken.value)
    assert "CaseFileError" in str(broken.value) and "bogus" in str(broken.value)


@settings(max_examples=80, deadline=None, database=None, suppress_health_check=[HealthCheck.too_slow])
@given(S.manifests())
def test_drawn_manifests_are_yaml_mappings_with_their_required_fields(manifest):
    variables = {"primary.access_key_id": "AKIA", "bucket.primary": "bucket", "bucket.log": "logs"}
    data = yaml.safe_load(render_text(manifest.text, variables))
    assert [key for key, _ in manifest.body.items] == list(data)
    for path in manifest.required_paths(documented_only=False):
        parent = yaml.safe_load(render_text(manifest.without(path).text, variables))
        for key in path[:-1]:
            parent = parent[key]
        assert path[-1] not in parent


@settings(max_examples=80, deadline=None, database=None)
@given(S.manifests_with_invalid_enum())
def test_invalid_enum_values_read_back_as_non_member_strings(drawn):
    manifest, field = drawn
    value = yaml.safe_load(render_text(manifest.text, {"primary.access_key_id": "A", "bucket.primary": "b",
                                                       "bucket.log": "l"}))[field]
    assert isinstance(value, str) and value.strip().casefold() not in {m.casefold() for m in S.ENUM_MEMBERS[field]}


def test_hypothesis_describes_lambdas_one_thread_at_a_time():
    import threading
    import time

    from hypothesis.internal import lambda_sources

    import conformance.run.property_run as property_run

    inside, most = [0], [0]

    def slow(function):
        inside[0] += 1
        most[0] = max(most[0], inside[0])
        time.sleep(0.05)
        inside[0] -= 1
        return "lambda: ..."

    guarded = property_run._one_thread_at_a_time(slow)
    threads = [threading.Thread(target=guarded, args=(None,)) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert most[0] == 1
    assert lambda_sources.lambda_description.__qualname__.startswith("_one_thread_at_a_time")
