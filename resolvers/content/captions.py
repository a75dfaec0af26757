"""Caption tracks of video and audio assets: WebVTT files checked whole, stored beside the originals.

A track is named by its asset, language and kind: adding one again replaces it. Tracks of public assets
are public (their files are served by /media like the asset's own); private assets take none.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import AsyncIterator, Sequence

import media
from models.content import CaptionKind, CaptionTrack, MediaAsset, MediaKind
from resolvers import permissions
from resolvers.actor import Actor
from resolvers.content import media as media_service
from resolvers.content.text import is_locale
from resolvers.errors import Invalid, NotFound, StorageUnavailable, TooLarge, UnsupportedFormat

TIMED_KINDS = frozenset({MediaKind.VIDEO, MediaKind.AUDIO})


async def add(
    actor: Actor,
    storage: media.MediaStorage,
    asset_id: int,
    chunks: AsyncIterator[bytes],
    *,
    language: str,
    label: str,
    kind: CaptionKind,
) -> CaptionTrack:
    """Editors only: store a WebVTT file as the asset's track for this language and kind."""
    permissions.require_role(actor, permissions.can_manage_media(actor), "Only editors can add caption tracks.")
    asset = await MediaAsset.get_or_none(id=asset_id, is_private=False)
    if asset is None:
        raise NotFound("No such media asset.", field="mediaId")
    data = bytearray()
    async for chunk in chunks:
        data += chunk
        if len(data) > media.MAX_CAPTION_BYTES:
            raise TooLarge(f"Caption files are at most {media.MAX_CAPTION_BYTES // 1024} KiB.", field="file")
    return await store(storage, asset, bytes(data), language=language, label=label, kind=kind)


async def store(
    storage: media.MediaStorage, asset: MediaAsset, data: bytes, *, language: str, label: str, kind: CaptionKind
) -> CaptionTrack:
    """Check and file a WebVTT file and record it as the asset's track (no permission check: the seed's path)."""
    if asset.kind not in TIMED_KINDS or asset.is_private:
        raise Invalid("Only public video and audio assets take caption tracks.", field="mediaId")
    language, label = language.strip(), label.strip()
    if not is_locale(language):
        raise Invalid("Give the language as a BCP 47 tag, e.g. zh-CN or en.", field="input.language")
    if not 1 <= len(label) <= 100:
        raise Invalid("A label has 1 to 100 characters.", field="input.label")
    try:
        stored, _ = await storage.save_captions(data)
    except media.UnsupportedFormat as error:
        raise UnsupportedFormat(f"Upload a WebVTT file ({error.reason}).", field="file") from None
    except media.StorageFailed:
        raise StorageUnavailable("The media store could not save the file; try again later.", field="file") from None
    track = await CaptionTrack.get_or_none(asset_id=asset.id, language=language, kind=kind)
    if track is None:
        return await CaptionTrack.create(
            asset_id=asset.id, language=language, label=label, kind=kind, sha256=stored.sha256, byte_size=len(data)
        )
    track.label, track.sha256, track.byte_size = label, stored.sha256, len(data)
    await track.save(update_fields=["label", "sha256", "byte_size"])
    return track


async def remove(actor: Actor, asset_id: int, *, language: str, kind: CaptionKind) -> MediaAsset:
    """Editors only: remove a track; its file is no longer served (nothing names it), the asset stays."""
    permissions.require_role(actor, permissions.can_manage_media(actor), "Only editors can remove caption tracks.")
    asset = await MediaAsset.get_or_none(id=asset_id, is_private=False)
    if asset is None:
        raise NotFound("No such media asset.", field="mediaId")
    if not await CaptionTrack.filter(asset_id=asset_id, language=language.strip(), kind=kind).delete():
        raise NotFound("This asset has no caption track of that language and kind.", field="language")
    return asset


async def tracks_by_asset_id(ids: Sequence[int]) -> list[list[CaptionTrack]]:
    """Each asset's tracks, in the order they were added (a loader's batch function)."""
    grouped: dict[int, list[CaptionTrack]] = defaultdict(list)
    if ids:
        for track in await CaptionTrack.filter(asset_id__in=list(ids)).order_by("id"):
            grouped[track.asset_id].append(track)
    return [grouped[i] for i in ids]


def url(track: CaptionTrack) -> str:
    """The .vtt file's URL (under the same base as every media URL)."""
    return f"{media_service.url_base()}/media/{track.sha256}.vtt"
