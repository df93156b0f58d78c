"""A tiny fixed-answer endpoint for the engine's tests, independent of the real mock.

GetStatus answers `Pending` for job `GOOD1` and InvalidJobIdException otherwise; CancelJob always
succeeds; `/label.pdf` is a PDF stub; `/_mock/*` answers like the control API. Signatures are not
checked. Run as a script it prints the bundled mock's "serving on" line, so it can also stand in for
`python -m mockserver` (see test_plugin_runs.py).
"""
from __future__ import annotations

import json
import sys
import uuid

from werkzeug.serving import make_server
from werkzeug.wrappers import Request, Response

NS = "http://importexport.amazonaws.com/doc/2010-06-01/"


def _xml(status: int, body: str) -> Response:
    return Response(body, status=status, content_type="text/xml")


def error_response(code: str) -> Response:
    """A well-formed 400 Sender ErrorResponse with `code`."""
    return _xml(400, f'<ErrorResponse xmlns="{NS}"><Error><Type>Sender</Type><Code>{code}</Code>'
                     f"<Message>{code}</Message></Error><RequestId>{uuid.uuid4()}</RequestId></ErrorResponse>")


def success_response(operation: str, result: str) -> Response:
    """A well-formed 200 `<Op>Response` holding `result` in `<Op>Result`."""
    return _xml(200, f'<{operation}Response xmlns="{NS}"><{operation}Result>{result}</{operation}Result>'
                     f"<ResponseMetadata><RequestId>{uuid.uuid4()}</RequestId></ResponseMetadata>"
                     f"</{operation}Response>")


@Request.application
def application(request: Request) -> Response:
    if request.path.startswith("/_mock/"):
        return Response(json.dumps({"ok": True, "offset_s": 0}), content_type="application/json")
    if request.path == "/label.pdf":
        return Response(b"%PDF-1.4 stub", content_type="application/pdf")
    action = request.values.get("Action")
    if action == "GetStatus":
        job_id = request.values.get("JobId")
        if job_id != "GOOD1":
            return error_response("InvalidJobIdException")
        return success_response("GetStatus", f"<JobId>{job_id}</JobId><ProgressCode>Pending</ProgressCode>")
    if action == "CancelJob":
        return success_response("CancelJob", "<Success>true</Success>")
    return error_response("InvalidAction")


def main() -> None:
    server = make_server("127.0.0.1", 0, application, threaded=True)
    print(f"importexport-mock: serving on http://127.0.0.1:{server.server_port} (engine test stub)", flush=True)
    server.serve_forever()


if __name__ == "__main__":
    sys.exit(main())
