"""Hypothesis strategies for the property cases: manifests written in many valid ways, and parameter values.

A manifest is drawn as a `Manifest`: one of the four kinds (S3 import, S3 export, EBS import,
Glacier import, decision M4) with a random subset of its optional fields, random key order, one
nesting indentation of 2-4 spaces (docs/sources.md F35), an optional `---` or comment line on top, and every
free-text value written plain (only when it reads back as the same string under YAML 1.1 and 1.2),
single- or double-quoted. Values follow docs/sources.md F20 and decisions M5-M7; the return address is in the
United States so no customs block is needed (M11). Buckets and the access key stay `${...}`
references for the case templating, and every `$` of drawn text is escaped as `$$`.

Parameter strategies draw ListJobs `MaxJobs` integers and JobId texts that are no job id at all.
"""
from __future__ import annotations

import re
import string
import unicodedata
from dataclasses import dataclass, replace

import yaml
from hypothesis import strategies as st

KINDS = ("s3-import", "s3-export", "ebs-import", "glacier-import")
ADDRESS_REQUIRED = ("name", "street1", "city", "stateOrProvince", "postalCode", "phoneNumber", "country")
ENUM_MEMBERS = {  # decision M7; eraseDevice also covers the YAML 1.1 boolean words
    "acl": ("private", "public-read", "public-read-write", "authenticated-read"),
    "serviceLevel": ("standard", "expeditedShipping"),
    "eraseDevice": ("yes", "no", "true", "false", "y", "n", "on", "off"),
    "fileSystem": ("NTFS", "EXT2", "EXT3", "EXT4", "FAT32"),
}
ENUM_KINDS = {"acl": ("s3-import",), "serviceLevel": KINDS,
              "eraseDevice": ("s3-import", "ebs-import", "glacier-import"), "fileSystem": ("s3-export",)}
YAML_SPECIAL_WORDS = frozenset({"y", "n", "yes", "no", "on", "off", "true", "false", "null", "~"})
PLAIN_TEXT = re.compile(r"^[^\W\d_][\w .,'/&()+@;-]*(?<! )$")
COMMON_REQUIRED = ("manifestVersion", "accessKeyId", "deviceId", "returnAddress")
DOCUMENTED_REQUIRED = {"s3-import": ("bucket",), "s3-export": ("fileSystem", "operations"),
                       "ebs-import": ("eraseDevice",), "glacier-import": ("eraseDevice",)}
M5_REQUIRED = {"s3-import": ("bucket",), "s3-export": ("fileSystem", "operations", "logBucket"),
               "ebs-import": ("eraseDevice", "logBucket", "operations"),
               "glacier-import": ("eraseDevice", "logBucket", "operations")}
OPERATION_REQUIRED = {"s3-import": (), "s3-export": ("exportBucket",),
                      "ebs-import": ("destination", "source", "region"),
                      "glacier-import": ("destination", "source", "region", "vaultName", "archiveComment")}
JOB_ID_CHARACTERS = string.ascii_uppercase + string.digits
JOB_ID_LOOKALIKE = re.compile(r"^[A-Z0-9]{5}$", re.IGNORECASE)

ADDRESSES = (  # (street1, city, stateOrProvince, postalCode, phoneNumber) from the reference's samples
    ("123 Any Street", "Anytown", "WA", "91011-1111", "206-555-1111"),
    ("120 Nosuch Ave S.", "Seattle", "WA", "91111", "206-266-0000"),
    ("7664-A Fullerton Road", "Springfield", "VA", "22153", "555-555-0100"),
)
STREET2 = ("Suite 1060", "Apt 4B", "Building 7", "Floor 3, Room 12")
EMAILS = ("john.doe@example.com", "jane.roe@example.com", "nobody@example.org")
GENERATORS = ("AWS Import/Export Sample App 1.0", "AWS ImportExport Web Service Tool 1.0")


@dataclass(frozen=True)
class Block:
    """A YAML block mapping: (key, value) pairs in output order. A value is YAML scalar source,
    a `Block`, or a tuple of `Block`s (a block sequence of mappings)."""

    items: tuple

    def get(self, key: str):
        return next((value for name, value in self.items if name == key), None)

    def without(self, path: tuple) -> Block:
        """This mapping without the value at `path` (keys, and indexes into sequences)."""
        key, rest = path[0], path[1:]
        if not rest:
            return Block(tuple(item for item in self.items if item[0] != key))
        return self.with_value(key, _without_in(self.get(key), rest))

    def with_value(self, key: str, value) -> Block:
        """This mapping with `key` set to `value` (in place, or appended)."""
        if self.get(key) is None:
            return Block((*self.items, (key, value)))
        return Block(tuple((name, value if name == key else old) for name, old in self.items))

    def lines(self, indent: int) -> list[str]:
        """The YAML lines of this mapping, nested blocks indented by `indent` spaces."""
        lines = []
        for key, value in self.items:
            if isinstance(value, str):
                lines.append(f"{key}: {value}")
            elif isinstance(value, Block):
                lines.append(f"{key}:" if value.items else f"{key}: {{}}")
                lines.extend(" " * indent + line for line in value.lines(indent))
            else:
                lines.append(f"{key}:")
                for entry in value:
                    first, *others = entry.lines(indent) or ["{}"]
                    lines.append(" " * indent + "- " + first)
                    lines.extend(" " * (indent + 2) + line for line in others)
        return lines


def _without_in(value, path: tuple):
    if isinstance(value, Block):
        return value.without(path)
    index, rest = path[0], path[1:]
    return tuple(entry.without(rest) if position == index else entry for position, entry in enumerate(value))


@dataclass(frozen=True)
class Manifest:
    """One drawn manifest: its kind, its fields and how it is written."""

    kind: str
    body: Block
    indent: int
    header: str = ""

    @property
    def job_type(self) -> str:
        return "Export" if self.kind == "s3-export" else "Import"

    @property
    def text(self) -> str:
        return self.header + "\n".join(self.body.lines(self.indent)) + "\n"

    def without(self, path: tuple) -> Manifest:
        return replace(self, body=self.body.without(path))

    def with_value(self, key: str, value: str) -> Manifest:
        return replace(self, body=self.body.with_value(key, value))

    def required_paths(self, documented_only: bool) -> list[tuple[str | int, ...]]:
        """The fields whose removal leaves the manifest without a required one: those docs/sources.md F12
        names when `documented_only`, else every field decisions M5 and M6 make required."""
        if documented_only:
            return [("accessKeyId",), ("deviceId",), *[(key,) for key in DOCUMENTED_REQUIRED[self.kind]]]
        paths: list[tuple[str | int, ...]] = [(key,) for key in COMMON_REQUIRED + M5_REQUIRED[self.kind]]
        paths += [("returnAddress", key) for key in ADDRESS_REQUIRED]
        for index in range(len(self.body.get("operations") or ())):
            paths += [("operations", index, key) for key in OPERATION_REQUIRED[self.kind]]
        return paths


def escape_template(text: str) -> str:
    """`text` as it must be written in case data to come out unchanged from `${name}` templating."""
    return text.replace("$", "$$")


def is_plain_safe(text: str) -> bool:
    """True when `text` written as a plain YAML scalar reads back as this string under YAML 1.1 and 1.2."""
    if not PLAIN_TEXT.match(text) or text.casefold() in YAML_SPECIAL_WORDS:
        return False
    try:
        return yaml.safe_load(f"key: {text}") == {"key": text}
    except yaml.YAMLError:
        return False


def write_string(text: str, style: str) -> str:
    """YAML source for the string `text` in `style` (plain falls back to single-quoted when unsafe),
    template-escaped."""
    if style == "plain" and not is_plain_safe(text):
        style = "single"
    if style == "single":
        text = "'" + text.replace("'", "''") + "'"
    elif style == "double":
        text = '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'
    return escape_template(text)


def written(texts: st.SearchStrategy[str]) -> st.SearchStrategy[str]:
    """YAML source of the drawn texts, each in a drawn style: plain, single- or double-quoted."""
    return st.tuples(texts, st.sampled_from(("plain", "single", "double"))).map(lambda pair: write_string(*pair))


def optional_fields(candidates: dict) -> st.SearchStrategy[list]:
    """(name, YAML source) pairs for a drawn subset of `candidates` (name -> strategy of YAML source)."""
    names = st.lists(st.sampled_from(sorted(candidates)), unique=True)

    @st.composite
    def fields(draw) -> list:
        return [(name, draw(candidates[name])) for name in draw(names)]
    return fields()


def _nonblank(text: str) -> bool:
    return text.strip() != ""


UNICODE_CHARACTERS = st.characters(exclude_categories=("Cc", "Cs", "Cn", "Zl", "Zp"), exclude_characters="\ufeff")
def _visible(text: str) -> bool:
    """At least one letter, number, punctuation mark or symbol: not only spaces, marks or format characters
    (a name of zero-width characters alone may be read as empty, which no source allows or forbids)."""
    return any(unicodedata.category(character)[0] in "LNPS" for character in text)


UNICODE_TEXT = st.text(UNICODE_CHARACTERS, min_size=1, max_size=30).filter(_visible)
"""Text of any Unicode characters except controls (Cc), surrogates, unassigned code points, line/paragraph
separators and the byte order mark, with at least one visible character."""
PATH_SEGMENTS = st.text(string.ascii_lowercase + string.digits + "_-", min_size=1, max_size=8)
PATHS = written(st.tuples(st.lists(PATH_SEGMENTS, min_size=1, max_size=3), st.sampled_from(("", "/")))
                .map(lambda parts: "/".join(parts[0]) + parts[1]))
"""Short S3 key prefixes and directories such as `images/2010/`."""
ALPHANUMERIC = string.ascii_letters + string.digits
KIND_CHOICES = st.sampled_from(KINDS)
ADDRESS_CHOICES = st.sampled_from(ADDRESSES)
# Decision M17: only `yes` validates under both copies of the Developer Guide (the newer wants it on every import).
ERASE_DEVICE = "yes"
FILE_SYSTEMS = st.sampled_from(("NTFS", "EXT4"))  # docs/sources.md F26
INDENTS = st.integers(2, 4)  # docs/sources.md F35
HEADERS = st.sampled_from(("", "---\n", "# manifest written by a property case\n"))
LOG_BUCKETS = st.sampled_from(("${bucket.log}", "${bucket.primary}"))
DEVICE_IDS = st.one_of(st.integers(1, 10**12).map(str),  # a plain integer, as the samples write it, or text
                       written(st.tuples(st.sampled_from(string.ascii_letters), st.text(ALPHANUMERIC, max_size=19))
                               .map("".join)))
COMMON_OPTIONAL = {  # docs/sources.md F22
    "generator": written(st.one_of(st.sampled_from(GENERATORS), st.text(
        st.characters(min_codepoint=0x20, max_codepoint=0x7E), min_size=1, max_size=40).filter(_nonblank))),
    "notificationEmail": written(st.lists(st.sampled_from(EMAILS), min_size=1, max_size=3, unique=True)
                                 .map(";".join)),
    "serviceLevel": st.sampled_from(ENUM_MEMBERS["serviceLevel"]),
    "logPrefix": PATHS,
}
OPTIONAL = {
    "s3-import": optional_fields({**COMMON_OPTIONAL, "acl": st.sampled_from(ENUM_MEMBERS["acl"]), "prefix": PATHS,
                                  "logBucket": LOG_BUCKETS}),
    "s3-export": optional_fields(COMMON_OPTIONAL), "ebs-import": optional_fields(COMMON_OPTIONAL),
    "glacier-import": optional_fields(COMMON_OPTIONAL),
}
EXPORT_OPERATION_OPTIONAL = optional_fields(
    {name: PATHS for name in ("prefix", "beginMarker", "endMarker", "targetDirectory")})
NAMES = written(UNICODE_TEXT)
ADDRESS_OPTIONAL = optional_fields({"company": NAMES, "street2": written(st.sampled_from(STREET2))})
VAULT_NAMES = written(st.text(ALPHANUMERIC + "_.-", min_size=1, max_size=20))
ARCHIVE_COMMENTS = written(st.text(UNICODE_CHARACTERS, min_size=1, max_size=60).filter(_visible))


def _shuffled(draw, items: list) -> Block:
    return Block(tuple(draw(st.permutations(items))))


@st.composite
def return_address(draw) -> Block:
    """A United States return address (decisions M6, M12) with optional company and street2; name and
    company are random Unicode text."""
    street1, city, state, postal_code, phone = draw(ADDRESS_CHOICES)
    items = [("name", draw(NAMES)), ("street1", street1), ("city", city),
             ("stateOrProvince", state), ("postalCode", postal_code), ("phoneNumber", phone), ("country", "USA")]
    return _shuffled(draw, items + draw(ADDRESS_OPTIONAL))


@st.composite
def operation(draw, kind: str) -> Block:
    """One `operations` entry of an export, EBS or Glacier manifest (docs/sources.md F24-F26)."""
    if kind == "s3-export":
        return _shuffled(draw, [("exportBucket", "${bucket.primary}"), *draw(EXPORT_OPERATION_OPTIONAL)])
    items = [("destination", "ebs-snapshot" if kind == "ebs-import" else "glacier"),
             ("source", "device"), ("region", "us-east-1")]
    if kind == "glacier-import":
        items += [("vaultName", draw(VAULT_NAMES)), ("archiveComment", draw(ARCHIVE_COMMENTS))]
    return _shuffled(draw, items)


RETURN_ADDRESSES = return_address()
OPERATIONS = {"s3-export": st.lists(operation("s3-export"), min_size=1, max_size=3),
              "ebs-import": st.lists(operation("ebs-import"), min_size=1, max_size=1),
              "glacier-import": st.lists(operation("glacier-import"), min_size=1, max_size=1)}


@st.composite
def manifests(draw, kind: str | None = None) -> Manifest:
    """A valid manifest of `kind` (or of a drawn kind) written in a drawn way."""
    kind = kind or draw(KIND_CHOICES)
    items = [("manifestVersion", "3.0" if kind in ("ebs-import", "glacier-import") else "2.0"),
             ("accessKeyId", "${primary.access_key_id}"), ("deviceId", draw(DEVICE_IDS)),
             ("returnAddress", draw(RETURN_ADDRESSES))]
    if kind == "s3-import":
        items += [("bucket", "${bucket.primary}"), ("eraseDevice", ERASE_DEVICE)]
    elif kind == "s3-export":
        items += [("fileSystem", draw(FILE_SYSTEMS)), ("logBucket", draw(LOG_BUCKETS))]
    else:
        items += [("eraseDevice", ERASE_DEVICE), ("logBucket", "${bucket.log}")]
    if kind in OPERATIONS:
        items.append(("operations", tuple(draw(OPERATIONS[kind]))))
    return Manifest(kind, _shuffled(draw, items + draw(OPTIONAL[kind])), draw(INDENTS), draw(HEADERS))


def _normalized(text: str) -> str:
    return unicodedata.normalize("NFKC", text).strip().casefold()


@st.composite
def edited(draw, member: str) -> str:
    """`member` with one character deleted, replaced or inserted."""
    position = draw(st.integers(0, len(member)))
    letter = draw(st.characters(min_codepoint=0x21, max_codepoint=0x7E))
    edit = draw(st.sampled_from(("delete", "replace", "insert")))
    if edit == "insert" or position == len(member):
        return member[:position] + letter + member[position:]
    return member[:position] + ("" if edit == "delete" else letter) + member[position + 1:]


def non_member(field: str) -> st.SearchStrategy[str]:
    """Text that no reading of decision M7 accepts for `field`: not a member in any letter case or
    Unicode compatibility form, not blank and not a YAML special word (e.g. `on`). Near misses of a
    member (one character edited) or any Unicode text."""
    excluded = {_normalized(member) for member in ENUM_MEMBERS[field]} | YAML_SPECIAL_WORDS
    near_misses = st.sampled_from(ENUM_MEMBERS[field]).flatmap(edited)
    return st.one_of(near_misses, UNICODE_TEXT).filter(
        lambda text: _nonblank(text) and _normalized(text) not in excluded)


NON_MEMBERS = {field: written(non_member(field)) for field in ENUM_MEMBERS}


@st.composite
def manifests_with_invalid_enum(draw) -> tuple:
    """(manifest, field): a valid manifest whose enumerated `field` holds a non-member value."""
    field = draw(st.sampled_from(sorted(ENUM_MEMBERS)))
    manifest = draw(manifests(draw(st.sampled_from(ENUM_KINDS[field]))))
    return manifest.with_value(field, draw(NON_MEMBERS[field])), field


@st.composite
def manifests_missing_a_field(draw, documented_only: bool) -> tuple:
    """(manifest, path): a valid manifest of a drawn kind with one required field removed."""
    manifest = draw(manifests())
    path = draw(st.sampled_from(manifest.required_paths(documented_only)))
    return manifest.without(path), path


def max_jobs_values() -> st.SearchStrategy[int]:
    """ListJobs MaxJobs values: any integer, with the range 0..1000 and its edges well represented."""
    return st.one_of(st.integers(0, 1000), st.sampled_from((-1, 0, 1, 999, 1000, 1001)), st.integers())


def unknown_job_ids() -> st.SearchStrategy[str]:
    """Printable, non-blank JobId texts that cannot name a job: never five letters or digits (what a
    job id looks like, docs/sources.md F33), however spaced, cased or compatibility-encoded."""
    printable = st.characters(exclude_categories=("C", "Z"), include_characters=" ")
    return st.one_of(
        st.text(printable, min_size=1, max_size=40),
        st.text(JOB_ID_CHARACTERS, min_size=5, max_size=5).map(lambda text: text + "-VALIDATE-ONLY"),
        st.text(JOB_ID_CHARACTERS, min_size=1, max_size=12),
    ).filter(lambda text: _nonblank(text) and not JOB_ID_LOOKALIKE.match(unicodedata.normalize("NFKC", text).strip()))
