"""Unit tests of the mock's GetShippingLabel helpers (mockserver.backend.shipping_label, decisions P11, M12)."""
from __future__ import annotations

import re
import zlib

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from mockserver.backend.shipping_label import render_shipping_label, validate_address
from mockserver.exceptions import ApiError

ADDRESS = {
    "name": "Jane Roe", "company": "Example Corp.", "street1": "123 Any Street", "city": "Anytown",
    "stateOrProvince": "WA", "postalCode": "91011-1111", "phoneNumber": "206-555-1111", "country": "USA",
}


def page_text(pdf: bytes) -> bytes:
    """The decompressed content streams of a PDF, joined."""
    streams = re.findall(rb"stream\r?\n(.*?)\r?\nendstream", pdf, re.S)
    return b"\n".join(zlib.decompress(stream) for stream in streams)


# --- validate_address -----------------------------------------------------------------------


@pytest.mark.parametrize("address", [
    ADDRESS, {}, {"postalCode": "ABC 123"}, {"country": "Germany", "postalCode": "80331"},
    {"street2": "5 Apollo Box Rd"}, {"country": "us", "postalCode": "02134"},
])
def test_acceptable_address_parameters(address):
    validate_address(address)


@pytest.mark.parametrize("address, field", [
    ({**ADDRESS, "street1": "P.O. Box 42"}, "street1"),
    ({"street3": "po box 7"}, "street3"),
    ({"country": "United States", "postalCode": "9101"}, "postalCode"),
    ({**ADDRESS, "postalCode": "91011-111"}, "postalCode"),
    ({"city": ""}, "city"),
    ({**ADDRESS, "name": "   "}, "name"),
])
def test_unacceptable_address_parameters(address, field):
    with pytest.raises(ApiError) as raised:
        validate_address(address)
    assert (raised.value.code, raised.value.status, raised.value.error_type) == (
        "InvalidAddressException", 400, "Sender")
    assert raised.value.message.startswith(f"The address field {field} is invalid")


# --- render_shipping_label ------------------------------------------------------------------


def test_label_is_a_one_page_pdf_with_jobs_address_and_instructions():
    pdf = render_shipping_label(["ABCDE", "FGHIJ"], ADDRESS)
    assert pdf.startswith(b"%PDF-")
    assert pdf.count(b"/Type /Page\n") == 1 and b"/Count 1" in pdf
    text = page_text(pdf)
    for expected in (b"ABCDE", b"FGHIJ", b"Jane Roe", b"123 Any Street", b"Anytown, WA 91011-1111",
                     b"Shipping instructions", b"UPS"):
        assert expected in text


def test_label_draws_a_barcode_per_job():
    one = page_text(render_shipping_label(["ABCDE"], ADDRESS))
    two = page_text(render_shipping_label(["ABCDE", "XXXXX-VALIDATE-ONLY"], ADDRESS))
    # Code 39 bars are filled rectangles ("re f"); the second job adds its own.
    assert two.count(b" re f") > one.count(b" re f") > 0


def test_unicode_and_control_characters_do_not_break_the_label():
    address = {**ADDRESS, "name": "Zoë Łódź 東京 ﬁ\x07", "city": "München"}
    text = page_text(render_shipping_label(["ab-c_1"], address))
    assert "Zoë ?ódz ?? fi".encode("latin-1") in text
    assert "München".encode("latin-1") in text


def test_many_jobs_and_long_lines_stay_on_one_page():
    pdf = render_shipping_label([f"J{index:04d}" for index in range(300)],
                                {key: "x" * 5000 for key in ADDRESS})
    assert pdf.startswith(b"%PDF-") and b"/Count 1" in pdf


@settings(max_examples=60, deadline=None)
@given(st.lists(st.text(max_size=25), max_size=6),
       st.dictionaries(st.sampled_from(sorted(ADDRESS)), st.text(max_size=60), max_size=8))
def test_any_input_renders(job_ids, address):
    assert render_shipping_label(job_ids, address).startswith(b"%PDF-")
