"""Message attachments: private media of the sender, fetched only by the thread's two parties (and audited admins)."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence

from models.consultations import Consultation, ConsultationMessage, MessageAttachment
from models.content import MediaAsset
from resolvers import permissions
from resolvers.actor import Actor
from resolvers.consultations import audit
from resolvers.content import media as content_media
from resolvers.errors import Invalid

MAX_ATTACHMENTS = 10


async def attach(actor: Actor, message: ConsultationMessage, media_ids: Sequence[int], *, field: str) -> None:
    """Attach the sender's own uploads to a new message (inside its transaction), making them private."""
    if not media_ids:
        return
    if len(set(media_ids)) > MAX_ATTACHMENTS:
        raise Invalid(f"Attach at most {MAX_ATTACHMENTS} files to a message.", field=field)
    assets = await content_media.claim_private(permissions.require_user(actor), media_ids, field=field)
    await MessageAttachment.bulk_create(
        [MessageAttachment(message_id=message.id, media_id=a.id, position=i) for i, a in enumerate(assets)]
    )


async def media_by_message_id(ids: Sequence[int]) -> list[list[MediaAsset]]:
    """Batch: each message's attachments, in order (callers hold a message they may read)."""
    grouped: dict[int, list[MediaAsset]] = defaultdict(list)
    for link in await MessageAttachment.filter(message_id__in=list(ids)).select_related("media").order_by("position"):
        grouped[link.message_id].append(link.media)
    return [grouped[i] for i in ids]


async def may_fetch(actor: Actor, media_ids: Sequence[int]) -> bool:
    """The /media check: the file is attached in a thread the caller takes part in; an admin's fetch is audited."""
    if not actor.is_user:
        return False
    if await MediaAsset.exists(id__in=list(media_ids), uploaded_by_id=actor.user_id):
        return True  # the uploader, also before sending
    thread_ids = await MessageAttachment.filter(media_id__in=list(media_ids)).values_list(
        "message__consultation_id", flat=True
    )
    consultations = await Consultation.filter(id__in=set(thread_ids)) if thread_ids else []
    if any(permissions.is_consultation_party(actor, c) for c in consultations):
        return True
    readable = [c for c in consultations if permissions.can_read_consultation(actor, c)]
    for consultation in readable:
        await audit.record_read_if_audited(actor, consultation, "attachment " + ",".join(map(str, media_ids))[:150])
    return bool(readable)


content_media.register_private_media_check(may_fetch)
