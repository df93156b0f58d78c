"""Variant servers: the legal variants grouped into the servers the suite runs against.

Most readings touch disjoint requests (a status of one error, the letter case of JobType, GetStatus
on a canceled job...), so a server takes several of them at once, as a real implementation would:
one whole-suite run per server instead of one per variant keeps `pytest tests/variants` near 6
minutes on two idle cores. Readings that contradict each other (a wrong Version refused in one, read
as 2010-06-01 in another; 413 at 1 MiB or nothing refused) live in different servers. Every hook logs
its own variant's name (`announce`), so "exchanges changed" stays per variant; a false failure names
its case ids, which tell the reading it belongs to.

A server's request hook asks its variants' request hooks in order (the first that acts wins), its
response hook passes the answer through every variant's response hook, its patch applies every
variant's seam patch (no seam may be patched twice).
"""
from __future__ import annotations

from dataclasses import dataclass

from tests.mutants.mutant import Mutant
from tests.mutants.seams import SeamPatch
from tests.variants.catalog import VARIANTS, variant_named
from tests.variants.variant import Variant

GROUPS = (
    ("variants.layout", ("variant.shape.members_reversed", "variant.shape.error_count_omitted",
                         "variant.shape.dates_skewed_fractional")),
    ("variants.compact", ("variant.shape.compact_declared",)),
    ("variants.indented", ("variant.shape.indented_crlf",)),
    ("variants.wording", ("variant.shape.reworded_messages", "variant.shape.request_id_v4")),
    ("variants.live_2010", ("variant.shape.live_2010_layout",)),
    ("variants.error_codes", ("variant.reading.undocumented_statuses", "variant.reading.query_front_end")),
    ("variants.auth", ("variant.reading.auth_codes", "variant.reading.timestamp_only")),
    ("variants.versions_strict", ("variant.reading.version_codes",)),
    ("variants.versions_lenient", ("variant.reading.versions_unchecked",)),
    ("variants.oversized_400", ("variant.reading.oversized_as_400",)),
    ("variants.large_requests", ("variant.reading.large_requests_accepted",)),
    ("variants.parameters", ("variant.reading.job_type_exact_case", "variant.reading.listjobs_paging",
                             "variant.reading.job_ids_lists")),
    ("variants.lifecycle", ("variant.reading.started_jobs_cancelable", "variant.reading.canceled_status_error",
                            "variant.reading.expired_jobs_kept")),
    ("variants.jobs", ("variant.reading.ebs_glacier_unsigned", "variant.reading.label_needs_address")),
    ("variants.manifests", ("variant.reading.strict_manifest_values", "variant.reading.manifest_leniency")),
    ("variants.manifest_options", ("variant.reading.erase_device_acknowledged",
                                   "variant.reading.manifest_option_leniency", "variant.reading.facility_codes")),
)


@dataclass(frozen=True)
class VariantServer:
    """Several legal variants answered by one server."""

    name: str
    variants: tuple

    @property
    def client_plan(self) -> dict:
        """Each real client runs every scenario any of the server's variants asks of it."""
        plan: dict = {}
        for variant in self.variants:
            for client, scenarios in variant.client_plan.items():
                plan[client] = plan.get(client, ()) + tuple(s for s in scenarios if s not in plan.get(client, ()))
        return plan

    @property
    def server(self) -> Mutant:
        servers = [variant.server for variant in self.variants]
        requests = [server.request for server in servers if server.request]
        responses = [server.response for server in servers if server.response]
        patches = [server.patch for server in servers if server.patch]
        return Mutant(self.name, "variant", "; ".join(variant.reading for variant in self.variants),
                      request=_first_acting(requests) if requests else None,
                      response=_chained(responses) if responses else None,
                      patch=_joined(patches) if patches else None, auth="both")


def _first_acting(hooks: list):
    def hook(request, backend):
        return next((result for result in (each(request, backend) for each in hooks) if result is not None), None)
    return hook


def _chained(hooks: list):
    def hook(request, response):
        for each in hooks:
            response = each(request, response)
        return response
    return hook


def _joined(patches: list) -> SeamPatch:
    seams = tuple(seam for patch in patches for seam in patch.seams)
    targets = [seam.target for seam in seams]
    if len(targets) != len(set(targets)):
        raise RuntimeError(f"two variants of one server patch the same seam: {targets}")
    return SeamPatch(seams, tuple(use for patch in patches for use in patch.uses))


SERVERS = tuple(VariantServer(name, tuple(variant_named(member) for member in members)) for name, members in GROUPS)
_BY_NAME = {server.name: server for server in SERVERS}
_SERVED = [variant.name for server in SERVERS for variant in server.variants]
if sorted(_SERVED) != sorted(variant.name for variant in VARIANTS):
    raise RuntimeError("every variant must be served by exactly one variant server")


def server_named(name: str) -> VariantServer:
    """The variant server called `name`; KeyError naming the choices otherwise."""
    try:
        return _BY_NAME[name]
    except KeyError:
        raise KeyError(f"no variant server {name!r}; known: {', '.join(sorted(_BY_NAME))}") from None


def server_of(variant: Variant) -> VariantServer:
    return next(server for server in SERVERS if variant in server.variants)
