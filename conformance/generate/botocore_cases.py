"""Negative (and boundary) cases generated from the botocore service model of Import/Export.

`model_negative_cases(service_model=None)` walks every operation's input shape of
`botocore.session.get_session().get_service_model('importexport')` (or the `ServiceModel` passed in)
and returns case dicts in the case-file format of docs/contract.md §3, so the engine's loader and
validator treat them like any YAML case. The lead collects them as the virtual file
`generated/model-negatives` (`VIRTUAL_FILE`, `model_case_file()`).

Rules, per input member (model order; `ManifestAddendum` is skipped, `APIVersion` handled last):

* required member missing -> `<Op>.Generated.Missing<Member>`, documented 400 MissingParameterException,
  unless `botocore_values.OVERRIDES` replaces it (ValidateOnly: decision P1, success for real);
* integer -> `NotANumber`/`Fraction` (P7, inferred); with a known range (`INTEGER_RANGES`) `BelowMin`/`AboveMax`
  (documented) and the boundary successes `Min`/`MinPlusOne`/`Max` (`Min` of MaxJobs is P6, inferred);
* boolean -> `NotBoolean`/`Numeric` (P2) and `Empty`;
* enum -> `Unknown`/`Suffixed` (documented), `Empty`, one letter-case variant per value (P3), `Value.<v>` successes;
* string holding a job id -> `Empty` (inferred); required plain string (Manifest) -> `Empty` (inferred);
* list of job ids -> `EmptyList`, `Gap` (P9), `Duplicate` (P10), `EmptyMember`;
* `APIVersion` -> `Invalid` (W10).

Every request is otherwise a valid baseline (`botocore_values`): CreateJob sends JobType Import,
the manifest template `s3-import` (`s3-export` for Export) and ValidateOnly=true; a request that names
`${job_id}` / `${job_id_2}` gets first steps creating real jobs (ValidateOnly=false) that save them.
Case ids: `<Op>.Generated.Missing<Member>` or `<Op>.Generated.<Member>.<Variant>`.
"""
from __future__ import annotations

import re

from conformance.cases.error_table import TABLED_TYPE, split_by_status
from conformance.generate import botocore_values as V

SERVICE_NAME = "importexport"
VIRTUAL_FILE = "generated/model-negatives"
CONCERN = ("Negative and boundary parameter cases generated from the botocore input shapes: missing "
           "required members, wrong types, enum, range and list edge cases, for every operation.")
TAGS = ("generated", "parameters")
ID_PATTERN = re.compile(r"^[A-Za-z0-9_.-]+$")

_JOB_VARS = (V.JOB_VAR, V.JOB_VAR_2)
_VAR_RE = re.compile(r"\$\{(" + "|".join(map(re.escape, _JOB_VARS)) + r")\}")
#: Output members that prove a 200 is the real thing: member name -> xpath assertion.
_SUCCESS_MARKERS: dict[str, dict[str, object]] = {
    "Success": {"equals": "true"},
    "JobId": {"exists": True},
    "IsTruncated": {"exists": True},
    "ShippingLabelURL": {"exists": True},
}


class _Manifest:
    """Baseline marker: send the manifest template that fits the request's JobType."""


MANIFEST = _Manifest()


class _Raw(tuple):
    """Literal wire pairs for a member (list edge cases): ((name, value), ...)."""


def load_service_model():
    """The installed botocore model of the service."""
    import botocore.session

    return botocore.session.get_session().get_service_model(SERVICE_NAME)


def model_negative_cases(service_model=None) -> list[dict]:
    """Every generated case, as case-file dicts (docs/contract.md §3), ordered by operation name."""
    model = service_model if service_model is not None else load_service_model()
    cases: list[dict] = []
    for op_name in sorted(model.operation_names):
        cases.extend(_Operation(model, op_name).cases())
    seen: set[str] = set()
    for case in cases:
        if not ID_PATTERN.match(case["id"]) or case["id"] in seen:
            raise ValueError(f"generated case id invalid or duplicated: {case['id']!r}")
        seen.add(case["id"])
    return cases


def model_case_file(service_model=None) -> dict:
    """The generated cases wrapped as one case file (`concern` + `cases`)."""
    return {"concern": CONCERN, "cases": model_negative_cases(service_model)}


# --- expectations -------------------------------------------------------------------------------------

def documented_error(code: str) -> dict:
    return {"status": 400, "code": code, "type": TABLED_TYPE}


def error_alternatives(codes) -> list[dict]:
    """One alternative per documented status (docs/sources.md F11: the tabled codes at their status, `Type`
    Sender) and one at any 4xx for the modeled codes with no documented status (decision W5, Sender by W6)."""
    tabled, untabled = split_by_status(codes)
    alternatives: list[dict] = [{"status": status, "code": group, "type": TABLED_TYPE}
                                for status, group in tabled.items()]
    if untabled:
        alternatives.append({"status": "4xx", "code": untabled, "type": TABLED_TYPE})
    return alternatives


def inferred_error(codes) -> dict:
    """An error the sources leave open between `codes`: each at its documented status, if any."""
    alternatives = error_alternatives(codes)
    return alternatives[0] if len(alternatives) == 1 else {"one_of": alternatives}


def _success_or(success: dict, codes) -> dict:
    return {"one_of": [success, *error_alternatives(codes)]}


# --- one operation ------------------------------------------------------------------------------------

class _Operation:
    def __init__(self, model, name: str):
        self.model = model
        self.name = name
        shape = model.operation_model(name).input_shape
        self.members = {} if shape is None else {
            m: s for m, s in shape.members.items() if m not in V.SKIPPED_MEMBERS}
        self.required = [] if shape is None else [m for m in shape.required_members if m in self.members]
        output = model.operation_model(name).output_shape
        self.output_members = set(output.members) if output is not None else set()

    # ----- member classification
    def kind(self, member: str) -> str:
        shape = self.members[member]
        if member in V.MANIFEST_MEMBERS:
            return "manifest"
        if shape.type_name == "string" and getattr(shape, "enum", None):
            return "enum"
        if shape.type_name == "list":
            return "list"
        if shape.type_name == "string" and self.holds_job_id(member):
            return "job_id"
        return shape.type_name

    def holds_job_id(self, member: str) -> bool:
        return self.members[member].name in V.JOB_ID_SHAPES or (self.name, member) in V.JOB_ID_MEMBERS

    def source(self, member: str) -> str:
        return V.MODEL_FACTS[self.name]

    # ----- baseline request
    def baseline(self) -> dict:
        values: dict = {}
        for member in self.members:
            if member in self.required:
                values[member] = self.baseline_value(member)
        for member, value in V.EXTRA_BASELINE.get(self.name, {}).items():
            if member in self.members and member not in values:
                values[member] = value
        return values

    def baseline_value(self, member: str):
        kind, shape = self.kind(member), self.members[member]
        if kind == "manifest":
            return MANIFEST
        if kind == "job_id":
            return V.template_ref(V.JOB_VAR)
        if kind == "list" and self.holds_job_id(member):
            return [V.template_ref(V.JOB_VAR)]
        if kind == "enum":
            return shape.enum[0]
        if kind == "boolean":
            return V.BOOLEAN_BASELINE.get((self.name, member), V.BOOLEAN_DEFAULT)
        if kind == "integer":
            low, _high, _src = V.INTEGER_RANGES.get((self.name, member), (0, None, None))
            return str(low + 1)
        raise ValueError(f"no baseline value for required member {self.name}.{member} ({shape.type_name})")

    def with_value(self, member: str, value) -> dict:
        values = self.baseline()
        values[member] = value
        return values

    def without(self, member: str) -> dict:
        values = self.baseline()
        values.pop(member, None)
        return values

    # ----- rendering
    def wire_name(self, member: str) -> str:
        return self.members[member].serialization.get("name", member)

    def list_item_name(self, member: str, index: int) -> str:
        shape, wire = self.members[member], self.wire_name(member)
        if shape.serialization.get("flattened"):
            return f"{wire}.{index}"
        return f"{wire}.{shape.member.serialization.get('name', 'member')}.{index}"

    def render(self, values: dict) -> dict:
        params: dict = {}
        request: dict = {"params": params}
        for member, value in values.items():
            if value is MANIFEST:
                request["manifest"] = V.manifest_for(str(values.get("JobType", "")))
            elif isinstance(value, _Raw):
                params.update(dict(value))
            elif isinstance(value, list):
                for index, item in enumerate(value, start=1):
                    params[self.list_item_name(member, index)] = item
            else:
                params[self.wire_name(member)] = value
        return request

    def setup_job_type(self, values: dict) -> str:
        """The JobType of the setup job: the enum value the request names (any case), else the first."""
        member = self.model.operation_model("CreateJob").input_shape.members.get("JobType")
        enum = list(getattr(member, "enum", None) or ("Import", "Export"))
        sent = str(values.get("JobType", "")).strip().lower()
        return next((v for v in enum if v.lower() == sent), enum[0])

    def steps(self, values: dict, expect: dict, save: dict | None = None,
              state: list | None = None) -> list[dict]:
        request = self.render(values)
        referenced = {m for v in request["params"].values() for m in _VAR_RE.findall(str(v))}
        job_type = self.setup_job_type(values)
        steps = [{
            "operation": "CreateJob",
            "request": {"params": {"JobType": job_type, "ValidateOnly": "false"},
                        "manifest": V.manifest_for(job_type)},
            "expect": {"status": 200},
            "save": {var: "//ie:JobId"},
        } for var in _JOB_VARS if var in referenced]
        step = {"operation": self.name, "request": request, "expect": expect}
        if save:
            step["save"] = save
        if state:
            step["state"] = state
        return [*steps, step]

    def success(self, values: dict, check_member: str | None = None) -> dict:
        xpath = [dict(path=f"//ie:{m}", **a) for m, a in _SUCCESS_MARKERS.items() if m in self.output_members]
        if check_member and check_member in self.output_members:
            xpath.append({"path": f"//ie:{check_member}", "equals": values[check_member]})
        expect: dict = {"status": 200}
        if xpath:
            expect["xpath"] = xpath
        return expect

    def case(self, suffix: str, *, level: str, source: str, doc: str, steps: list,
             decision: str | None = None, case_id: str | None = None) -> dict:
        case = {"id": case_id or f"{self.name}.Generated.{suffix}", "operation": self.name, "level": level,
                "source": source, "tags": list(TAGS), "doc": doc}
        if level == "inferred":
            assert decision is not None, f"{case['id']} is inferred and must name its decision"
            case["decision"] = V.DECISIONS[decision]
        case["steps"] = steps
        return case

    # ----- generation
    def cases(self) -> list[dict]:
        out: list[dict] = []
        for member in self.members:
            if member == V.API_VERSION_MEMBER:
                continue
            if member in self.required:
                out.append(self.missing_case(member))
            out.extend(self.value_cases(member))
        if V.API_VERSION_MEMBER in self.members:
            values = self.with_value(V.API_VERSION_MEMBER, V.API_VERSION_INVALID)
            out.append(self.case(
                f"{V.API_VERSION_MEMBER}.Invalid", level="inferred", decision="W10",
                source=self.source(V.API_VERSION_MEMBER),
                doc=f"{self.name} with APIVersion={V.API_VERSION_INVALID!r} (not a version string) succeeds "
                    "or is rejected as an invalid client tool version.",
                steps=self.steps(values,
                                 _success_or(self.success(values), V.API_VERSION_CODES))))
        return out

    def missing_case(self, member: str) -> dict:
        values = self.without(member)
        override = V.OVERRIDES.get((self.name, member))
        suffix = f"Missing{member[:1].upper()}{member[1:]}"
        if override is None and self.holds_job_id(member):
            return self.case(suffix, level="inferred", source=self.source(member), decision="job-id-missing",
                             doc=f"{self.name} without {member} is rejected as missing or as an invalid job id.",
                             steps=self.steps(values, inferred_error([V.MISSING, "InvalidJobIdException"])))
        if override is None:
            return self.case(suffix, level="documented", source=self.source(member),
                             doc=f"{self.name} without the required {member} fails with MissingParameterException.",
                             steps=self.steps(values, documented_error(V.MISSING)))
        save = state = None
        if "JobId" in self.output_members and self.name == "CreateJob":
            save = {V.JOB_VAR: "//ie:JobId"}
            state = [{"operation": "GetStatus", "request": {"params": {"JobId": V.template_ref(V.JOB_VAR)}},
                      "expect": {"status": 200, "xpath": [{"path": "//ie:JobId",
                                                           "equals": V.template_ref(V.JOB_VAR)}]}}]
        return self.case("", case_id=override["id"], level="documented", source=self.source(member),
                         doc=override["doc"],
                         steps=self.steps(values, self.success(values), save=save, state=state))

    def value_cases(self, member: str) -> list[dict]:
        kind = self.kind(member)
        builders = {"integer": self.integer_cases, "boolean": self.boolean_cases, "enum": self.enum_cases,
                    "list": self.list_cases, "job_id": self.empty_job_id_cases, "manifest": self.empty_manifest_cases}
        if kind not in builders or (kind == "list" and not self.holds_job_id(member)):
            return []
        return builders[kind](member)

    def empty_manifest_cases(self, member: str) -> list[dict]:
        return [self.case(
            f"{member}.Empty", level="inferred", decision="manifest-empty", source=self.source(member),
            doc=f"{self.name} with an empty {member} value is rejected as missing or invalid.",
            steps=self.steps(self.with_value(member, ""), inferred_error(V.EMPTY_MANIFEST_CODES)))]

    def integer_cases(self, member: str) -> list[dict]:
        out = [self.case(
            f"{member}.{label}", level="inferred", decision="P7", source=self.source(member),
            doc=f"{self.name} with {member}={value!r} (BC: integer) is rejected with InvalidParameterException.",
            steps=self.steps(self.with_value(member, value), inferred_error([V.INVALID])))
            for label, value in V.INTEGER_NOT_INTEGER]
        if (self.name, member) not in V.INTEGER_RANGES:
            return out
        low, high, source = V.INTEGER_RANGES[(self.name, member)]
        for label, value in (("BelowMin", low - 1), ("AboveMax", high + 1)):
            out.append(self.case(
                f"{member}.{label}", level="documented", source=source,
                doc=f"{self.name} with {member}={value} (outside {low}..{high}) fails with InvalidParameterException.",
                steps=self.steps(self.with_value(member, str(value)), documented_error(V.INVALID))))
        for label, value in (("Min", low), ("MinPlusOne", low + 1), ("Max", high)):
            values = self.with_value(member, str(value))
            row = V.BOUNDARY_DECISIONS.get((self.name, member, str(value)))
            out.append(self.case(
                f"{member}.{label}", level="inferred" if row else "documented", decision=row,
                source=source, doc=f"{self.name} with {member}={value} (inside {low}..{high}) succeeds.",
                steps=self.steps(values, self.success(values))))
        return out

    def boolean_cases(self, member: str) -> list[dict]:
        out = [self.case(
            f"{member}.{label}", level="inferred", decision="P2", source=self.source(member),
            doc=f"{self.name} with {member}={value!r} (BC: boolean) is rejected with InvalidParameterException.",
            steps=self.steps(self.with_value(member, value), inferred_error([V.INVALID])))
            for label, value in V.BOOLEAN_WRONG]
        values = self.with_value(member, "")
        out.append(self.case(
            f"{member}.Empty", level="inferred", decision="P2-empty", source=self.source(member),
            doc=f"{self.name} with an empty {member} is rejected, or read as omitted (false) and succeeds.",
            steps=self.steps(values, _success_or(self.success(values), V.EMPTY_VALUE_CODES))))
        return out

    def enum_cases(self, member: str) -> list[dict]:
        enum = list(self.members[member].enum)
        allowed = "|".join(enum)
        out = [self.case(
            f"{member}.{label}", level="inferred", decision="P4", source=self.source(member),
            doc=f"{self.name} with {member}={value!r} (not {allowed}) fails with InvalidParameterException.",
            steps=self.steps(self.with_value(member, value), inferred_error([V.INVALID])))
            for label, value in (("Unknown", V.ENUM_UNKNOWN), ("Suffixed", enum[0].upper() + "X"))]
        out.append(self.case(
            f"{member}.Empty", level="inferred", decision="P4-empty", source=self.source(member),
            doc=f"{self.name} with an empty {member} is rejected as invalid or missing.",
            steps=self.steps(self.with_value(member, ""), inferred_error(V.EMPTY_VALUE_CODES))))
        for index, value in enumerate(enum):
            variant = value.lower() if index % 2 == 0 else value.upper()
            if variant == value:
                continue
            values = self.with_value(member, variant)
            out.append(self.case(
                f"{member}.CaseVariant.{variant}", level="inferred", decision="P3", source=self.source(member),
                doc=f"{self.name} with {member}={variant!r} (model: {value!r}) is accepted or rejected as invalid.",
                steps=self.steps(values, _success_or(self.success(values), [V.INVALID]))))
        for value in enum:
            values = self.with_value(member, value)
            out.append(self.case(
                f"{member}.Value.{value}", level="documented", source=self.source(member),
                doc=f"{self.name} with the enum value {member}={value} succeeds.",
                steps=self.steps(values, self.success(values, check_member=member))))
        return out

    def empty_job_id_cases(self, member: str) -> list[dict]:
        values = self.with_value(member, "")
        if (self.name, member) in V.OPTIONAL_JOB_ID_EMPTY_MAY_SUCCEED:
            expect, decision = _success_or(self.success(values), V.EMPTY_JOB_ID_CODES), "marker-empty"
        else:
            expect, decision = inferred_error(V.EMPTY_JOB_ID_CODES), "job-id-empty"
        return [self.case(
            f"{member}.Empty", level="inferred", decision=decision,
            source=V.JOB_ID_MEMBERS.get((self.name, member), self.source(member)),
            doc=f"{self.name} with an empty {member} (a job id) is rejected as missing or invalid.",
            steps=self.steps(values, expect))]

    def list_cases(self, member: str) -> list[dict]:
        wire = self.wire_name(member)
        one, two, three = (self.list_item_name(member, i) for i in (1, 2, 3))
        job, job2 = V.template_ref(V.JOB_VAR), V.template_ref(V.JOB_VAR_2)
        spec = [
            ("EmptyList", _Raw(((wire, ""),)), "list-empty", inferred_error(V.EMPTY_LIST_CODES),
             f"{self.name} with {wire}= and no members is rejected as missing or invalid."),
            ("Gap", _Raw(((one, job), (three, job2))), "P9", None,
             f"{self.name} with {one} and {three} (no member.2) is rejected or uses the members present."),
            ("Duplicate", _Raw(((one, job), (two, job))), "P10", None,
             f"{self.name} with the same job id twice is accepted or rejected as invalid."),
            ("EmptyMember", _Raw(((one, ""),)), "job-id-empty", inferred_error(V.EMPTY_JOB_ID_CODES),
             f"{self.name} with an empty {one} is rejected as missing or invalid."),
        ]
        out = []
        for label, raw, decision, expect, doc in spec:
            values = self.with_value(member, raw)
            if expect is None:
                codes = V.LIST_GAP_CODES if decision == "P9" else V.LIST_DUPLICATE_CODES
                expect = _success_or(self.success(values), codes)
            out.append(self.case(f"{member}.{label}", level="inferred", decision=decision,
                                 source=self.source(member), doc=doc, steps=self.steps(values, expect)))
        return out
