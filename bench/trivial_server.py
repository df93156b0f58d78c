"""A reference for the mock's throughput: a trivial WSGI app on waitress as usually deployed.

waitress with its pool of 16 worker threads (how the mock served until it moved its requests onto
waitress's I/O thread, mockserver/loop_dispatch.py; bench/mock_before_after.py has the trivial app
served like the mock), answering every POST with a
fixed, well-formed GetStatus or ListJobs response (chosen by the Action in the body) and doing
nothing else: no authentication, no storage. Prints `trivial: serving on http://127.0.0.1:PORT`.
"""
from __future__ import annotations

import signal
import sys

import waitress

WORKER_THREADS = 16
_NS = "http://importexport.amazonaws.com/doc/2010-06-01/"
_GET_STATUS = f"""<?xml version="1.0" encoding="UTF-8"?>
<GetStatusResponse xmlns="{_NS}"><GetStatusResult><JobId>ABCDE</JobId><JobType>Import</JobType>
<LocationCode>NotReceived</LocationCode><LocationMessage>The specified job has not been received.</LocationMessage>
<ProgressCode>Pending</ProgressCode><ProgressMessage>The specified job has not started.</ProgressMessage>
<Carrier></Carrier><TrackingNumber></TrackingNumber><LogBucket></LogBucket><LogKey></LogKey>
<ErrorCount>0</ErrorCount><Signature>c2lnbmF0dXJl</Signature>
<SignatureFileContents>version:2.0</SignatureFileContents><CurrentManifest>manifestVersion: 2.0</CurrentManifest>
<CreationDate>2026-01-01T00:00:00Z</CreationDate></GetStatusResult>
<ResponseMetadata><RequestId>fixed</RequestId></ResponseMetadata></GetStatusResponse>""".encode()
_LIST_JOBS = f"""<?xml version="1.0" encoding="UTF-8"?>
<ListJobsResponse xmlns="{_NS}"><ListJobsResult><Jobs><member><JobId>ABCDE</JobId>
<CreationDate>2026-01-01T00:00:00Z</CreationDate><IsCanceled>false</IsCanceled><JobType>Import</JobType>
</member></Jobs><IsTruncated>false</IsTruncated></ListJobsResult>
<ResponseMetadata><RequestId>fixed</RequestId></ResponseMetadata></ListJobsResponse>""".encode()


def application(environ: dict, start_response):
    length = int(environ.get("CONTENT_LENGTH") or 0)
    body = environ["wsgi.input"].read(length)
    answer = _LIST_JOBS if b"Action=ListJobs" in body else _GET_STATUS
    start_response("200 OK", [("Content-Type", "text/xml"), ("Content-Length", str(len(answer)))])
    return [answer]


def main() -> None:
    server = waitress.create_server(application, host="127.0.0.1", port=0, threads=WORKER_THREADS)
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(0))
    print(f"trivial: serving on http://127.0.0.1:{server.effective_port}", flush=True)
    server.run()


if __name__ == "__main__":
    main()
