"""Demo lessons, stories and their media (drawn by code; videos and their caption tracks from demo/videos/), loaded idempotently from package `demo`."""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Any

import demo
from demo.media import VIDEO_DIR
from media import generate
from models.content import CaptionKind, ContentItem, ContentType, MediaAsset, PublicationStatus
from resolvers.content import captions, items
from resolvers.content import media as media_service
from resolvers.content.text import slugify
from settings import Settings


async def seed(settings: Settings) -> list[str]:
    media_ids = await _seed_media(settings)
    created = 0
    item_ids: dict[str, int] = {}
    # Originals before translations, so a translation can name its original.
    lessons = sorted(demo.LESSONS, key=lambda lesson: lesson.translation_of_key is not None)
    for lesson in lessons:
        fields: dict[str, Any] = {
            "section": lesson.section,
            "estimated_minutes": lesson.estimated_minutes,
            "translation_of_id": item_ids.get(lesson.translation_of_key) if lesson.translation_of_key else None,
        }
        pk, new = await _seed_item(ContentType.LESSON, lesson, fields, media_ids)
        item_ids[lesson.key], created = pk, created + new
    for story in demo.STORIES:
        _, new = await _seed_item(
            ContentType.STORY,
            story,
            {"kind": story.kind, "narrator": story.narrator},
            media_ids,
        )
        created += new
    return [
        f"Content: {len(demo.LESSONS)} lessons, {len(demo.STORIES)} stories, {len(media_ids)} media ({created} new items)."
    ]


async def lesson_ids() -> dict[str, int]:
    """Demo lesson key -> the seeded lesson's id (for other domains' seeds)."""
    ids: dict[str, int] = {}
    for lesson in demo.LESSONS:
        found = await ContentItem.get_or_none(
            content_type=ContentType.LESSON, locale=lesson.locale, slug=slugify(lesson.title)
        )
        if found is not None:
            ids[lesson.key] = found.id
    return ids


async def _seed_item(
    content_type: ContentType,
    entry: Any,
    fields: dict[str, Any],
    media_ids: dict[str, int],
) -> tuple[int, int]:
    slug = slugify(entry.title)
    existing = await ContentItem.get_or_none(content_type=content_type, locale=entry.locale, slug=slug)
    if existing is not None:
        return existing.id, 0
    values = {
        "title": entry.title,
        "slug": slug,
        "locale": entry.locale,
        "summary": entry.summary,
        "body": entry.body,
        "audiences": list(entry.audiences),
        "tags": list(entry.tags),
        "cover_image_id": media_ids.get(entry.cover_media_key) if entry.cover_media_key else None,
        "media_ids": [media_ids[k] for k in entry.media_keys if k in media_ids],
        **fields,
    }
    item = await items.create(None, content_type, values)
    if entry.status == "IN_REVIEW":
        await items.set_status(None, content_type, item.id, PublicationStatus.IN_REVIEW)
    elif entry.status == "PUBLISHED":
        await items.set_status(None, content_type, item.id, PublicationStatus.PUBLISHED)
    return item.id, 1


async def _seed_media(settings: Settings) -> dict[str, int]:
    storage = media_service.storage_for(settings.media_dir)
    ids: dict[str, int] = {}
    for entry in demo.MEDIA:
        existing = await MediaAsset.get_or_none(title=entry.title, uploaded_by_id=None, is_private=False)
        if existing is not None:  # drawn files (a PDF's timestamp) differ run to run: match by title
            ids[entry.key] = existing.id
            if entry.caption and existing.caption is None:  # seeded before images had captions
                await MediaAsset.filter(id=existing.id).update(caption=entry.caption)
            continue
        data = _draw(entry)
        stored = await storage.save_stream(_one_chunk(data), max_bytes=max(settings.max_upload_bytes, len(data)))
        asset = await MediaAsset.create(
            kind=stored.kind,
            mime_type=stored.mime_type,
            extension=stored.extension,
            byte_size=stored.byte_size,
            sha256=stored.sha256,
            title=entry.title,
            alt_text=entry.alt_text,
            transcript=entry.transcript,
            caption=entry.caption,
            width=stored.width,
            height=stored.height,
            duration_seconds=stored.duration_seconds,
        )
        for track in entry.captions:
            vtt = (VIDEO_DIR / track.file).read_bytes()
            await captions.store(
                storage, asset, vtt, language=track.language, label=track.label, kind=CaptionKind(track.kind)
            )
        ids[entry.key] = asset.id
    return ids


def _draw(entry: demo.DemoMedia) -> bytes:
    if entry.generator == "video_file":  # rendered beforehand by demo/make_videos.py, committed
        return (VIDEO_DIR / str(entry.args["file"])).read_bytes()
    args = dict(entry.args)
    if "palette" in args and isinstance(args["palette"], str):
        args["palette"] = demo.PALETTES.index(args["palette"]) if args["palette"] in demo.PALETTES else 0
    drawn: bytes = getattr(generate, entry.generator)(**args)
    return drawn


async def _one_chunk(data: bytes) -> AsyncIterator[bytes]:
    yield data
