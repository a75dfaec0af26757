"""Uploaded media: sniffing, content-addressed storage, cleaned images, variants and the /media routes."""

from .captions import MAX_BYTES as MAX_CAPTION_BYTES
from .captions import Cue, parse_webvtt
from .endpoint import Access, AccessRefused, Authorize, CallerKey, OpenSealed, media_routes
from .errors import (
    Busy,
    CallerBusy,
    ImageTooLarge,
    MediaError,
    NotStored,
    StorageFailed,
    TooLarge,
    UnsupportedFormat,
    WorkerFailed,
)
from .imaging import Budget
from .pool import ImagePool, PoolLimits, configure, image_pool
from .sniff import HEAD_BYTES, Sniffed, sniff
from .storage import MediaStorage, Sealer, StoredFile
from .variants import (
    ALLOWED_HEIGHTS,
    ALLOWED_WIDTHS,
    FITS,
    Variant,
    snap_height,
    snap_width,
    variant,
    variant_name,
    variant_path,
)

__all__ = [
    "ALLOWED_HEIGHTS",
    "ALLOWED_WIDTHS",
    "FITS",
    "HEAD_BYTES",
    "MAX_CAPTION_BYTES",
    "Access",
    "AccessRefused",
    "Authorize",
    "Budget",
    "Busy",
    "CallerBusy",
    "CallerKey",
    "Cue",
    "ImagePool",
    "ImageTooLarge",
    "MediaError",
    "MediaStorage",
    "NotStored",
    "OpenSealed",
    "PoolLimits",
    "Sealer",
    "Sniffed",
    "StorageFailed",
    "StoredFile",
    "TooLarge",
    "UnsupportedFormat",
    "Variant",
    "WorkerFailed",
    "configure",
    "image_pool",
    "media_routes",
    "parse_webvtt",
    "snap_height",
    "snap_width",
    "sniff",
    "variant",
    "variant_name",
    "variant_path",
]
