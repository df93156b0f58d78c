"""Request hooks for mutants that change what the client asked for and sign it again.

`params_hook(change)` is the common shape: for an authentic API request (the mock's own check at
the mock's clock) of the named operations, `change(params, signer)` returns the parameters the
buggy server would effectively act on; the request is re-signed by the same signer at the same time
and forwarded. Requests that are not authentic, or that `change` leaves alone, pass unchanged.
"""
from __future__ import annotations

from typing import Callable, Iterable, Optional

from tests.mutants.exchange import ProxyRequest
from tests.mutants.resign import authenticated_signer, resign, scheme_of, signed_at

ParamsChange = Callable[[list, str], Optional[list]]


def operation_of(params: list) -> Optional[str]:
    values = dict(params)
    return values.get("Action") or values.get("Operation")


def authentic(request: ProxyRequest, backend) -> Optional[tuple]:
    """(params, signer) when the mock would accept the request's signature now, else None."""
    params = request.params()
    if params is None or scheme_of(request) is None:
        return None
    signer = authenticated_signer(request, backend.now())
    return None if signer is None else (params, signer)


def params_hook(change: ParamsChange, operations: Optional[Iterable[str]] = None):
    """A request hook re-signing authentic requests with the parameters `change` gives."""
    wanted = frozenset(operations) if operations is not None else None

    def hook(request: ProxyRequest, backend) -> Optional[ProxyRequest]:
        params = request.params()
        if params is None or (wanted is not None and operation_of(params) not in wanted):
            return None
        found = authentic(request, backend)
        if found is None:
            return None
        params, signer = found
        changed = change(list(params), signer)
        moment = signed_at(request)
        if changed is None or changed == params or moment is None:
            return None
        return resign(request, changed, signer, moment)
    return hook


def drop_param(name: str) -> ParamsChange:
    def change(params: list, signer: str) -> list:
        return [(key, value) for key, value in params if key != name]
    return change


def set_param(name: str, value: str, when: Callable[[str], bool]) -> ParamsChange:
    """Set `name` to `value` where its current value satisfies `when`."""
    def change(params: list, signer: str) -> Optional[list]:
        return [(key, value if key == name and when(existing) else existing) for key, existing in params]
    return change
