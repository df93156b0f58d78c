"""Keeps xsd/importexport-2010-06-01.xsd in step with the botocore service model.

Every output member of every operation (recursing into structures and lists) must be in the schema
under the right parent with a compatible type; the schema must name no element the model lacks,
except the documented legacy AwsShippingAddress (decision W3); and the required/optional choices of
docs/xsd.md are pinned here so that the schema and the doc cannot drift apart.
"""

import botocore.session
import pytest
from xmlschema.validators import XsdAnyAttribute, XsdAnyElement

XS = "{http://www.w3.org/2001/XMLSchema}"

# botocore scalar type -> the XSD built-in types that are compatible with it. Booleans, integers
# and timestamps are strings with the exact patterns below: the SDKs read the raw text (docs/clients.md).
COMPATIBLE_BUILTINS = {
    "boolean": {f"{XS}string"},
    "integer": {f"{XS}string"},
    "timestamp": {f"{XS}string"},
    "string": {f"{XS}string"},
}
EXACT_PATTERNS = {
    "integer": ["\\+?0*[0-9]{1,18}"],
    "boolean": ["true|false"],
    "timestamp": ["[0-9]{4}-(0[1-9]|1[0-2])-(0[1-9]|[12][0-9]|3[01])T([01][0-9]|2[0-3]):[0-5][0-9]:[0-5][0-9]"
                  "(\\.[0-9]*[1-9])?Z"],
}

# Elements the schema allows that the current model lacks: (parent type name, element name).
LEGACY_ELEMENTS = {("CreateJobOutput", "AwsShippingAddress"), ("GetStatusOutput", "AwsShippingAddress")}

# The required elements of each result / structure (docs/xsd.md, "Required and optional").
REQUIRED_ELEMENTS = {
    "CreateJobOutput": {"JobId"},
    "UpdateJobOutput": {"Success"},
    "CancelJobOutput": {"Success"},
    "GetStatusOutput": {
        "JobId", "JobType", "LocationCode", "LocationMessage", "ProgressCode", "ProgressMessage", "CreationDate",
    },
    "ListJobsOutput": {"IsTruncated"},
    "GetShippingLabelOutput": {"ShippingLabelURL"},
    "Job": {"JobId", "CreationDate", "IsCanceled", "JobType"},
    "Artifact": set(),
    "ErrorDetail": {"Type", "Code", "Message"},
}

DOCUMENTED_PROGRESS_CODES = {
    "Canceled", "Complete", "DeviceError", "Expired", "InProgress", "InvalidSignature", "MissingDevice",
    "MissingSignature", "Pending", "SuccessWithErrors", "UnsupportedDeviceType", "UnsupportedFileFormat",
    "UnsupportedPowerSupply",
}

SERVICE_MODEL = botocore.session.get_session().get_service_model("importexport")
OPERATIONS = sorted(SERVICE_MODEL.operation_names)


def child_elements(xsd_element) -> dict:
    """The child element declarations of a complex-typed element, by local name."""
    assert xsd_element.type.is_complex(), f"{xsd_element.local_name} must have element children"
    return {child.local_name: child for child in xsd_element.type.content.iter_elements()}


def type_ancestry(simple_type) -> list[str]:
    """Qualified names of a simple type and of every type it derives from."""
    names = []
    current = simple_type
    while current is not None:
        if current.name:
            names.append(current.name)
        current = getattr(current, "base_type", None)
    return names


def type_mismatches(shape, xsd_element, where: str) -> list[str]:
    """Every way in which the declaration of xsd_element fails to match the model shape."""
    if shape.type_name == "structure":
        return structure_mismatches(shape, xsd_element, where)
    if shape.type_name == "list":
        if not xsd_element.type.is_complex():
            return [f"{where}: a list must be a complex type"]
        children = child_elements(xsd_element)
        member_name = shape.member.serialization.get("name", "member")
        if list(children) != [member_name]:
            return [f"{where}: list children {sorted(children)} != ['{member_name}']"]
        member = children[member_name]
        if member.min_occurs != 0 or member.max_occurs is not None:
            return [f"{where}/{member_name}: must be minOccurs=0 maxOccurs=unbounded"]
        return type_mismatches(shape.member, member, f"{where}/{member_name}")
    if not xsd_element.type.is_simple():
        return [f"{where}: a {shape.type_name} must be a simple type"]
    ancestry = type_ancestry(xsd_element.type)
    expected = COMPATIBLE_BUILTINS[shape.type_name]
    problems = []
    if not expected & set(ancestry):
        problems.append(f"{where}: model {shape.type_name}, XSD type derives from {ancestry}")
    if shape.type_name in EXACT_PATTERNS:
        patterns = [pattern for facet in [xsd_element.type.patterns] if facet is not None for pattern in facet.regexps]
        if patterns != EXACT_PATTERNS[shape.type_name]:
            wanted = EXACT_PATTERNS[shape.type_name]
            problems.append(f"{where}: model {shape.type_name}, XSD patterns {patterns} != {wanted}")
    model_enum = getattr(shape, "enum", None)
    if model_enum and set(xsd_element.type.enumeration or ()) != set(model_enum):
        problems.append(f"{where}: enumeration {xsd_element.type.enumeration} != model {model_enum}")
    return problems


def structure_mismatches(shape, xsd_element, where: str) -> list[str]:
    """Compare a model structure with an element's children, in both directions."""
    if not xsd_element.type.is_complex():
        return [f"{where}: a structure must be a complex type"]
    children = child_elements(xsd_element)
    problems = []
    for member_name, member_shape in shape.members.items():
        wire_name = member_shape.serialization.get("name", member_name)
        if wire_name not in children:
            problems.append(f"{where}: model member {wire_name} missing from the XSD")
            continue
        problems += type_mismatches(member_shape, children[wire_name], f"{where}/{wire_name}")
    model_names = {m.serialization.get("name", n) for n, m in shape.members.items()}
    type_name = xsd_element.type.local_name
    for extra in sorted(set(children) - model_names):
        if (type_name, extra) not in LEGACY_ELEMENTS:
            problems.append(f"{where}: XSD element {extra} is not in the model")
    return problems


def result_element(schema, operation_name: str):
    """The <Op>Result declaration inside the <Op>Response envelope."""
    operation = SERVICE_MODEL.operation_model(operation_name)
    wrapper = operation.output_shape.serialization["resultWrapper"]
    envelope = schema.elements[f"{operation_name}Response"]
    children = child_elements(envelope)
    assert list(children) == [wrapper, "ResponseMetadata"], f"{operation_name}Response children: {list(children)}"
    return children[wrapper]


def test_schema_namespace_is_the_model_namespace(schema):
    assert schema.target_namespace == SERVICE_MODEL.metadata["xmlNamespace"]


def test_global_elements_are_the_six_responses_and_error_response(schema):
    expected = {f"{name}Response" for name in OPERATIONS} | {"ErrorResponse"}
    assert set(schema.elements) == expected


@pytest.mark.parametrize("operation_name", OPERATIONS)
def test_result_matches_model_output(schema, operation_name):
    operation = SERVICE_MODEL.operation_model(operation_name)
    where = f"{operation_name}Response/{operation.output_shape.serialization['resultWrapper']}"
    problems = structure_mismatches(operation.output_shape, result_element(schema, operation_name), where)
    assert problems == []


@pytest.mark.parametrize("operation_name", OPERATIONS)
def test_envelope_carries_request_id_in_response_metadata(schema, operation_name):
    metadata = child_elements(schema.elements[f"{operation_name}Response"])["ResponseMetadata"]
    request_id = child_elements(metadata)
    assert list(request_id) == ["RequestId"]
    assert request_id["RequestId"].min_occurs == 1


def test_error_response_shape(schema):
    envelope = child_elements(schema.elements["ErrorResponse"])
    assert list(envelope) == ["Error", "RequestId"]
    error = child_elements(envelope["Error"])
    assert set(error) == {"Type", "Code", "Message"}
    assert set(error["Type"].type.enumeration) == {"Sender", "Receiver"}


def test_every_modeled_exception_message_has_a_string_element(schema):
    """Each exception shape's only member, message, travels as Error/Message (a string)."""
    message = child_elements(child_elements(schema.elements["ErrorResponse"])["Error"])["Message"]
    for error_shape in SERVICE_MODEL.error_shapes:
        assert list(error_shape.members) == ["message"], error_shape.name
        assert type_mismatches(error_shape.members["message"], message, f"Error/Message ({error_shape.name})") == []


def test_required_elements_are_the_documented_ones(schema):
    """Pins the required/optional decisions of docs/xsd.md to the schema."""
    actual = {}
    for type_name in REQUIRED_ELEMENTS:
        xsd_type = schema.types[type_name]
        actual[type_name] = {e.local_name for e in xsd_type.content.iter_elements() if e.min_occurs >= 1}
    assert actual == REQUIRED_ELEMENTS


def test_results_allow_any_member_order(schema):
    """Decision W2: result members, jobs, artifacts and errors use xs:all."""
    for type_name in REQUIRED_ELEMENTS:
        assert schema.types[type_name].content.model == "all", type_name


def _known_values(xsd_type) -> set[str]:
    """The values an open code type lists as documentation ("Known values (...): A B C.")."""
    text = " ".join(doc.text or "" for doc in xsd_type.annotation.documentation)
    listed = text.split("Known values", 1)[1].split(":", 1)[1].split(".", 1)[0]
    return set(listed.split())


def test_progress_code_is_open_and_lists_the_documented_values(schema):
    progress = schema.types["ProgressCode"]
    assert not progress.enumeration and progress.min_length == 1
    assert _known_values(progress) == DOCUMENTED_PROGRESS_CODES


def test_location_code_is_open_and_lists_the_documented_values(schema):
    location = schema.types["LocationCode"]
    assert not location.enumeration and location.min_length == 1
    assert _known_values(location) == {"AtAWS", "NotReceived", "Returned"}


def test_schema_has_no_wildcards(schema):
    wildcards = [c for c in schema.iter_components() if isinstance(c, (XsdAnyElement, XsdAnyAttribute))]
    assert wildcards == []


def test_legacy_elements_are_optional_and_annotated(schema):
    for type_name, element_name in LEGACY_ELEMENTS:
        declaration = {e.local_name: e for e in schema.types[type_name].content.iter_elements()}[element_name]
        assert declaration.min_occurs == 0
        assert declaration.annotation is not None
        assert "W3" in str(declaration.annotation)
