"""Message attachments: private media of the sender, fetched only by the thread's two parties (the expert audited) and audited admins."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from tortoise.expressions import Subquery
from tortoise.queryset import QuerySet

import media
from models.consultations import Consultation, ConsultationMessage, MessageAttachment
from models.content import MediaAsset
from resolvers import permissions
from resolvers.actor import Actor
from resolvers.consultations import audit, consent
from resolvers.content import media as content_media
from resolvers.errors import Invalid

MAX_ATTACHMENTS = 10
# A file stored again this recently may be about to get a new row (same bytes): purges leave it.
FILE_GRACE_SECONDS = 3600


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


async def may_fetch(actor: Actor, media_ids: Sequence[int]) -> bool:
    """The /media check (bearer header or signed link): may the caller have this private file?

    The uploader may (also before sending); so may a party of a thread the file is attached to, and an
    admin who stated a reason. A fetch in a thread is a read of it and is audited exactly as reading a
    message there: the expert's (EXPERT_READ, once per thread in 10 minutes) and an admin's (ADMIN_READ
    with the reason) are recorded before the file is served; the client's own are not.
    """
    if not actor.is_user:
        return False
    attached = await MessageAttachment.filter(media_id__in=list(media_ids)).values_list(
        "media_id", "message__consultation_id"
    )
    in_thread: dict[int, set[int]] = {}
    for media_id, consultation_id in attached:
        in_thread.setdefault(consultation_id, set()).add(media_id)
    consultations = await Consultation.filter(id__in=list(in_thread)) if in_thread else []
    # An admin's fetch needs a stated reason (Beacon-Access-Reason header), like their reads of messages.
    readable = [
        c
        for c in consultations
        if permissions.is_consultation_party(actor, c)
        or (permissions.can_read_consultation(actor, c) and actor.access_reason)
    ]
    for consultation in readable:
        what = "attachment " + ",".join(map(str, sorted(in_thread[consultation.id])))
        await audit.record_read_if_audited(actor, consultation, what[:150])
    if readable:
        return True
    return await MediaAsset.exists(id__in=list(media_ids), uploaded_by_id=actor.user_id)  # not sent yet


def unattached_uploads(created_before: datetime) -> QuerySet[MediaAsset]:
    """Private uploads made before the cutoff that no message took (the retention purge's candidates)."""
    return MediaAsset.filter(is_private=True, created_at__lt=created_before).exclude(id__in=_attached())


def _attached() -> Subquery:
    return Subquery(MessageAttachment.all().values("media_id"))


async def drop_unattached(storage: media.MediaStorage, ids: Sequence[int]) -> list[int]:
    """Delete these private uploads if no message holds them: rows first, then files no row uses. The ids deleted."""
    if not ids:
        return []
    rows = await MediaAsset.filter(id__in=list(ids), is_private=True).values_list(
        "id", "sha256", "extension", "sealed_name"
    )
    # The NOT IN is repeated in the DELETE, so a message attaching one of them this instant keeps it.
    await MediaAsset.filter(id__in=[pk for pk, _, _, _ in rows]).exclude(id__in=_attached()).delete()
    kept = set(await MediaAsset.filter(id__in=list(ids)).values_list("id", flat=True))
    for pk, _, _, name in rows:
        if name is not None and pk not in kept:
            await storage.delete_sealed(name)  # a sealed file belongs to its row alone
    for sha256, extension in {(sha, ext) for pk, sha, ext, name in rows if name is None and pk not in kept}:
        if not await MediaAsset.exists(sha256=sha256):
            await storage.delete(sha256, extension, idle_seconds=FILE_GRACE_SECONDS)
    return sorted(pk for pk, _, _, _ in rows if pk not in kept)


content_media.register_private_media_check(may_fetch)
content_media.register_attachment_gate(consent.require_for_upload)
