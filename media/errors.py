"""Media exceptions: tiny classes that only carry data."""


class MediaError(Exception):
    """Base class of every media failure."""


class TooLarge(MediaError):
    """The upload sent more than `limit` bytes."""

    def __init__(self, limit: int) -> None:
        super().__init__(f"more than {limit} bytes")
        self.limit = limit


class UnsupportedFormat(MediaError):
    """The bytes are not one of the allowed formats, or do not decode."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


class ImageTooLarge(UnsupportedFormat):
    """The image has more pixels than we agree to decode."""

    def __init__(self, limit: int) -> None:
        super().__init__(f"image has more than {limit} pixels")
        self.limit = limit


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
