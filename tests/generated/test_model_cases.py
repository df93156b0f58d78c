"""Tests of the model-derived case generator (`conformance.generate.botocore_cases`).

They check that the generated cases are valid case-file data (the engine's JSON schema, YAML round
trip), that ids are unique, and that coverage follows the botocore model: every required member has a
"missing" case (or an entry of the override table), every integer / boolean / enum member has its
wrong-value cases, the `jobIds` list has its edge cases, and job-scoped requests create their jobs.
A synthetic model proves the cases are derived from the model rather than typed by hand.
"""
from __future__ import annotations

import copy
import json
import re
from pathlib import Path

import botocore.loaders
import botocore.model
import pytest
import yaml

from conformance.cases.error_table import tabled_status
from conformance.cases.datafiles import load_yaml
from conformance.cases.sources import CaseFileSource
from conformance.generate import botocore_values as V
from conformance.generate.botocore_cases import VIRTUAL_FILE, load_service_model, model_case_file, model_negative_cases

ROOT = Path(__file__).resolve().parents[2]
SCHEMA = ROOT / "conformance" / "cases" / "case_schema.json"
FIXTURES = ROOT / "fixtures"
TEMPLATE_REF = re.compile(r"\$\{([A-Za-z_][A-Za-z0-9_.]*)\}")
BUILT_IN_PREFIXES = ("primary.", "secondary.", "bucket.")
BUILT_INS = {"host", "unique"}


@pytest.fixture(scope="module")
def model():
    return load_service_model()


@pytest.fixture(scope="module")
def cases():
    return model_negative_cases()


@pytest.fixture(scope="module")
def by_id(cases):
    return {case["id"]: case for case in cases}


def _step_under_test(case):
    """The last step: the request of the case's own operation (earlier steps create jobs)."""
    step = case["steps"][-1]
    assert step.get("operation", case["operation"]) == case["operation"]
    return step


def _params(case):
    return _step_under_test(case)["request"]["params"]


def _members(model, op, type_name=None):
    shape = model.operation_model(op).input_shape
    return [m for m, s in shape.members.items()
            if m not in V.SKIPPED_MEMBERS and (type_name is None or s.type_name == type_name)]


def _member_cases(by_id, op, member):
    prefix = f"{op}.Generated.{member}."
    return {cid[len(prefix):]: case for cid, case in by_id.items() if cid.startswith(prefix)}


def _error_codes(expect):
    """Accepted error codes of an expectation (all alternatives), as a set."""
    alternatives = expect.get("one_of", [expect])
    codes = set()
    for alternative in alternatives:
        code = alternative.get("code")
        codes.update([code] if isinstance(code, str) else code or [])
    return codes


def _accepts_success(expect):
    return any(a.get("status") == 200 for a in expect.get("one_of", [expect]))


# --- format -------------------------------------------------------------------------------------------

def test_cases_validate_against_the_engine_case_schema():
    import jsonschema

    schema = json.loads(SCHEMA.read_text(encoding="utf-8"))
    validator = jsonschema.validators.validator_for(schema)(schema)
    errors = sorted(validator.iter_errors(model_case_file()), key=lambda e: list(e.absolute_path))
    assert not errors, "\n".join(f"{list(e.absolute_path)}: {e.message[:300]}" for e in errors[:10])


def test_the_engine_loader_accepts_the_generated_file(tmp_path):
    path = tmp_path / "model-negatives.yaml"
    path.write_text(yaml.safe_dump(model_case_file(), sort_keys=False), encoding="utf-8")
    loaded = CaseFileSource(path, FIXTURES).cases()
    assert [case.id for case in loaded] == [case["id"] for case in model_negative_cases()]


def test_ids_are_unique_and_well_formed(cases):
    ids = [case["id"] for case in cases]
    assert len(ids) == len(set(ids))
    for case_id in ids:
        assert re.fullmatch(r"[A-Za-z0-9_.-]+", case_id), case_id
        assert case_id.startswith(case_id.split(".")[0] + ".Generated."), case_id


def test_yaml_round_trip_under_the_unique_key_loader(tmp_path):
    path = tmp_path / "model-negatives.yaml"
    path.write_text(yaml.safe_dump(model_case_file(), sort_keys=False), encoding="utf-8")
    assert load_yaml(path) == model_case_file()


def test_generation_is_deterministic_and_returns_fresh_objects():
    first = model_negative_cases()
    first[0]["steps"][-1]["request"]["params"]["tampered"] = "x"
    assert model_negative_cases() != first
    assert model_negative_cases() == model_negative_cases()
    assert VIRTUAL_FILE == "generated/model-negatives"


def test_common_fields(cases):
    for case in cases:
        assert case["tags"] == ["generated", "parameters"], case["id"]
        assert case["source"] in {"F40", "F41", "F42", "F43", "F44", "F45", "F5"}, case["id"]
        assert "\n" not in case["doc"] and case["doc"], case["id"]
        assert case["level"] in ("documented", "inferred"), case["id"]
        if case["level"] == "inferred":
            assert case.get("decision"), case["id"]


def test_expectations_follow_the_level(cases):
    for case in cases:
        expect = _step_under_test(case)["expect"]
        if case["level"] == "documented":
            assert "one_of" not in expect, case["id"]
            if expect["status"] != 200:
                assert expect == {"status": 400, "code": expect["code"], "type": "Sender"}, case["id"]
                assert isinstance(expect["code"], str), case["id"]
        else:
            for alternative in expect.get("one_of", [expect]):
                if alternative["status"] != 200:
                    # the error table's codes at their status, the rest at any 4xx; always Type Sender
                    codes = alternative["code"]
                    assert isinstance(codes, list) and alternative["type"] == "Sender", case["id"]
                    statuses = {tabled_status(code) or "4xx" for code in codes}
                    assert statuses == {alternative["status"]}, case["id"]
        for alternative in expect.get("one_of", [expect]):
            # default envelope and XSD checks stay on
            assert "xsd" not in alternative and "content_type_xml" not in alternative, case["id"]


# --- coverage of the model ------------------------------------------------------------------------------

def test_every_required_member_has_a_missing_case_or_an_override(model, by_id):
    for op in model.operation_names:
        shape = model.operation_model(op).input_shape
        for member in shape.required_members:
            override = V.OVERRIDES.get((op, member))
            if override is None and member in ("JobId", "jobIds"):
                case = by_id[f"{op}.Generated.Missing{member[:1].upper()}{member[1:]}"]
                assert case["level"] == "inferred"
                assert _step_under_test(case)["expect"] == {
                    "status": 400, "code": ["MissingParameterException", "InvalidJobIdException"], "type": "Sender"}
            elif override is None:
                case = by_id[f"{op}.Generated.Missing{member[:1].upper()}{member[1:]}"]
                assert case["level"] == "documented"
                assert _step_under_test(case)["expect"] == {
                    "status": 400, "code": "MissingParameterException", "type": "Sender"}
            else:
                case = by_id[override["id"]]
                assert case["level"] == "documented" and case["source"] == V.MODEL_FACTS[op]
                assert _step_under_test(case)["expect"]["status"] == 200
            wire = shape.members[member].serialization.get("name", member)
            request = _step_under_test(case)["request"]
            assert not any(k == wire or k.startswith(wire + ".") for k in request["params"]), case["id"]
            if member in V.MANIFEST_MEMBERS:
                assert "manifest" not in request, case["id"]


def test_overrides_name_required_members(model):
    for (op, member), override in V.OVERRIDES.items():
        assert member in model.operation_model(op).input_shape.required_members
        assert override["id"].startswith(f"{op}.Generated.")


def test_createjob_with_validateonly_omitted_creates_a_real_job(by_id):
    case = by_id["CreateJob.Generated.OmittedValidateOnlyCreatesJob"]
    assert len(case["steps"]) == 1
    step = case["steps"][0]
    assert "ValidateOnly" not in step["request"]["params"]
    assert step["save"] == {"job_id": "//ie:JobId"}
    read_back = step["state"][0]
    assert read_back["operation"] == "GetStatus" and read_back["expect"]["status"] == 200


def test_integer_members_have_wrong_type_range_and_boundary_cases(model, by_id):
    for op in model.operation_names:
        for member in _members(model, op, "integer"):
            variants = _member_cases(by_id, op, member)
            values = {label: _params(case)[member] for label, case in variants.items()}
            for label, case in variants.items():
                if label in ("NotANumber", "Fraction", "BelowMin", "AboveMax"):
                    assert _error_codes(_step_under_test(case)["expect"]) == {"InvalidParameterException"}
            assert {values["NotANumber"], values["Fraction"]} == {"abc", "1.5"}
            if (op, member) in V.INTEGER_RANGES:
                low, high, _ = V.INTEGER_RANGES[(op, member)]
                assert values["BelowMin"] == str(low - 1) and values["AboveMax"] == str(high + 1)
                for label, value in (("Min", low), ("MinPlusOne", low + 1), ("Max", high)):
                    assert values[label] == str(value)
                    assert _step_under_test(variants[label])["expect"]["status"] == 200


def test_maxjobs_cases_match_the_decisions(by_id):
    variants = _member_cases(by_id, "ListJobs", "MaxJobs")
    assert {label: _params(c)["MaxJobs"] for label, c in variants.items()} == {
        "NotANumber": "abc", "Fraction": "1.5", "BelowMin": "-1", "AboveMax": "1001",
        "Min": "0", "MinPlusOne": "1", "Max": "1000"}
    assert variants["Min"]["level"] == "inferred" and variants["Min"]["decision"].startswith("P6 ")
    assert variants["NotANumber"]["decision"].startswith("P7 ")
    for label in ("BelowMin", "AboveMax", "MinPlusOne", "Max"):
        assert variants[label]["level"] == "documented" and variants[label]["source"] == "F5"


def test_boolean_members_have_wrong_type_cases(model, by_id):
    seen = 0
    for op in model.operation_names:
        for member in _members(model, op, "boolean"):
            seen += 1
            variants = _member_cases(by_id, op, member)
            values = {_params(case)[member]: case for case in variants.values()}
            assert {"maybe", "2", ""} <= set(values)
            for value in ("maybe", "2"):
                assert values[value]["decision"].startswith("P2 ")
                assert _error_codes(_step_under_test(values[value])["expect"]) == {"InvalidParameterException"}
            assert "InvalidParameterException" in _error_codes(_step_under_test(values[""])["expect"])
    assert seen == 2  # CreateJob.ValidateOnly, UpdateJob.ValidateOnly


def test_enum_members_have_invalid_variant_and_value_cases(model, by_id):
    seen = 0
    for op in model.operation_names:
        shape = model.operation_model(op).input_shape
        for member in _members(model, op):
            enum = list(getattr(shape.members[member], "enum", []) or [])
            if not enum:
                continue
            seen += 1
            variants = _member_cases(by_id, op, member)
            values = {_params(case)[member]: case for case in variants.values()}
            for bad in ("Foo", enum[0].upper() + "X"):
                assert values[bad]["level"] == "inferred" and values[bad]["decision"].startswith("P4 ")
                assert _step_under_test(values[bad])["expect"] == {
                    "status": 400, "code": ["InvalidParameterException"], "type": "Sender"}
            assert "InvalidParameterException" in _error_codes(_step_under_test(values[""])["expect"])
            for variant in ("import", "EXPORT"):
                case = values[variant]
                assert case["decision"].startswith("P3 ")
                expect = _step_under_test(case)["expect"]
                assert _accepts_success(expect) and _error_codes(expect) == {"InvalidParameterException"}
            for value in enum:
                case = values[value]
                step = _step_under_test(case)
                assert case["level"] == "documented" and step["expect"]["status"] == 200
                assert step["request"]["manifest"] == V.manifest_for(value)
                if op == "CreateJob":
                    assert step["request"]["params"]["ValidateOnly"] == "true"
                    assert {"path": "//ie:JobType", "equals": value} in step["expect"]["xpath"]
    assert seen == 2  # CreateJob.JobType, UpdateJob.JobType
    assert by_id["CreateJob.Generated.JobType.Value.Export"]["steps"][-1]["request"]["manifest"] == \
        {"template": "s3-export"}


def test_job_id_members_have_empty_value_cases(by_id):
    for op in ("CancelJob", "GetStatus", "UpdateJob"):
        case = by_id[f"{op}.Generated.JobId.Empty"]
        assert _params(case)["JobId"] == ""
        assert _error_codes(_step_under_test(case)["expect"]) == {
            "MissingParameterException", "InvalidJobIdException", "InvalidParameterException"}
    marker = by_id["ListJobs.Generated.Marker.Empty"]
    assert _params(marker)["Marker"] == "" and _accepts_success(_step_under_test(marker)["expect"])


def test_list_member_cases(by_id):
    missing = by_id["GetShippingLabel.Generated.MissingJobIds"]
    assert not any(k.startswith("jobIds") for k in _params(missing))
    empty = _params(by_id["GetShippingLabel.Generated.jobIds.EmptyList"])
    assert [k for k in empty if k.startswith("jobIds")] == ["jobIds"] and empty["jobIds"] == ""
    gap = by_id["GetShippingLabel.Generated.jobIds.Gap"]
    assert [k for k in _params(gap) if k.startswith("jobIds")] == ["jobIds.member.1", "jobIds.member.3"]
    assert gap["decision"].startswith("P9 ") and _accepts_success(_step_under_test(gap)["expect"])
    dup = by_id["GetShippingLabel.Generated.jobIds.Duplicate"]
    params = _params(dup)
    assert params["jobIds.member.1"] == params["jobIds.member.2"] == "${job_id}"
    assert dup["decision"].startswith("P10 ") and _accepts_success(_step_under_test(dup)["expect"])
    assert _params(by_id["GetShippingLabel.Generated.jobIds.EmptyMember"])["jobIds.member.1"] == ""


def test_every_operation_has_an_invalid_apiversion_case(model, by_id):
    for op in model.operation_names:
        case = by_id[f"{op}.Generated.APIVersion.Invalid"]
        assert case["decision"].startswith("W10 ")
        assert "InvalidVersionException" in _error_codes(_step_under_test(case)["expect"])


def test_cases_per_operation(cases):
    counts = {}
    for case in cases:
        counts[case["operation"]] = counts.get(case["operation"], 0) + 1
    assert counts == {"CancelJob": 3, "CreateJob": 15, "GetShippingLabel": 6, "GetStatus": 3,
                      "ListJobs": 9, "UpdateJob": 17}


# --- baselines ------------------------------------------------------------------------------------------

def test_referenced_names_are_saved_by_an_earlier_step(cases):
    for case in cases:
        saved = set()
        for step in case["steps"]:
            names = set(TEMPLATE_REF.findall(json.dumps(step.get("request", {}))))
            unknown = {n for n in names if n not in BUILT_INS and not n.startswith(BUILT_IN_PREFIXES)} - saved
            assert not unknown, (case["id"], unknown)
            saved.update(step.get("save", {}))


def test_setup_steps_create_real_jobs_of_the_type_under_test(cases):
    for case in cases:
        for step in case["steps"][:-1]:
            assert step["operation"] == "CreateJob", case["id"]
            assert step["request"]["params"]["ValidateOnly"] == "false"
            job_type = step["request"]["params"]["JobType"]
            assert step["request"]["manifest"] == V.manifest_for(job_type)
            assert list(step["save"].values()) == ["//ie:JobId"]
            sent = _params(case).get("JobType", "Import")
            assert job_type == ("Export" if sent.lower() == "export" else "Import"), case["id"]


def test_createjob_requests_are_validate_only_unless_validateonly_is_under_test(by_id):
    for case_id, case in by_id.items():
        if case["operation"] != "CreateJob" or "ValidateOnly" in case_id:
            continue
        request = _step_under_test(case)["request"]
        assert request["params"]["ValidateOnly"] == "true", case_id
        if "Manifest" not in case_id:
            assert request["manifest"] == V.manifest_for(request["params"].get("JobType", "")), case_id


def test_manifest_templates_exist(cases):
    used = {step["request"]["manifest"]["template"] for case in cases for step in case["steps"]
            if "manifest" in step.get("request", {})}
    assert used == {"s3-import", "s3-export"}
    for name in used:
        assert (FIXTURES / "templates" / "manifests" / f"{name}.yaml").is_file(), name


# --- derived from the model, not typed by hand -------------------------------------------------------------

def _synthetic_model(edit):
    data = copy.deepcopy(botocore.loaders.Loader().load_service_model("importexport", "service-2"))
    edit(data)
    return botocore.model.ServiceModel(data, service_name="importexport")


def test_a_new_required_integer_member_gets_missing_and_wrong_type_cases():
    def edit(data):
        data["shapes"]["PageSize"] = {"type": "integer"}
        data["shapes"]["ListJobsInput"]["members"]["PageSize"] = {"shape": "PageSize"}
        data["shapes"]["ListJobsInput"]["required"] = ["PageSize"]

    ids = {case["id"] for case in model_negative_cases(_synthetic_model(edit))}
    assert {"ListJobs.Generated.MissingPageSize", "ListJobs.Generated.PageSize.NotANumber",
            "ListJobs.Generated.PageSize.Fraction"} <= ids
    assert "ListJobs.Generated.PageSize.BelowMin" not in ids  # no range known for it


def test_a_member_dropped_from_the_model_loses_its_cases():
    def edit(data):
        data["shapes"]["CreateJobInput"]["required"].remove("JobType")
        del data["shapes"]["CreateJobInput"]["members"]["JobType"]

    ids = {case["id"] for case in model_negative_cases(_synthetic_model(edit))}
    assert not any(i.startswith("CreateJob.Generated.") and "JobType" in i for i in ids)
    assert "UpdateJob.Generated.JobType.Unknown" in ids
