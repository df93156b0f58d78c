"""GetShippingLabel: its address check and the PDF label (reference §7, addendum A9, decisions P11, M12).

`validate_address` checks the optional address parameters with the same rules as a manifest's
`returnAddress`. `render_shipping_label` draws the one-page label with fpdf2: the job ids, the
return address, shipping instructions and a Code 39 barcode per job id. The core Helvetica font
only encodes Latin-1, so other characters are reduced to their Latin-1 base letter where Unicode
decomposes them (ź → z) and replaced with "?" otherwise; the label never fails on an address.

Line breaking is fpdf2's (`multi_cell`), computed once per text, font and width and then cached:
the fixed instructions and repeated addresses are not broken again on every label. `warm_up()`
imports fpdf2 and draws one label, so that the first label a client asks for is not the slow one.
"""
from __future__ import annotations

import functools
import math
import threading
import unicodedata
from collections.abc import Mapping

from fpdf import FPDF
from fpdf.enums import MethodReturnValue, XPos, YPos

from mockserver.manifest.address import check_address

CODE39_CHARACTERS = frozenset("0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ-. $/+%")
SHIPPING_INSTRUCTIONS = (
    "1. Print this label. Attach the barcode of each job to the storage device it belongs to; "
    "the barcode identifies and authenticates the device.",
    "2. Pack the device with its power supply and cables, each device in its own padded box.",
    "3. Ship the package with UPS using this prepaid label. Packages shipped without it are "
    "returned at the sender's cost.",
    "4. Send one device per job. Track the job with GetStatus.",
)
_MARGIN_MM = 15
_BARCODE_COLUMNS = 2
_BARCODE_ROW_MAX_MM = 22
_BARCODE_BOTTOM_MM = 265
_MM_PER_POINT = 25.4 / 72
# Text limits that keep everything above the barcodes within a few lines, so the label stays one page.
_JOB_LIST_MAX_CHARS = 240
_ADDRESS_LINE_MAX_CHARS = 90
_WRAPPED_TEXTS_KEPT = 512
_scratch = threading.local()  # per thread: an FPDF page to measure text on (FPDF is not thread-safe)


def validate_address(address: Mapping[str, str]) -> None:
    """Raise `InvalidAddressException` for GetShippingLabel address parameters that are unacceptable.

    Only the keys present are checked: no P.O. box in a street line, a US postal code of the form
    NNNNN or NNNNN-NNNN, and no empty value.
    """
    check_address(address, field_prefix="", allow_empty=False)


def _latin1(text: str, limit: int) -> str:
    """`text` reduced to characters the core fonts can encode, cut to `limit` characters."""
    characters = []
    for character in text:
        if unicodedata.category(character).startswith("C"):
            characters.append(" ")
        elif ord(character) < 256:
            characters.append(character)
        else:
            decomposed = unicodedata.normalize("NFKD", character)
            base = "".join(c for c in decomposed if ord(c) < 256 and not unicodedata.combining(c))
            characters.append(base or "?")
    reduced = "".join(characters)
    return reduced if len(reduced) <= limit else reduced[: limit - 3] + "..."


def _address_lines(address: Mapping[str, str]) -> list:
    def part(key: str) -> str:
        return address.get(key, "").strip()

    locality = " ".join(
        piece for piece in (part("city") + ("," if part("stateOrProvince") else ""),
                            part("stateOrProvince"), part("postalCode")) if piece
    )
    lines = [part("name"), part("company"), part("street1"), part("street2"), part("street3"),
             locality, part("country")]
    if part("phoneNumber"):
        lines.append(f"Phone: {part('phoneNumber')}")
    return [line for line in lines if line]


@functools.lru_cache(maxsize=_WRAPPED_TEXTS_KEPT)
def _wrapped_lines(text: str, style: str, size: float, width: float, line_height: float) -> tuple[str, ...]:
    """`text` broken into lines as `multi_cell(width, line_height, text, align="L")` breaks it."""
    pdf = getattr(_scratch, "pdf", None)
    if pdf is None:
        pdf = _scratch.pdf = _new_page()
    pdf.set_font("Helvetica", style=style, size=size)
    lines: list[str] = pdf.multi_cell(width, line_height, text, align="L", dry_run=True,
                                      output=MethodReturnValue.LINES)  # type: ignore[assignment]  # LINES: list
    return tuple(lines)


def _paragraph(pdf: FPDF, text: str, style: str, size: float, line_height: float) -> None:
    """Draw `text` in Helvetica `style`/`size`, broken into lines over the page width (cached breaks)."""
    width = pdf.w - 2 * _MARGIN_MM
    pdf.set_font("Helvetica", style=style, size=size)
    for line in _wrapped_lines(text, style, size, width, line_height):
        pdf.cell(width, line_height, line, new_x=XPos.LMARGIN, new_y=YPos.NEXT)


def _barcode_text(job_id: str) -> str:
    """The Code 39 payload for `job_id`: upper case, start/stop `*`, unencodable characters as `-`."""
    body = "".join(c if c in CODE39_CHARACTERS else "-" for c in job_id.upper())
    return f"*{body}*"


def _draw_barcodes(pdf: FPDF, job_ids: list) -> None:
    """One labelled barcode per job id in a grid that always fits the rest of the page."""
    top = pdf.get_y() + 2
    column_width = (pdf.w - 2 * _MARGIN_MM) / _BARCODE_COLUMNS
    rows = max(1, math.ceil(len(job_ids) / _BARCODE_COLUMNS))
    row_height = min(_BARCODE_ROW_MAX_MM, (_BARCODE_BOTTOM_MM - top) / rows)
    pdf.set_fill_color(0, 0, 0)
    for index, job_id in enumerate(job_ids):
        x = _MARGIN_MM + (index % _BARCODE_COLUMNS) * column_width
        y = top + (index // _BARCODE_COLUMNS) * row_height
        code = _barcode_text(job_id)
        # A Code 39 character is 3 wide + 6 narrow bars (narrow = wide / 3) plus a narrow gap.
        wide_bar = min(1.0, (column_width - 5) / (len(code) * 16 / 3))
        bar_height = row_height * 0.6
        font_size_pt = min(9.0, row_height * 0.3 / _MM_PER_POINT)
        pdf.code39(code, x=x, y=y, w=wide_bar, h=bar_height)
        pdf.set_font("Helvetica", size=font_size_pt)
        pdf.text(x, y + bar_height + font_size_pt * _MM_PER_POINT, _latin1(job_id, 40))


def _new_page() -> FPDF:
    pdf = FPDF(orientation="portrait", unit="mm", format="letter")
    pdf.set_auto_page_break(False)
    pdf.set_margins(_MARGIN_MM, _MARGIN_MM, _MARGIN_MM)
    pdf.add_page()
    return pdf


def render_shipping_label(job_ids: list[str], address: dict[str, str]) -> bytes:
    """A one-page PDF shipping label for `job_ids`, returned to `address`."""
    pdf = _new_page()
    pdf.set_title("AWS Import/Export shipping label")
    pdf.set_creator("importexport-conformance mock")
    width = pdf.w - 2 * _MARGIN_MM

    pdf.set_font("Helvetica", style="B", size=16)
    pdf.cell(width, 9, "AWS Import/Export - prepaid UPS shipping label",
             new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    _paragraph(pdf, _latin1("Job IDs: " + ", ".join(job_ids), _JOB_LIST_MAX_CHARS), "", 11, 6)
    pdf.ln(3)

    pdf.set_font("Helvetica", style="B", size=12)
    pdf.cell(width, 7, "Return address", new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    for line in _address_lines(address):
        _paragraph(pdf, _latin1(line, _ADDRESS_LINE_MAX_CHARS), "", 11, 5.5)
    pdf.ln(3)

    pdf.set_font("Helvetica", style="B", size=12)
    pdf.cell(width, 7, "Shipping instructions", new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    for instruction in SHIPPING_INSTRUCTIONS:
        _paragraph(pdf, instruction, "", 10, 5)
    pdf.ln(3)

    pdf.set_font("Helvetica", style="B", size=12)
    pdf.cell(width, 7, "Device barcodes", new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    _draw_barcodes(pdf, job_ids)
    return bytes(pdf.output())


def warm_up() -> None:
    """Draw one throwaway label: fonts, line breaks of the instructions and the PDF writer get ready."""
    render_shipping_label(["WARMUP"], {"name": "Warm Up", "street1": "1 Any Street", "city": "Anytown",
                                       "stateOrProvince": "WA", "postalCode": "91011", "country": "USA"})
