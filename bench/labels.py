"""GetShippingLabel latency against GetStatus latency, and a check that the label is a real PDF.

Each round starts a fresh mock, creates two jobs, times the first label after start on its own,
then alternates GetStatus and GetShippingLabel calls (same boto3 client) and keeps the medians.
The label of the last round is downloaded and parsed with pypdf: it must start with `%PDF-`, end
with `%%EOF`, and its text must name both job ids and the return address.
"""
from __future__ import annotations

import io
import statistics
import time

import requests
from harness import RETURN_ADDRESS_WORDS, boto_client, create_job, start_mock, summary
from pypdf import PdfReader


def _call_ms(call, **kwargs) -> tuple[float, dict]:
    started = time.perf_counter()
    answer = call(**kwargs)
    return (time.perf_counter() - started) * 1000, answer


def check_label_pdf(pdf: bytes, job_ids: list[str]) -> list[str]:
    """What is wrong with the label PDF (empty when it is valid and names the jobs and address)."""
    problems = []
    if not pdf.startswith(b"%PDF-"):
        problems.append("does not start with %PDF-")
    if b"%%EOF" not in pdf[-1024:]:
        problems.append("no %%EOF at the end")
    try:
        text = " ".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages)
    except Exception as error:  # noqa: BLE001 - any parse failure means an invalid PDF
        return [*problems, f"pypdf cannot read it: {error}"]
    problems += [f"text does not name {word!r}" for word in [*job_ids, *RETURN_ADDRESS_WORDS] if word not in text]
    return problems


def measure(rounds: int, calls_per_round: int) -> dict:
    first_label, label, status, ratio, ratio_with_first = [], [], [], [], []
    problems: list[str] = []
    for _ in range(rounds):
        with start_mock() as mock:
            client = boto_client("importexport", mock.url)
            job_ids = [create_job(client), create_job(client)]
            client.get_status(JobId=job_ids[0])
            first_ms, answer = _call_ms(client.get_shipping_label, jobIds=job_ids)
            round_label, round_status = [first_ms], []
            for _ in range(calls_per_round):
                round_status.append(_call_ms(client.get_status, JobId=job_ids[0])[0])
                round_label.append(_call_ms(client.get_shipping_label, jobIds=job_ids)[0])
            pdf = requests.get(answer["ShippingLabelURL"], timeout=30).content
            problems = check_label_pdf(pdf, job_ids)
        first_label.append(first_ms)
        label.append(statistics.median(round_label[1:]))
        status.append(statistics.median(round_status))
        ratio.append(label[-1] / status[-1])
        ratio_with_first.append(statistics.mean(round_label) / statistics.mean(round_status))
    return {
        "first_label_ms": summary(first_label),
        "label_ms": summary(label),
        "status_ms": summary(status),
        "label_over_status": summary(ratio),
        "label_over_status_mean_with_first": summary(ratio_with_first),
        "pdf_problems": problems,
    }
