"""Uploaded media: sniffing, content-addressed storage, variants and the /media routes."""

from .endpoint import Access, Authorize, media_routes
from .errors import ImageTooLarge, MediaError, NotStored, StorageFailed, TooLarge, UnsupportedFormat
from .sniff import HEAD_BYTES, Sniffed, sniff
from .storage import MediaStorage, StoredFile
from .variants import ALLOWED_WIDTHS, snap_width, variant_path

__all__ = [
    "ALLOWED_WIDTHS",
    "HEAD_BYTES",
    "Access",
    "Authorize",
    "ImageTooLarge",
    "MediaError",
    "MediaStorage",
    "NotStored",
    "Sniffed",
    "StorageFailed",
    "StoredFile",
    "TooLarge",
    "UnsupportedFormat",
    "media_routes",
    "snap_width",
    "sniff",
    "variant_path",
]
