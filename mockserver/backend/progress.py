"""Job status vocabulary: LocationCode and ProgressCode tokens and their messages (reference §5).

The templates are the Developer Guide's, with its placeholders (LOG_KEY, TRACKING_NUMBER, ...) filled
from the job's status fields. Messages the stored guide cut off are completed plainly.
"""
from __future__ import annotations

from mockserver.backend.records import JobRecord

LOCATION_MESSAGES = {
    "AtAWS": "Your device is at AWS.",
    "NotReceived": "AWS has not received your device.",
    "Returned": "Your device has been returned. The {carrier} tracking number is {tracking_number}.",
}

PROGRESS_MESSAGES = {
    "Canceled": "The job was canceled.",
    "Complete": "The data loaded successfully. The log was saved to {log_key} in the bucket {log_bucket}.",
    "DeviceError": "The job was aborted. Your device would not function properly.",
    "Expired": "The job expired.",
    "InProgress": "The data on your device is currently being loaded.",
    "InvalidSignature": "The job was aborted. The SIGNATURE file was invalid.",
    "MissingDevice": "The job was aborted. Your device, power supply, or device connectors were missing.",
    "MissingSignature": "The job was aborted. The SIGNATURE file was missing.",
    "Pending": "The specified job has not started.",
    "SuccessWithErrors": (
        "The data load completed with {error_count} errors. See {log_key} in the bucket {log_bucket} "
        "for more details."
    ),
    "UnsupportedDeviceType": (
        "The job was aborted. Disk requires a USB2 or eSATA connector type, or a 2.5\" or 3.5\" SATA hard drive."
    ),
    "UnsupportedFileFormat": (
        "The job was aborted. The file system on your device is not supported; see Guidelines and Limitations."
    ),
    "UnsupportedPowerSupply": (
        "The job was aborted. The power supply of your device does not match the requirements of the "
        "region of your bucket; see Guidelines and Limitations."
    ),
}


def location_message(job: JobRecord) -> str:
    return LOCATION_MESSAGES[job.location_code].format(**_placeholders(job))


def progress_message(job: JobRecord) -> str:
    return PROGRESS_MESSAGES[job.progress_code].format(**_placeholders(job))


def _placeholders(job: JobRecord) -> dict[str, object]:
    return {
        "carrier": job.carrier or "carrier",
        "tracking_number": job.tracking_number or "(none)",
        "log_key": job.log_key or "(no log key)",
        "log_bucket": job.log_bucket or "(no log bucket)",
        "error_count": job.error_count,
    }
