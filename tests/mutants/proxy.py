"""The mutant proxy: a WSGI app (served by waitress) in front of a real mock, carrying one mutant.

Query API requests (`/`) go through the mutant's request rewrite, are forwarded with their Host
header and target exactly as received (so signatures still verify at the backend), and the answer
goes through the mutant's response rewrite. A request rewrite may also answer by itself (a
`ProxyResponse`, e.g. a legal variant refusing a request the mock accepts); the mock never sees it.
Everything else (`/_mock/*`, shipping label PDFs) is passed through untouched. A rewrite that raises
is a bug of the harness, not a kill: the proxy answers 502 and logs a line starting with
`MUTANT-PROXY-ERROR`, which the harness looks for.

    python -m tests.mutants.proxy --mutant NAME --backend http://127.0.0.1:PORT [--port 0]

prints `mutant-proxy: serving on http://127.0.0.1:PORT` once it listens.
"""
from __future__ import annotations

import argparse
import signal
import sys
import traceback
from datetime import datetime, timedelta, timezone
from typing import Optional, Sequence

import urllib3
import waitress

from tests.mutants.exchange import HOP_BY_HOP, ProxyRequest, ProxyResponse, reason_phrase

PROXY_ERROR_MARK = "MUTANT-PROXY-ERROR"
WORKER_THREADS = 16


class Backend:
    """The real mock behind the proxy: forwarding, and the control calls some mutants need."""

    def __init__(self, url: str):
        self.url = url.rstrip("/")
        self._pool = urllib3.PoolManager(num_pools=2, maxsize=WORKER_THREADS, retries=False,
                                         timeout=urllib3.Timeout(connect=5, read=120))

    def forward(self, request: ProxyRequest) -> ProxyResponse:
        headers = urllib3.HTTPHeaderDict()
        for name, value in request.headers:
            if name.lower() not in HOP_BY_HOP:
                headers.add(name, value)
        response = self._pool.urlopen(request.method, self.url + request.target, body=request.body or None,
                                      headers=headers, redirect=False, retries=False, preload_content=True,
                                      decode_content=False, assert_same_host=False)
        reason = response.reason or reason_phrase(response.status)
        return ProxyResponse(response.status, reason, tuple(response.headers.items()), response.data)

    def control(self, call: str) -> dict:
        """`GET /_mock/<call>` as JSON."""
        response = self._pool.request("GET", f"{self.url}/_mock/{call}", retries=False)
        return response.json()

    def now(self) -> datetime:
        """The mock's clock (real time plus its offset): what its request-expiry check uses."""
        return datetime.now(timezone.utc) + timedelta(seconds=self.control("clock")["offset_s"])

    def job_owners(self) -> dict:
        """JobId -> owner's access key id, for every stored job."""
        return {job["job_id"]: job["owner"] for job in self.control("jobs")["jobs"]}


class MutantProxy:
    """WSGI callable: rewrite, forward, rewrite back."""

    def __init__(self, mutant, backend: Backend):
        self.mutant = mutant
        self.backend = backend

    def __call__(self, environ: dict, start_response):
        request = ProxyRequest.from_environ(environ)
        try:
            response = self.exchange(request)
        except Exception:
            details = traceback.format_exc()
            print(f"{PROXY_ERROR_MARK} {request.method} {request.target}\n{details}", file=sys.stderr, flush=True)
            response = ProxyResponse(502, "Bad Gateway", (("Content-Type", "text/plain"),),
                                     f"{PROXY_ERROR_MARK}\n{details}".encode("utf-8"))
        start_response(f"{response.status} {response.reason}", response.wsgi_headers())
        return [response.body]

    def exchange(self, request: ProxyRequest) -> ProxyResponse:
        if not request.is_api:
            return self.backend.forward(request)
        sent = request
        if self.mutant.request is not None:
            sent = self.mutant.request(request, self.backend) or request
        if isinstance(sent, ProxyResponse):
            return sent
        response = self.backend.forward(sent)
        if self.mutant.response is not None:
            response = self.mutant.response(sent, response)
        return response


def main(argv: Optional[Sequence[str]] = None) -> int:
    from tests.mutants.catalog import server_named

    parser = argparse.ArgumentParser(prog="python -m tests.mutants.proxy", description=__doc__.split("\n")[0])
    parser.add_argument("--mutant", required=True,
                        help="mutant (tests/mutants/catalog.py; 'none' = identity), variant "
                             "(tests/variants/catalog.py) or variant server (tests/variants/servers.py)")
    parser.add_argument("--backend", required=True, help="URL of the real mock")
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=0)
    args = parser.parse_args(argv)
    proxy = MutantProxy(server_named(args.mutant), Backend(args.backend))
    server = waitress.create_server(proxy, host=args.host, port=args.port, threads=WORKER_THREADS)
    signal.signal(signal.SIGTERM, _exit)
    print(f"mutant-proxy: serving on http://{args.host}:{server.effective_port} (mutant {args.mutant})", flush=True)
    try:
        server.run()
    except (KeyboardInterrupt, SystemExit):
        pass
    finally:
        server.close()
    return 0


def _exit(signum, frame) -> None:
    raise SystemExit(0)


if __name__ == "__main__":
    sys.exit(main())
