"""The compact case format: templates, shared steps, named checks, defaults, families, param sets, the formatter.

Each construct expands to the plain case it stands for; each mistake is one line naming file, case and field.
"""
from __future__ import annotations

import textwrap
from pathlib import Path

import pytest
import yaml

from conformance.cases.format import format_data
from conformance.cases.format import main as format_main
from conformance.cases.loader import CaseFileError
from conformance.cases.sources import CaseFileSource

TEMPLATES = {
    "templates/manifests/address.yaml": "name: Jane Roe\nstreet1: 123 Any Street\npostalCode: 91011-1111\n",
    "templates/manifests/s3.yaml": textwrap.dedent("""\
        # a comment is not sent
        manifestVersion: 2.0
        deviceId: 49382
        eraseDevice: yes
        operations:
          - region: us-east-1
        returnAddress: {template: address, set: {postalCode: 91011}}
        """),
    "templates/checks.yaml": ("checks:\n  ok: {path: '//ie:Success', equals: 'true'}\n"
                              "  id: {path: '//ie:JobId', exists: true}\n"),
    "templates/steps.yaml": textwrap.dedent("""\
        steps:
          create:
            with: {kind: Import, save_as: job_id}
            steps:
            - operation: CreateJob
              request: {params: {JobType: '${with.kind}'}, manifest: {template: s3}}
              expect: {status: 200, checks: [id]}
              save: {'${with.save_as}': '//ie:JobId'}
        """),
    "templates/params.yaml": "param_sets:\n  label: {from_template: address, names: [name, street1]}\n",
}


def fixtures(tmp_path: Path) -> Path:
    root = tmp_path / "fixtures"
    for relative, text in TEMPLATES.items():
        (root / relative).parent.mkdir(parents=True, exist_ok=True)
        (root / relative).write_text(text)
    return root


def load(tmp_path: Path, text: str):
    root = fixtures(tmp_path)
    path = root / "case.yaml"
    path.write_text(textwrap.dedent(text))
    return CaseFileSource(path, root).cases()


def manifest_of(case, step: int = 0) -> dict:
    return yaml.safe_load(case.steps[step].request.manifest_text)


ONE_CASE = """\
    concern: Format tests.
    defaults: {operation: CreateJob, level: documented, source: F1}
    cases:
    - id: T.One
      doc: A case.
      steps:
      - request:
          params: {JobType: Import}
          manifest:
            template: s3
            set: {deviceId: "NEW-${unique}", operations.0.region: eu-west-1}
            unset: [eraseDevice]
        expect: {status: 200, checks: [ok], xpath: [{check: id}, {path: '//ie:JobType', equals: Import}]}
    """


def test_template_set_unset_and_nested_template(tmp_path):
    (case,) = load(tmp_path, ONE_CASE)
    text = case.steps[0].request.manifest_text
    assert text.splitlines()[:3] == ["manifestVersion: 2.0", "deviceId: NEW-${unique}", "operations:"]
    address = {"name": "Jane Roe", "street1": "123 Any Street", "postalCode": 91011}
    assert manifest_of(case) == {"manifestVersion": 2.0, "deviceId": "NEW-${unique}",
                                 "operations": [{"region": "eu-west-1"}], "returnAddress": address}


def test_set_values_are_typed_strings_unless_raw(tmp_path):
    text = ONE_CASE.replace('"NEW-${unique}"', '"49383", eraseDevice: !raw "no", manifestVersion: 3')
    (case,) = load(tmp_path, text.replace("unset: [eraseDevice]", "add: {pin: true}"))
    assert "deviceId: '49383'" in case.steps[0].request.manifest_text
    assert manifest_of(case)["eraseDevice"] is False and manifest_of(case)["manifestVersion"] == 3
    assert manifest_of(case)["pin"] is True


def test_named_checks_come_first_then_the_cases_own(tmp_path):
    (case,) = load(tmp_path, ONE_CASE)
    assert [(check.path, check.kind) for check in case.steps[0].expect.xpath] == [
        ("//ie:Success", "equals"), ("//ie:JobId", "exists"), ("//ie:JobType", "equals")]


def test_defaults_apply_and_a_case_overrides_them(tmp_path):
    (case,) = load(tmp_path, ONE_CASE.replace("  doc: A case.", "  doc: A case.\n      source: F2"))
    assert (case.operation, case.level, case.source) == ("CreateJob", "documented", "F2")


def test_shared_step_expands_with_its_parameters(tmp_path):
    shared = "      - {use: create, with: {kind: Export, save_as: j1}}\n      - request:\n"
    (case,) = load(tmp_path, ONE_CASE.replace("      - request:\n", shared))
    step = case.steps[0]
    assert step.operation == "CreateJob" and step.request.params == (("JobType", "Export"),)
    assert step.save == (("j1", "//ie:JobId"),) and step.label == "steps[0] CreateJob"
    assert case.steps[1].label == "steps[1] CreateJob"


def test_family_expands_one_case_per_row(tmp_path):
    cases = load(tmp_path, """\
        concern: Family.
        cases:
        - id: T.Kind${param.name}
          operation: CreateJob
          level: documented
          source: F1
          doc: JobType ${param.kind}.
          steps:
          - request: {params: {JobType: '${param.kind}', MaxJobs: '${param.count}'}}
          parameters:
          - {name: Lower, kind: import, count: 1}
          - {name: Upper, kind: IMPORT, count: 2}
        """)
    assert [case.id for case in cases] == ["T.KindLower", "T.KindUpper"]
    assert cases[1].doc == "JobType IMPORT." and cases[1].steps[0].request.params == (
        ("JobType", "IMPORT"), ("MaxJobs", "2"))


def test_param_set_appends_template_values(tmp_path):
    (case,) = load(tmp_path, ONE_CASE.replace("params: {JobType: Import}", "params: {JobType: Import}\n"
                                              "          param_set: {name: label, add: {street2: Suite 1}}"))
    assert case.steps[0].request.params == (("JobType", "Import"), ("name", "Jane Roe"),
                                            ("street1", "123 Any Street"), ("street2", "Suite 1"))


@pytest.mark.parametrize(("change", "message"), [
    (("template: s3\n", "template: s4\n"), "case.yaml: case T.One: cases[0].steps[0].request.manifest.template: "
                                         "no manifest template 's4' (known: address, s3)"),
    (("set: {deviceId:", "set: {deviceID:"), "case.yaml: case T.One: cases[0].steps[0].request.manifest.set.deviceID: "
                                           "no 'deviceID' in the template"),
    (("unset: [eraseDevice]", "unset: [returnAddress.town]"),
     "case.yaml: case T.One: cases[0].steps[0].request.manifest.unset.returnAddress.town: no 'returnAddress.town'"),
    (("checks: [ok]", "checks: [okay]"), "case.yaml: case T.One: cases[0].steps[0].expect.checks[0]: "
                                       "no named check 'okay'"),
    (("      - request:\n", "      - {use: creat}\n      - request:\n"),
     "case.yaml: case T.One: cases[0].steps[0].use: no shared step 'creat'"),
    (("      - request:\n", "      - {use: create, with: {knd: Export}}\n      - request:\n"),
     "case.yaml: case T.One: cases[0].steps[0].with.knd: shared step 'create' takes no such parameter"),
    (("params: {JobType: Import}", "params: {JobType: Import}\n          param_set: lable"),
     "case.yaml: case T.One: cases[0].steps[0].request.param_set: no parameter set 'lable'"),
    (("defaults: {operation: CreateJob, level: documented, source: F1}", "defaults: {level: documented, source: F1}"),
     "case.yaml: case T.One: cases[0].operation: missing (write it on the case or in the file's defaults)"),
])
def test_mistakes_name_file_case_and_field(tmp_path, change, message):
    with pytest.raises(CaseFileError) as error:
        load(tmp_path, ONE_CASE.replace(*change))
    text = str(error.value)
    assert "\n" not in text and message in text, text


def test_family_row_missing_a_parameter_names_the_row(tmp_path):
    with pytest.raises(CaseFileError) as error:
        load(tmp_path, """\
            concern: Family.
            cases:
            - id: T.Kind${param.name}
              operation: CreateJob
              level: documented
              source: F1
              doc: JobType ${param.kind}.
              steps:
              - request: {params: {JobType: '${param.kind}'}}
              parameters:
              - {name: Lower, kind: import}
              - {name: Upper}
            """)
    assert str(error.value) == ("fixtures/case.yaml: case T.KindUpper: cases[0].doc: ${param.kind} is not given by "
                                "parameters[1] (given: name)")


def test_family_id_must_name_its_row(tmp_path):
    with pytest.raises(CaseFileError, match=r"case T.Kind: cases\[0\].id: a family's id must name its row"):
        load(tmp_path, ONE_CASE.replace("id: T.One", "id: T.Kind").replace(
            "      doc: A case.", "      doc: A case.\n      parameters: [{kind: a}]"))


def test_formatter_output_is_stable_and_check_reports_changes(tmp_path, capsys):
    data = yaml.safe_load(textwrap.dedent(ONE_CASE.replace("!raw", "")))
    text = format_data(data)
    assert format_data(yaml.safe_load(text)) == text
    assert text.startswith("concern: Format tests.\ndefaults: {operation: CreateJob, level: documented, source: F1}\n")
    root = fixtures(tmp_path)
    path = root / "case.yaml"
    path.write_text(text.replace("  doc:", "  doc:  "))
    assert format_main(["--check", str(path)]) == 1
    assert "not in the case-file style" in capsys.readouterr().out
    assert format_main([str(path)]) == 0 and path.read_text() == text
    assert format_main(["--check", str(path)]) == 0
