"""Value tables for the model-derived negative cases (`conformance/generate/botocore_cases.py`).

The generator walks the botocore service model; everything the model cannot say lives here, as small
explicit tables, each entry naming its source or its row in `docs/decisions.md`:

* how to build a valid baseline request (job ids, manifests, booleans, the GetShippingLabel address);
* which string members hold job ids (`JobId`, `Marker`, the `jobIds` list);
* integer ranges the model does not carry (MaxJobs 0..1000, DG-LJ);
* the wrong values tried per member type, with their level and expectation;
* `OVERRIDES`: required members whose "missing" case is replaced by the live behaviour (P1);
* the decision texts quoted in the cases' `decision:` field.

Values are strings exactly as sent on the wire (`"true"`, `"0"`). `${job_id}` / `${job_id_2}` are
template names the generator fills by prepending a CreateJob step that saves them.
"""
from __future__ import annotations

# --- manifests (templates under fixtures/, filled by the engine) ------------------------------------

MANIFEST_IMPORT = {"template": "s3-import"}
MANIFEST_EXPORT = {"template": "s3-export"}

#: Members sent through the case step's `manifest:` key instead of `params:`.
MANIFEST_MEMBERS = frozenset({"Manifest"})

#: Members the generator leaves alone: internal, no observable contract.
SKIPPED_MEMBERS = frozenset({"ManifestAddendum"})  # BC: "For internal use only."

#: The member carrying the client tool version on every input shape (decision W10).
API_VERSION_MEMBER = "APIVersion"
API_VERSION_INVALID = "not-a-version"


def manifest_for(job_type: str) -> dict:
    """The manifest template (a `{template: ...}` spec) that fits a JobType value; unknown values get the import one."""
    return MANIFEST_EXPORT if job_type.strip().lower() == "export" else MANIFEST_IMPORT


# --- baseline values ---------------------------------------------------------------------------------

JOB_VAR = "job_id"
JOB_VAR_2 = "job_id_2"


def template_ref(name: str) -> str:
    """`${name}`: a reference to a saved value in case-file templating."""
    return "${" + name + "}"

#: Booleans in a baseline request, per (operation, member); default "false".
#: CreateJob uses ValidateOnly=true so that no job is stored (decision L8); UpdateJob uses false,
#: the documented path (UpdateJob with ValidateOnly=true is unknown, L9).
BOOLEAN_BASELINE = {("CreateJob", "ValidateOnly"): "true"}
BOOLEAN_DEFAULT = "false"

#: Optional members added to a baseline so that the request has a single fault.
#: GetShippingLabel: the address of the AWS CLI example (docs/sources.md F62);
#: the Web Service Tool demanded these fields (docs/sources.md F7), so they are sent rather than relying on P11.
EXTRA_BASELINE = {
    "GetShippingLabel": {
        "name": "Jane Roe",
        "company": "Example Corp.",
        "phoneNumber": "206-555-1111",
        "country": "USA",
        "stateOrProvince": "WA",
        "city": "Anytown",
        "postalCode": "91011-1111",
        "street1": "123 Any Street",
    },
}

# --- sources ------------------------------------------------------------------------------------------

#: The docs/sources.md fact that states each operation's input members in the service model.
MODEL_FACTS = {"CreateJob": "F40", "UpdateJob": "F41", "CancelJob": "F42", "GetStatus": "F43", "ListJobs": "F44",
               "GetShippingLabel": "F45"}

# --- members that hold job ids -----------------------------------------------------------------------

#: Shape names whose strings are job ids (BC: shape `JobId`; `JobIdList` of GetShippingLabel).
JOB_ID_SHAPES = frozenset({"JobId", "JobIdList"})
#: Members typed as plain strings that still hold a job id: (operation, member) -> source.
JOB_ID_MEMBERS = {("ListJobs", "Marker"): "F5"}  # "the JobId to start after"
#: Job-id members that are optional: an empty value may also read as "absent" and succeed.
OPTIONAL_JOB_ID_EMPTY_MAY_SUCCEED = frozenset({("ListJobs", "Marker")})

# --- integer ranges (the model has no min/max) -------------------------------------------------------

#: (operation, member) -> (min, max, source). DG-LJ: "Must be between 0 and 1000".
INTEGER_RANGES = {("ListJobs", "MaxJobs"): (0, 1000, "F5")}
#: Boundary values whose success is a decision, not a documented fact: (op, member, value) -> row.
BOUNDARY_DECISIONS = {("ListJobs", "MaxJobs", "0"): "P6"}

# --- wrong values per type: (label, value) ------------------------------------------------------------

INTEGER_NOT_INTEGER = [("NotANumber", "abc"), ("Fraction", "1.5")]
BOOLEAN_WRONG = [("NotBoolean", "maybe"), ("Numeric", "2")]
ENUM_UNKNOWN = "Foo"

# --- codes ---------------------------------------------------------------------------------------------

MISSING = "MissingParameterException"
INVALID = "InvalidParameterException"
INVALID_JOB_ID = "InvalidJobIdException"
MALFORMED_MANIFEST = "MalformedManifestException"
INVALID_VERSION = "InvalidVersionException"

EMPTY_JOB_ID_CODES = [MISSING, INVALID_JOB_ID, INVALID]
EMPTY_VALUE_CODES = [INVALID, MISSING]
EMPTY_MANIFEST_CODES = [MISSING, INVALID, MALFORMED_MANIFEST]
EMPTY_LIST_CODES = [MISSING, INVALID]
LIST_GAP_CODES = [INVALID, MISSING]
LIST_DUPLICATE_CODES = [INVALID]
API_VERSION_CODES = [INVALID_VERSION, INVALID]

# --- decisions quoted in `decision:` (docs/decisions.md rows, or "no row" with the reason) ---------------

DECISIONS = {
    "P2": "P2 (docs/decisions.md): a ValidateOnly value that is not a boolean gives 400 InvalidParameterException "
          "(the model types it boolean; the error table gives the code 400, F11).",
    "P2-empty": "P2 (docs/decisions.md) for a non-boolean; an empty value may also read as a missing parameter "
                "(live: an empty Manifest gave MissingParameterException, docs/sources.md F30) "
                "or as omitted, i.e. false "
                "(P1), so success is accepted too.",
    "P3": "P3 (docs/decisions.md): JobType in another letter case is accepted (normalised) or rejected with 400 "
          "InvalidParameterException (F11); the CLI's own example sends `import`, the model enum is `Import`/`Export`.",
    "P4": "P4 (docs/decisions.md): a JobType outside Import|Export gives InvalidParameterException (live, with a "
          "valid manifest); its HTTP status is the error table's 400 (docs/sources.md F11).",
    "P4-empty": "No decisions.md row for an empty enum value; P4 rejects an unknown JobType with "
                "InvalidParameterException, and an empty value may also read as missing "
                "(docs/sources.md F30), so either "
                "code is accepted.",
    "P6": "P6 (docs/decisions.md): \"between 0 and 1000\" includes 0; MaxJobs=0 succeeds, with no jobs or with "
          "the default page.",
    "P7": "P7 (docs/decisions.md): MaxJobs that is not an integer gives 400 InvalidParameterException (F11); "
          "DG-LJ types MaxJobs as String, BC as integer, so the rejection is decided, not documented.",
    "P9": "P9 (docs/decisions.md): Query list members are numbered 1..N; a gap is rejected with 400 "
          "InvalidParameterException/MissingParameterException (F11), or the members present are used (success).",
    "P10": "P10 (docs/decisions.md): a job id listed twice is accepted (one label covers several jobs, "
           "docs/sources.md F7) or rejected with 400 InvalidParameterException (F11).",
    "list-empty": "No decisions.md row for an empty list: `jobIds=` with no members carries no job id, so the "
                  "required member is absent (MissingParameterException) or malformed (InvalidParameterException); "
                  "closest row P9 (members are 1..N).",
    "job-id-empty": "No decisions.md row for an empty job id: it may read as missing (MissingParameterException, "
                    "as the live empty Manifest did, docs/sources.md F30), as an unknown job (InvalidJobIdException, "
                    "DG-ERR: \"JOBID missing, not found\") or as invalid (InvalidParameterException).",
    "job-id-missing": "DG-ERR gives InvalidJobIdException for a JOBID that is missing, and "
                      "MissingParameterException for any missing required parameter; both codes are accepted.",
    "marker-empty": "P8 (docs/decisions.md) rejects a Marker that is not one of the caller's jobs with 400 "
                    "InvalidParameterException/InvalidJobIdException; an empty Marker may also read as missing, "
                    "or as absent (Marker is optional) and succeed.",
    "manifest-empty": "No decisions.md row for an empty Manifest: live, CreateJob with an empty Manifest gave "
                      "MissingParameterException \"Manifest must be specified\" (docs/sources.md F30); "
                      "InvalidParameterException and MalformedManifestException (M1) are also accepted.",
    "W10": "W10 (docs/decisions.md): no source says which APIVersion (client tool version) values are invalid; "
           "one that is not a version string succeeds, or gives InvalidVersionException (any 4xx, "
           "W5) or 400 InvalidParameterException (F11).",
}

# --- overrides of the "missing required member" rule -----------------------------------------------------

#: (operation, member) -> what to generate instead of `<Op>.Generated.Missing<Member>`.
#: The call must succeed for real (read back with GetStatus for CreateJob): live, an omitted ValidateOnly
#: was treated as false (docs/sources.md F36), so these cases are documented.
OVERRIDES = {
    ("CreateJob", "ValidateOnly"): {
        "id": "CreateJob.Generated.OmittedValidateOnlyCreatesJob",
        "doc": "CreateJob without ValidateOnly (BC-required, DG-optional) succeeds and stores a real job.",
    },
    ("UpdateJob", "ValidateOnly"): {
        "id": "UpdateJob.Generated.OmittedValidateOnlySucceeds",
        "doc": "UpdateJob without ValidateOnly (BC-required, absent from API-UJ) succeeds, treated as false.",
    },
}
