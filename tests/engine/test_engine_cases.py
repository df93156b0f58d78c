"""The case loader: valid files become typed cases; every bad file is rejected naming file, id, field."""
from __future__ import annotations

import configparser
import json
import textwrap
from pathlib import Path

import pytest

from conformance.cases.definitions import OPERATIONS, ApiStep, ControlStep, FetchStep
from conformance.cases.loader import CaseFileError, CaseIdRegistry, cases_from_data
from conformance.cases.sources import CaseFileSource

REPO_ROOT = Path(__file__).resolve().parents[2]

HEADER = """\
concern: Engine loader tests.
cases:
"""
VALID_CASE = """\
- id: T.Case
  operation: GetStatus
  level: documented
  source: F4
  doc: A valid case.
  steps:
  - request: {params: {JobId: GOOD1}}
    expect: {status: 200}
"""


def write_case_file(root: Path, cases_yaml: str, name: str = "bad.yaml") -> Path:
    fixtures = root / "fixtures"
    (fixtures / "manifests").mkdir(parents=True, exist_ok=True)
    (fixtures / "manifests" / "m.yaml").write_text("bucket: ${bucket.primary}\n")
    path = fixtures / name
    path.write_text(HEADER + textwrap.dedent(cases_yaml))
    return path


def load(tmp_path: Path, cases_yaml: str):
    path = write_case_file(tmp_path, cases_yaml)
    return CaseFileSource(path, tmp_path / "fixtures").cases()


def test_valid_case_loads_with_defaults(tmp_path):
    (case,) = load(tmp_path, VALID_CASE)
    assert case.id == "T.Case" and case.auth == ("sigv2", "sigv4") and case.operations == ("GetStatus",)
    (step,) = case.steps
    assert isinstance(step, ApiStep) and step.request.params == (("JobId", "GOOD1"),)
    assert step.expect.status == 200 and step.expect.xsd is True


def test_exact_scalars_keep_their_spelling(tmp_path):
    (case,) = load(tmp_path, VALID_CASE.replace(
        "{JobId: GOOD1}", "{Version: 2010-06-01, MaxJobs: 010, APIVersion: 1.10, ValidateOnly: false, N: 5}"))
    assert case.steps[0].request.params == (
        ("Version", "2010-06-01"), ("MaxJobs", "010"), ("APIVersion", "1.10"), ("ValidateOnly", "false"), ("N", "5"))


def test_steps_kinds_saves_and_derived_flags(tmp_path):
    (case,) = load(tmp_path, """\
    - id: T.Flow
      operation: CreateJob
      level: inferred
      decision: L4 because.
      source: F34
      doc: Flow.
      steps:
      - request: {manifest: manifests/m.yaml}
        save: {job_id: '//ie:JobId'}
        state:
        - {operation: GetStatus, as: secondary, request: {params: {JobId: '${job_id}'}}}
      - control: {call: set_state, job: '${job_id}', progress_code: InProgress}
      - fetch: 'http://${host}/label.pdf'
        expect: {body_starts_with: '%PDF-'}
      teardown:
      - control: {call: set_clock, offset_s: 0}
    """)
    create, control, fetch = case.steps
    assert isinstance(create, ApiStep) and create.save == (("job_id", "//ie:JobId"),)
    assert isinstance(control, ControlStep) and dict(control.arguments)["job"] == "${job_id}"
    assert isinstance(fetch, FetchStep) and fetch.expect.xsd is False
    assert case.operations == ("CreateJob", "GetStatus")
    assert case.uses_secondary and case.uses_control


BAD_FILES = {
    "unknown case key": (VALID_CASE + "  colour: red\n",
                         "case T.Case: cases[0]: Additional properties are not allowed ('colour'"),
    "missing doc": (VALID_CASE.replace("  doc: A valid case.\n", ""),
                    "case T.Case: cases[0].doc: missing (write it on the case or in the file's defaults)"),
    "inferred without decision": (VALID_CASE.replace("documented", "inferred"),
                                  "case T.Case: cases[0].decision: an inferred case states its decision"),
    "bad status": (VALID_CASE.replace("status: 200", "status: 20x"), "case T.Case: cases[0].steps[0].expect.status:"),
    "unknown tag": (VALID_CASE + "  tags: [nonsense]\n", "case T.Case: cases[0].tags[0]: 'nonsense' is not one of"),
    "unknown operation": (VALID_CASE.replace("operation: GetStatus", "operation: DescribeJobs"), "cases[0].operation"),
    "unknown template name": (VALID_CASE.replace("GOOD1", "'${job}'"),
                              "case T.Case: cases[0].steps[0].request.params.JobId: ${job} is neither"),
    "name saved later": (VALID_CASE.replace("{JobId: GOOD1}}", "{JobId: '${later}'}}\n    save: {later: '//x'}"),
                         "cases[0].steps[0].request.params.JobId: ${later}"),
    "missing manifest": (VALID_CASE.replace("{params: {JobId: GOOD1}}", "{manifest: manifests/none.yaml}"),
                         "case T.Case: cases[0].steps[0].request.manifest: 'manifests/none.yaml': no such file"),
    "manifest outside fixtures": (VALID_CASE.replace("{params: {JobId: GOOD1}}", "{manifest: ../outside.yaml}"),
                                  "cases[0].steps[0].request.manifest: '../outside.yaml' is outside"),
    "bad xpath": (VALID_CASE.replace("{status: 200}", "{xpath: [{path: '//ie:[', exists: true}]}"),
                  "case T.Case: cases[0].steps[0].expect.xpath[0].path: invalid XPath"),
    "bad regex": (VALID_CASE.replace("{status: 200}", "{xpath: [{path: '//ie:JobId', matches: '('}]}"),
                  "cases[0].steps[0].expect.xpath[0].matches: invalid regular expression"),
    "two xpath assertions": (VALID_CASE.replace("{status: 200}", "{xpath: [{path: '//a', exists: true, count: 1}]}"),
                             "cases[0].steps[0].expect.xpath[0]:"),
    "sigv2 override under both schemes": (
        VALID_CASE.replace("{params: {JobId: GOOD1}}", "{signing: {method: HmacSHA1}}"),
        "case T.Case: cases[0].steps[0].request.signing.method: applies to sigv2 only"),
    "signing an unsigned request": (
        VALID_CASE.replace("{params: {JobId: GOOD1}}", "{unsigned: true, signing: {secret: x}}"),
        "cases[0].steps[0].request.signing: signing overrides need a signed request"),
    "request and raw": (VALID_CASE.replace("    expect:", "    raw: {body: x}\n    expect:"), "cases[0].steps[0]:"),
    "unknown control call": (VALID_CASE.replace("  - request: {params: {JobId: GOOD1}}\n    expect: {status: 200}\n",
                                                "  - control: {call: reboot}\n"),
                             "case T.Case: cases[0].steps[0].control.call: 'reboot' is not one of"),
    "saving a built-in name": (VALID_CASE.replace("{status: 200}", "{status: 200}\n    save: {host: '//x'}"),
                               "cases[0].steps[0].save.host: 'host' is a built-in name"),
    "duplicate id in file": (VALID_CASE + VALID_CASE, "case T.Case: cases[1].id: duplicate id in this file"),
    "duplicate yaml key": (VALID_CASE.replace("  doc: A valid case.\n", "  doc: A.\n  doc: B.\n"),
                           "not valid YAML"),
    "none mixed with schemes": (VALID_CASE + "  auth: [none, sigv2]\n", "cases[0].auth:"),
}


@pytest.mark.parametrize("cases_yaml, message", BAD_FILES.values(), ids=BAD_FILES.keys())
def test_bad_case_files_are_rejected_naming_file_case_and_field(tmp_path, cases_yaml, message):
    with pytest.raises(CaseFileError) as error:
        load(tmp_path, cases_yaml)
    text = str(error.value)
    assert text.startswith("fixtures/bad.yaml: ")
    assert message in text
    assert "\n" not in text


def test_duplicate_ids_across_files_are_an_error(tmp_path):
    registry = CaseIdRegistry()
    fixtures = tmp_path / "fixtures"
    first = write_case_file(tmp_path, VALID_CASE, "one.yaml")
    second = write_case_file(tmp_path, VALID_CASE, "two.yaml")
    for case in CaseFileSource(first, fixtures).cases():
        registry.register(case)
    (duplicate,) = CaseFileSource(second, fixtures).cases()
    with pytest.raises(CaseFileError, match=r"^fixtures/two.yaml: case T.Case: id already used in fixtures/one.yaml$"):
        registry.register(duplicate)


def test_generated_data_loads_like_a_file_and_errors_name_the_virtual_file(tmp_path):
    fixtures = tmp_path / "fixtures"
    fixtures.mkdir()
    virtual = fixtures / "generated" / "model-negatives"
    data = {"concern": "generated", "cases": [{"id": "G.One", "operation": "ListJobs", "level": "documented",
                                               "source": "F44", "doc": "d",
                                               "steps": [{"request": {"params": {"MaxJobs": "5"}}}]}]}
    (case,) = cases_from_data(data, virtual, fixtures)
    assert case.id == "G.One" and case.line == 0 and case.steps[0].request.params == (("MaxJobs", "5"),)
    data["cases"][0]["steps"][0]["expect"] = {"status": "bad"}
    with pytest.raises(CaseFileError, match=r"^fixtures/generated/model-negatives: case G.One: cases\[0\].steps"):
        cases_from_data(data, virtual, fixtures)


def test_case_line_points_at_its_id(tmp_path):
    first, second = load(tmp_path, VALID_CASE + VALID_CASE.replace("T.Case", "T.Second"))
    assert (first.line, second.line) == (2, 10)


def test_pytest_ini_registers_every_marker_the_engine_can_add():
    schema = json.loads((REPO_ROOT / "conformance" / "cases" / "case_schema.json").read_text())
    tags = schema["definitions"]["case"]["properties"]["tags"]["items"]["enum"]
    expected = ({tag.replace("-", "_") for tag in tags} | {operation.lower() for operation in OPERATIONS}
                | {"documented", "inferred", "example", "sigv2", "sigv4"})
    parser = configparser.ConfigParser()
    parser.read(REPO_ROOT / "pytest.ini")
    registered = {line.split(":")[0].strip() for line in parser["pytest"]["markers"].strip().splitlines()}
    assert registered == expected
