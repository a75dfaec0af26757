"""Media exceptions: tiny classes that only carry data.

Some are raised in the image pool's worker processes and pickled back, so each one that takes
arguments other than its message says how to rebuild itself (`__reduce__`).
"""

from typing import Any


class MediaError(Exception):
    """Base class of every media failure."""


class TooLarge(MediaError):
    """The upload sent more than `limit` bytes."""

    def __init__(self, limit: int) -> None:
        super().__init__(f"more than {limit} bytes")
        self.limit = limit

    def __reduce__(self) -> tuple[Any, ...]:
        return (type(self), (self.limit,))


class UnsupportedFormat(MediaError):
    """The bytes are not one of the allowed formats, or do not decode."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


class ImageTooLarge(UnsupportedFormat):
    """Decoding the image would cost more than the budget: `what` (pixels or bytes) over `limit`."""

    def __init__(self, limit: int, what: str = "pixels") -> None:
        super().__init__(f"image would decode to more than {limit} {what}")
        self.limit = limit
        self.what = what

    def __reduce__(self) -> tuple[Any, ...]:
        return (type(self), (self.limit, self.what))


class StorageFailed(MediaError):
    """The disk refused a write, rename or folder creation."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


class NotStored(MediaError):
    """No original exists for this sha256 and extension."""

    def __init__(self, sha256: str) -> None:
        super().__init__(sha256)
        self.sha256 = sha256


class Busy(MediaError):
    """The image pool has no room for another job right now; try again after `retry_after` seconds."""

    def __init__(self, retry_after: int = 2) -> None:
        super().__init__(f"image work is busy; retry after {retry_after} s")
        self.retry_after = retry_after

    def __reduce__(self) -> tuple[Any, ...]:
        return (type(self), (self.retry_after,))


class CallerBusy(Busy):
    """This caller already has as many image jobs running and waiting as one caller may."""


class WorkerFailed(MediaError):
    """An image worker process died mid-job (killed, out of memory); the pool starts a new one."""
