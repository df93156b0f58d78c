"""The success document the mock writes directly is, byte for byte, what lxml serializes for the same tree.

The reference below is how the mock built every success document before it wrote them directly: an
lxml tree in the 2010-06-01 namespace, `member` children for lists, `true`/`false`, unsafe
characters replaced by U+FFFD, serialized with `pretty_print`. Hypothesis draws result members of
every kind (absent, text of any characters, integers, booleans, member lists, empty ones included).
"""
from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st
from lxml import etree

from mockserver.protocol.serialize import NAMESPACE, Fields, success_response, xml_safe

NAMES = st.sampled_from(["JobId", "JobType", "Signature", "CurrentManifest", "ErrorCount", "IsCanceled", "A"])
ANY_CHARACTER = st.characters(exclude_categories=())
ESCAPED_TEXT = st.text(alphabet="<>&\r\n\t \"'x]")
SCALARS = st.one_of(st.none(), st.booleans(), st.integers(), st.text(ANY_CHARACTER), ESCAPED_TEXT)


def _fields(values):
    return st.lists(st.tuples(NAMES, values), max_size=6)


FIELDS = _fields(st.one_of(SCALARS, st.lists(_fields(SCALARS), max_size=3)))


def lxml_success_document(operation: str, fields: Fields, request_id: str) -> bytes:
    root = etree.Element(f"{operation}Response", nsmap={None: NAMESPACE})
    _append(etree.SubElement(root, f"{operation}Result"), fields)
    metadata = etree.SubElement(root, "ResponseMetadata")
    etree.SubElement(metadata, "RequestId").text = request_id
    return etree.tostring(root, encoding="utf-8", pretty_print=True)


def _append(parent, fields: Fields) -> None:
    for name, value in fields:
        if value is None:
            continue
        element = etree.SubElement(parent, name)
        if isinstance(value, list):
            for member_fields in value:
                _append(etree.SubElement(element, "member"), member_fields)
        elif isinstance(value, bool):
            element.text = "true" if value else "false"
        else:
            element.text = xml_safe(str(value))


@settings(max_examples=400, deadline=None)
@given(operation=st.sampled_from(["GetStatus", "ListJobs", "CreateJob"]), fields=FIELDS, request_id=st.text())
def test_success_document_is_lxmls_serialization(operation, fields, request_id):
    response = success_response(operation, fields, xml_safe(request_id))
    assert response.get_data() == lxml_success_document(operation, fields, xml_safe(request_id))


def test_a_get_status_document_keeps_its_layout():
    fields = [("JobId", "ABCDE"), ("Carrier", None), ("ErrorCount", 0), ("CurrentManifest", "a: <b> & c\r\n"),
              ("Jobs", []), ("IsTruncated", False)]
    assert success_response("GetStatus", fields, "r-1").get_data().decode() == (
        f'<GetStatusResponse xmlns="{NAMESPACE}">\n'
        "  <GetStatusResult>\n"
        "    <JobId>ABCDE</JobId>\n"
        "    <ErrorCount>0</ErrorCount>\n"
        "    <CurrentManifest>a: &lt;b&gt; &amp; c&#13;\n</CurrentManifest>\n"
        "    <Jobs/>\n"
        "    <IsTruncated>false</IsTruncated>\n"
        "  </GetStatusResult>\n"
        "  <ResponseMetadata>\n"
        "    <RequestId>r-1</RequestId>\n"
        "  </ResponseMetadata>\n"
        "</GetStatusResponse>\n"
    )
