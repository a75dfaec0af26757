"""Media assets: streamed uploads through the media store, descriptions, listing and who may fetch a file."""

from __future__ import annotations

import errno
import hashlib
import hmac
import logging
from collections.abc import AsyncIterator, Awaitable, Callable, Sequence
from dataclasses import replace
from pathlib import Path
from typing import Protocol
from urllib.parse import urlencode

from tortoise.transactions import in_transaction

import media
from models.content import CaptionTrack, ContentItem, ContentMedia, MediaAsset, MediaKind
from resolvers import accounts, permissions, vault
from resolvers.actor import Actor
from resolvers.content import quotas
from resolvers.errors import (
    CredentialRejected,
    Invalid,
    NotFound,
    RateLimited,
    StorageUnavailable,
    TooLarge,
    UnsupportedFormat,
)
from resolvers.listing import Listing, of_queryset

log = logging.getLogger("beacon.media")

# The consultation domain registers a check: may this actor see one of these private assets?
PrivateCheck = Callable[[Actor, Sequence[int]], Awaitable[bool]]
private_media_checks: list[PrivateCheck] = []


def register_private_media_check(check: PrivateCheck) -> None:
    private_media_checks.append(check)


# The consultation domain registers a gate: may this actor upload an attachment now (consent)?
AttachmentGate = Callable[[Actor], Awaitable[None]]
attachment_gates: list[AttachmentGate] = []


def register_attachment_gate(gate: AttachmentGate) -> None:
    attachment_gates.append(gate)


async def _check_attachment_gates(actor: Actor) -> None:
    for gate in attachment_gates:
        await gate(actor)  # raises a DomainError to refuse


async def upload(
    actor: Actor,
    storage: media.MediaStorage,
    chunks: AsyncIterator[bytes],
    *,
    limits: quotas.UploadLimits,
    title: str | None = None,
    alt_text: str | None = None,
    transcript: str | None = None,
    caption: str | None = None,
    is_private: bool = False,
) -> MediaAsset:
    """Stream a file to disk and record it; a refused or failed upload leaves no file and no row."""
    require_uploader(actor, private=is_private)
    if is_private:
        await _check_attachment_gates(actor)
    if title and len(title.strip()) > 200:
        raise Invalid("Titles are at most 200 characters.", field="input.title")
    if caption and len(caption.strip()) > CAPTION_CHARACTERS:
        raise Invalid(f"Captions are at most {CAPTION_CHARACTERS} characters.", field="input.caption")
    allowed = await quotas.allowance(actor, limits, attachment=is_private)
    sealer = _Sealer() if is_private else None
    stored = await _store(storage, chunks, allowed, caller=f"user:{actor.user_id}", sealer=sealer)
    try:
        async with in_transaction():
            await quotas.hold(actor, limits, stored.byte_size)
            return await MediaAsset.create(
                kind=MediaKind(stored.kind),
                mime_type=stored.mime_type,
                extension=stored.extension,
                byte_size=stored.byte_size,
                sha256=stored.sha256,
                title=_clean(title),
                alt_text=_clean(alt_text),
                transcript=_clean(transcript),
                caption=_clean(caption),
                width=stored.width,
                height=stored.height,
                duration_seconds=stored.duration_seconds,
                is_private=is_private,
                uploaded_by_id=actor.user_id,
                sealed_key=sealer.wrapped if sealer else None,
                sealed_name=stored.sealed_name,
            )
    except BaseException:
        if stored.sealed_name is not None:
            await storage.delete_sealed(stored.sealed_name)  # a sealed file belongs to its upload alone
        # Only the upload that created the file may remove it: identical bytes may belong to other rows.
        elif stored.created and not await MediaAsset.exists(sha256=stored.sha256):
            await storage.delete(stored.sha256, stored.extension)
        raise


async def gate_allowance(actor: Actor, limits: quotas.UploadLimits) -> quotas.Allowance:
    """Before a multipart body is read: the largest file this caller may send with any upload mutation."""
    staff = permissions.can_manage_media(actor) or permissions.can_edit_quizzes(actor)
    if not staff:
        require_uploader(actor, private=True)
    return await quotas.allowance(actor, limits, attachment=not staff, disk=False)


def require_uploader(actor: Actor, *, private: bool) -> None:
    """Attachments: people who take part in consultations; content media: editors."""
    if private:
        permissions.require_user(actor)
        permissions.require_role(
            actor,
            permissions.can_upload_attachment(actor),
            "Only people who take part in consultations can upload attachments.",
        )
    else:
        permissions.require_role(actor, permissions.can_manage_media(actor), "Only editors can upload content media.")


FILE_PURPOSE = "media_asset.file"
# A caption is a line or two under a picture, not an article.
CAPTION_CHARACTERS = 500


class _Sealer:
    """Seals one file under a fresh data key and keeps the wrapped key for the row."""

    wrapped: str | None = None

    def __call__(self, data: bytes) -> bytes:
        self.wrapped, sealed = vault.seal_bytes(data, FILE_PURPOSE)
        return sealed


async def _store(
    storage: media.MediaStorage,
    chunks: AsyncIterator[bytes],
    allowed: quotas.Allowance,
    *,
    caller: str,
    sealer: _Sealer | None = None,
) -> media.StoredFile:
    """Save through the media store (sealed for private files), turning its refusals into domain errors on the file field."""
    try:
        if sealer is not None:
            return await storage.save_sealed_stream(chunks, max_bytes=allowed.max_bytes, seal=sealer, caller=caller)
        return await storage.save_stream(chunks, max_bytes=allowed.max_bytes, caller=caller)
    except media.TooLarge:
        raise TooLarge(allowed.reason, field="file") from None
    except media.ImageTooLarge as error:
        raise TooLarge(_image_too_large(error), field="file") from None
    except media.UnsupportedFormat as error:
        raise UnsupportedFormat(
            f"Upload a JPEG, PNG, WebP or GIF image, MP4 or WebM video, MP3, M4A, OGG or WAV audio, or a PDF ({error.reason}).",
            field="file",
        ) from None
    except media.CallerBusy as busy:
        raise RateLimited(
            "Your other images are still being processed; try again in a moment.",
            field="file",
            retry_after=busy.retry_after,
        ) from None
    except (media.Busy, media.WorkerFailed):
        raise StorageUnavailable(
            "Images are being processed for others right now; try again shortly.", field="file"
        ) from None
    except media.StorageFailed as error:
        log.error("media storage failed: %s", error.reason)
        full = isinstance(error.__cause__, OSError) and error.__cause__.errno in (errno.ENOSPC, errno.EDQUOT)
        raise StorageUnavailable(
            "The media store has no room for this file right now; try again later."
            if full
            else "The media store could not save the file; try again later.",
            field="file",
        ) from None


def _image_too_large(error: media.ImageTooLarge) -> str:
    if error.what == "bytes":
        return f"Images may take at most {error.limit // 1_000_000} MB once decoded (about {error.limit // 4_000_000} megapixels in colour); this one is larger."
    return f"Images may have at most {error.limit:,} {error.what}; this one has more."


def _clean(text: str | None) -> str | None:
    return text.strip() or None if text is not None else None


async def update(
    actor: Actor,
    pk: int,
    *,
    title: str | None,
    alt_text: str | None,
    transcript: str | None,
    caption: str | None = None,
    given: set[str],
) -> MediaAsset:
    """Set title, alt text, transcript and caption (only the fields given; empty clears)."""
    permissions.require_role(actor, permissions.can_manage_media(actor), "Only editors can describe media.")
    asset = await MediaAsset.get_or_none(id=pk, is_private=False)
    if asset is None:
        raise NotFound("No such media asset.", field="id")
    for name, value in (
        ("title", title),
        ("alt_text", alt_text),
        ("transcript", transcript),
        ("caption", caption),
    ):
        if name in given:
            setattr(asset, name, _clean(value))
    if asset.title and len(asset.title) > 200:
        raise Invalid("Titles are at most 200 characters.", field="input.title")
    if asset.caption and len(asset.caption) > CAPTION_CHARACTERS:
        raise Invalid(f"Captions are at most {CAPTION_CHARACTERS} characters.", field="input.caption")
    await asset.save()
    return asset


async def get(actor: Actor, pk: int) -> MediaAsset | None:
    """Content media is public; private media only through its own domain."""
    return await MediaAsset.get_or_none(id=pk, is_private=False)


def list_assets(actor: Actor, kind: MediaKind | None, *, gated: bool = True) -> Listing[MediaAsset]:
    """Editors only: every non-private asset, newest first.

    Anyone else gets UNAUTHENTICATED/FORBIDDEN, or with gated=False (the deprecated
    `mediaAssets`, which is non-null and must not wipe a whole response) an empty list.
    """
    allowed = permissions.can_manage_media(actor)
    if not gated and not allowed:
        return of_queryset(MediaAsset.filter(id=-1))
    permissions.require_role(actor, allowed, "Only editors can list media.")
    qs = MediaAsset.filter(is_private=False)
    if kind is not None:
        qs = qs.filter(kind=kind)
    return of_queryset(qs.order_by("-created_at", "-id"))


async def access(actor: Actor, sha256: str) -> str:
    """PUBLIC, PRIVATE_ALLOWED or NOT_FOUND for a stored file, for the /media routes."""
    rows = await MediaAsset.filter(sha256=sha256).values_list("id", "is_private")
    if any(not private for _, private in rows):
        return "PUBLIC"
    if not rows and await CaptionTrack.exists(sha256=sha256, asset__is_private=False):
        return "PUBLIC"  # a caption track's .vtt file is public with its asset
    private_ids = [pk for pk, _ in rows]
    for check in private_media_checks:
        if private_ids and await check(actor, private_ids):
            return "PRIVATE_ALLOWED"
    return "NOT_FOUND"


async def open_sealed(storage: media.MediaStorage, sha256: str) -> bytes | None:
    """The plain bytes of a private file kept sealed with this sha256 (callers checked access), else None."""
    rows = await MediaAsset.filter(sha256=sha256, is_private=True, sealed_name__isnull=False).values_list(
        "sealed_name", "sealed_key"
    )
    for name, wrapped in rows:
        sealed = await storage.read_sealed(name)
        if sealed is not None:
            return vault.open_bytes(wrapped, sealed, FILE_PURPOSE)
    return None


async def seal_private_files(storage: media.MediaStorage, *, batch: int = 100) -> int:
    """Seal private files still stored in plain form (from before sealing, or a sender's public upload made
    private); remove the plain original once no row needs it. Run by `beacon migrate` and the scheduler."""
    sealed = 0
    for asset in await MediaAsset.filter(is_private=True, sealed_name__isnull=True).limit(batch):
        if not storage.exists(asset.sha256, asset.extension):
            continue
        sealer = _Sealer()
        name = await storage.seal_in_place(asset.sha256, asset.extension, sealer)
        changed = await MediaAsset.filter(id=asset.id, sealed_name__isnull=True).update(
            sealed_name=name, sealed_key=sealer.wrapped
        )
        if not changed:
            await storage.delete_sealed(name)
            continue
        sealed += 1
        if not await MediaAsset.exists(sha256=asset.sha256, sealed_name__isnull=True):
            await storage.delete(asset.sha256, asset.extension)
    return sealed


async def public_kinds(ids: Sequence[int]) -> dict[int, MediaKind]:
    """The kind of each existing non-private asset among these ids (other domains validate references with it)."""
    if not ids:
        return {}
    rows = await MediaAsset.filter(id__in=list(ids), is_private=False).values_list("id", "kind")
    return {pk: MediaKind(kind) for pk, kind in rows}


async def claim_private(uploader_id: int, ids: Sequence[int], *, field: str) -> list[MediaAsset]:
    """Assets uploaded by this user, made private (attachments); any other id is NOT_FOUND, as if missing."""
    wanted = list(dict.fromkeys(ids))
    if not wanted:
        return []
    found = {a.id: a for a in await MediaAsset.filter(id__in=wanted, uploaded_by_id=uploader_id)}
    if len(found) != len(wanted):
        raise NotFound("Attach only files you uploaded yourself.", field=field)
    public = [pk for pk, a in found.items() if not a.is_private]
    if public:
        if await _in_public_use(public):
            raise Invalid("Published content uses this file; upload it again as an attachment.", field=field)
        await MediaAsset.filter(id__in=public).update(is_private=True)
        for pk in public:
            found[pk].is_private = True
    return [found[pk] for pk in wanted]


async def _in_public_use(ids: Sequence[int]) -> bool:
    return await ContentMedia.exists(media_id__in=list(ids)) or await ContentItem.exists(cover_image_id__in=list(ids))


class StoredFile(Protocol):
    """What a media URL is made of: a model row and a plain-SQL MediaRow both have it."""

    @property
    def sha256(self) -> str: ...
    @property
    def extension(self) -> str: ...
    @property
    def kind(self) -> MediaKind: ...


# Prefix of every media URL (settings.media_url_base): "" for root-relative, else an origin (or a CDN's
# base) so apps and other sites can use the URL as is. Set once per app by configure_urls.
_url_base = ""


def configure_urls(base: str) -> None:
    """Make media URLs absolute under `base` ("" for root-relative); the app calls it at startup."""
    global _url_base
    _url_base = base.rstrip("/")


def url_base() -> str:
    """What every media URL starts with before /media/ ("" when they are root-relative)."""
    return _url_base


def url(asset: StoredFile) -> str:
    return f"{_url_base}/media/{asset.sha256}{asset.extension}"


def variant_url(asset: StoredFile, width: int, height: int | None = None, fit: str = "contain") -> str | None:
    """The variant's URL, sizes snapped; a box (height given) refuses sizes under one pixel.

    A width alone keeps its old leniency (any number snaps), which published clients may rely on.
    """
    if height is not None:
        for field, value in (("width", width), ("height", height)):
            if value < 1:
                raise Invalid(f"The {field} must be at least 1 pixel.", field=field)
    if asset.kind != MediaKind.IMAGE:
        return None
    return f"{_url_base}/media/{asset.sha256}/{media.variant_name(width, height, fit)}{asset.extension}"


# A signed link to a private file lives this long: enough for a page to load its <img> and <video>.
SIGNED_URL_SECONDS = 300
_SIGNING_PURPOSE = b"beacon/media-link/v1"


class PrivateFile(StoredFile, Protocol):
    @property
    def is_private(self) -> bool: ...


def signed_url(actor: Actor, asset: PrivateFile, *, secret_key: str, now: float) -> str | None:
    """A link to a private file that works without an Authorization header, for one viewer and one sign-in.

    Null for public files (their url needs nothing) and for callers without a sign-in (anonymous, API keys):
    the link names the sign-in, so revoking it (sign-out, password change) ends the link. The link is only a
    credential: the fetch runs the same permission check and audit as an authenticated one.
    """
    if not asset.is_private or actor.user_id is None or actor.token_id is None:
        return None
    viewer = f"{actor.user_id}.{actor.token_id}.{int(now) + SIGNED_URL_SECONDS}"
    reason = actor.access_reason or ""
    query = {"viewer": viewer, "sig": _link_mac(secret_key, asset.sha256, viewer, reason)}
    if reason:
        query["reason"] = reason  # an admin's stated reason travels with the link into the audit log
    return f"{url(asset)}?{urlencode(query)}"


async def signed_actor(sha256: str, viewer: str, sig: str, reason: str | None, *, secret_key: str, now: float) -> Actor:
    """Who a signed link speaks for; CredentialRejected when it is forged, for another file, expired or revoked."""
    parts = viewer.split(".")
    if len(parts) != 3 or not all(part.isdigit() for part in parts):
        raise CredentialRejected("link_invalid")
    if not hmac.compare_digest(_link_mac(secret_key, sha256, viewer, reason or ""), sig):
        raise CredentialRejected("link_invalid")
    user_id, token_id, expires = map(int, parts)
    if expires <= now:
        raise CredentialRejected("link_expired")
    if expires > now + SIGNED_URL_SECONDS:
        raise CredentialRejected("link_invalid")  # signed with a longer life than this server gives
    actor = await accounts.session_actor(user_id, token_id)
    return replace(actor, access_reason=reason) if reason else actor


def _link_mac(secret_key: str, sha256: str, viewer: str, reason: str) -> str:
    key = hmac.new(secret_key.encode(), _SIGNING_PURPOSE, hashlib.sha256).digest()
    message = "\n".join((sha256, viewer, reason)).encode()
    return hmac.new(key, message, hashlib.sha256).hexdigest()


def storage_for(media_dir: Path) -> media.MediaStorage:
    return media.MediaStorage(media_dir)
