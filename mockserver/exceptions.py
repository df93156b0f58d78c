"""Every error the mock answers, one class per wire `Code` (moto's `exceptions.py`).

Raise an instance anywhere while handling an API request; the app turns it into an `ErrorResponse`
document (`Type`, `Code`, `Message`, `RequestId`) with the class's HTTP status. The class name *is* the
wire `Code`. Classes with `modeled = True` are the error shapes of the botocore model; the control API
accepts exactly those for injection (`MODELED_ERROR_CODES`).
"""
from __future__ import annotations

from typing import ClassVar


class ApiError(Exception):
    """An error answered with an `ErrorResponse`; subclasses fix the `Code`, HTTP status and `Type`.

    `status` may be overridden per instance (a code answered with another status in one place).
    """

    code: ClassVar[str] = "ApiError"
    status: int = 400
    error_type: ClassVar[str] = "Sender"
    modeled: ClassVar[bool] = False

    def __init_subclass__(cls, **kwargs: object) -> None:
        super().__init_subclass__(**kwargs)
        cls.code = cls.__name__

    def __init__(self, message: str, status: int | None = None):
        super().__init__(f"{self.code}: {message}")
        self.message = message
        if status is not None:
            self.status = status


# Modeled error shapes of the 2010-06-01 service model (HTTP 400, Type Sender).


class BucketPermissionException(ApiError):
    """The signer does not own a bucket the manifest names."""

    status, error_type, modeled = 400, "Sender", True


class CanceledJobIdException(ApiError):
    """The job was canceled."""

    status, error_type, modeled = 400, "Sender", True


class CreateJobQuotaExceededException(ApiError):
    """The account reached its daily CreateJob quota."""

    status, error_type, modeled = 400, "Sender", True


class ExpiredJobIdException(ApiError):
    """The job is older than 30 days on the mock clock."""

    status, error_type, modeled = 400, "Sender", True


class InvalidAccessKeyIdException(ApiError):
    """The manifest's accessKeyId is not the signer's, or the request's key id is empty or malformed (400, F11)."""

    status, error_type, modeled = 400, "Sender", True


class InvalidAddressException(ApiError):
    """A return-address field is invalid."""

    status, error_type, modeled = 400, "Sender", True


class InvalidCustomsException(ApiError):
    """A customs field is invalid."""

    status, error_type, modeled = 400, "Sender", True


class InvalidFileSystemException(ApiError):
    """An export manifest names an unsupported file system."""

    status, error_type, modeled = 400, "Sender", True


class InvalidJobIdException(ApiError):
    """No such job for the caller's account."""

    status, error_type, modeled = 400, "Sender", True


class InvalidManifestFieldException(ApiError):
    """A manifest field has an invalid value."""

    status, error_type, modeled = 400, "Sender", True


class InvalidParameterException(ApiError):
    """A request parameter has an invalid value, or occurs twice."""

    status, error_type, modeled = 400, "Sender", True


class InvalidVersionException(ApiError):
    """`Version` or `APIVersion` is not acceptable."""

    status, error_type, modeled = 400, "Sender", True


class MalformedManifestException(ApiError):
    """The manifest is not a YAML mapping."""

    status, error_type, modeled = 400, "Sender", True


class MissingCustomsException(ApiError):
    """A required customs field is missing."""

    status, error_type, modeled = 400, "Sender", True


class MissingManifestFieldException(ApiError):
    """A required manifest field is missing."""

    status, error_type, modeled = 400, "Sender", True


class MissingParameterException(ApiError):
    """A required request parameter is missing or empty."""

    status, error_type, modeled = 400, "Sender", True


class MultipleRegionsException(ApiError):
    """The manifest's buckets are in more than one region."""

    status, error_type, modeled = 400, "Sender", True


class NoSuchBucketException(ApiError):
    """The manifest names a bucket that does not exist."""

    status, error_type, modeled = 400, "Sender", True


class UnableToCancelJobIdException(ApiError):
    """The job has left Pending and cannot be canceled."""

    status, error_type, modeled = 400, "Sender", True


class UnableToUpdateJobIdException(ApiError):
    """The job has left Pending and cannot be updated."""

    status, error_type, modeled = 400, "Sender", True


# Common Query API errors (not in the model): request decoding, routing, authentication.


class MalformedQueryString(ApiError):
    """A bad percent escape, non-UTF-8 bytes or an empty parameter name."""

    status, error_type = 400, "Sender"


class MissingAction(ApiError):
    """Neither `Action` nor `Operation` is given."""

    status, error_type = 400, "Sender"


class InvalidAction(ApiError):
    """The action is not one of the six."""

    status, error_type = 400, "Sender"


class InvalidParameterCombination(ApiError):
    """Two parameters that exclude each other (Action/Operation, Timestamp/Expires)."""

    status, error_type = 400, "Sender"


class InvalidParameterValue(ApiError):
    """A SigV2 parameter (SignatureVersion, SignatureMethod, Timestamp, Expires) is invalid."""

    status, error_type = 400, "Sender"


class MissingAuthenticationToken(ApiError):
    """The request carries no signature at all."""

    status, error_type = 403, "Sender"


class IncompleteSignature(ApiError):
    """The signature's parts are missing or malformed."""

    status, error_type = 403, "Sender"


class SignatureDoesNotMatch(ApiError):
    """The signature does not verify."""

    status, error_type = 403, "Sender"


class InvalidClientTokenIdException(ApiError):
    """The access key id is well-formed but unknown."""

    status, error_type = 403, "Sender"


class RequestExpired(ApiError):
    """The request's time is outside the allowed clock skew, or past `Expires`."""

    status, error_type = 403, "Sender"


class NotFound(ApiError):
    """No route for the path (and no stored label there)."""

    status, error_type = 404, "Sender"


class MethodNotAllowed(ApiError):
    """The API path with a method other than GET or POST."""

    status, error_type = 405, "Sender"


class RequestEntityTooLarge(ApiError):
    """The request body exceeds 1 MiB."""

    status, error_type = 413, "Sender"


class RequestURITooLong(ApiError):
    """The query string exceeds 128 KiB."""

    status, error_type = 414, "Sender"


class BadRequest(ApiError):
    """The HTTP request itself is malformed (refused by the HTTP server before the application)."""

    status, error_type = 400, "Sender"


class RequestHeaderFieldsTooLarge(ApiError):
    """The request line and headers exceed the HTTP server's 256 KiB."""

    status, error_type = 431, "Sender"


class InternalError(ApiError):
    """An unexpected exception in the mock (logged; never a traceback on the wire)."""

    status, error_type = 500, "Receiver"


class AccessDenied(ApiError):
    """The S3 behind the mock (--s3-endpoint-url) refused a call the mock made for the caller."""

    status, error_type = 403, "Sender"


class ServiceUnavailable(ApiError):
    """The S3 behind the mock (--s3-endpoint-url) is unreachable, timed out or failed."""

    status, error_type = 503, "Receiver"


MODELED_ERRORS: dict[str, type[ApiError]] = {
    cls.code: cls for cls in ApiError.__subclasses__() if cls.modeled
}
MODELED_ERROR_CODES = frozenset(MODELED_ERRORS)
