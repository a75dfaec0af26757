"""Preview tokens (issue 12): read-only links that show drafts to people who cannot sign in as editors.

An editor (or admin) creates one for one lesson or story, or for every draft (a preview deployment
of the portal), with a lifetime (BEACON_PREVIEW_HOURS by default, BEACON_PREVIEW_MAX_HOURS at most).
The secret is returned once; only its SHA-256 is stored (`accounts.secret_digest`, as for sessions,
refresh tokens and API keys). Sent as the `Beacon-Preview` header it adds a `PreviewGrant` to the
request's actor: `lesson`, `story`, `node` (and, for an all-drafts token, the lists and search) show
the items in its scope in their current working version. It signs nobody in, so it grants nothing
else, and a mutation sent with only a preview token is refused (schema/content/previews.py). An
expired, revoked or unknown token is refused with HTTP 401 UNAUTHENTICATED and a `preview_*` reason,
never answered as if it had not been sent. Creation and revocation are recorded in `account_audit`
beside the other credential events; the retention purge deletes ended tokens (resolvers/retention.py).
"""

from __future__ import annotations

import logging
import secrets
from datetime import UTC, datetime, timedelta
from urllib.parse import urlencode

from tortoise.expressions import Q
from tortoise.queryset import QuerySet

from models.accounts import AccountAudit
from models.content import ContentItem, ContentType, PreviewToken
from resolvers import accounts, permissions
from resolvers.actor import Actor, PreviewGrant
from resolvers.errors import CredentialRejected, Invalid, NotFound
from resolvers.listing import Listing, of_queryset
from resolvers.transaction import unit_of_work

log = logging.getLogger("beacon.content")

PREVIEW_PREFIX = "bp_"
LABEL_MAX_LENGTH = 100
CREATED = "preview_token_created"
REVOKED = "preview_token_revoked"


def _editor(actor: Actor, message: str) -> int:
    """Editors and admins only (UNAUTHENTICATED when signed out, else FORBIDDEN); their user id."""
    permissions.require_role(actor, permissions.can_edit_content(actor), message)
    return permissions.require_user(actor)  # can_edit_content holds only for a signed-in person


def lifetime(hours: int | None, *, default_hours: int, max_hours: int) -> timedelta:
    """A new token's lifetime: the default when none is asked for, else 1 hour to the maximum."""
    if hours is None:
        return timedelta(hours=default_hours)
    if not 1 <= hours <= max_hours:
        raise Invalid(f"Give a lifetime of 1 to {max_hours} hours.", field="input.expiresInHours")
    return timedelta(hours=hours)


async def create(actor: Actor, *, item_id: int | None, label: str, expires_in: timedelta) -> tuple[PreviewToken, str]:
    """A new preview token (for one item, or every draft with item_id None) and its secret, shown once."""
    user_id = _editor(actor, "Only editors and admins can create preview links.")
    label = label.strip()
    if not 1 <= len(label) <= LABEL_MAX_LENGTH:
        raise Invalid(f"Give a label of 1–{LABEL_MAX_LENGTH} characters.", field="input.label")
    if item_id is not None and not await ContentItem.exists(id=item_id):
        raise NotFound("No such lesson or story.", field="input.itemId")
    secret = PREVIEW_PREFIX + secrets.token_urlsafe(32)
    async with unit_of_work():
        token = await PreviewToken.create(
            token_hash=accounts.secret_digest(secret),
            label=label,
            item_id=item_id,
            created_by_id=user_id,
            expires_at=datetime.now(UTC) + expires_in,
        )
        await AccountAudit.create(actor_user_id=user_id, subject_user_id=user_id, action=CREATED)
    log.info("user %s created preview token %s (item %s)", user_id, token.id, item_id or "every draft")
    return token, secret


async def revoke(actor: Actor, token_id: int) -> PreviewToken:
    """End a preview token at once (any editor or admin may end any; ending an ended one changes nothing)."""
    user_id = _editor(actor, "Only editors and admins can revoke preview links.")
    async with unit_of_work():
        token = await PreviewToken.get_or_none(id=token_id)
        if token is None:
            raise NotFound("No such preview link.", field="id")
        if token.revoked_at is None:
            token.revoked_at = datetime.now(UTC)
            await token.save(update_fields=["revoked_at"])
            await AccountAudit.create(
                actor_user_id=user_id, subject_user_id=token.created_by_id or user_id, action=REVOKED
            )
            log.info("user %s revoked preview token %s", user_id, token.id)
    return token


def list_tokens(actor: Actor, *, item_id: int | None, active: bool | None) -> Listing[PreviewToken]:
    """Every preview token (editors share the drafts, so they see each other's links), newest first; never secrets."""
    permissions.require_role(
        actor, permissions.can_edit_content(actor), "Only editors and admins can list preview links."
    )
    queryset: QuerySet[PreviewToken] = PreviewToken.all()
    if item_id is not None:
        queryset = queryset.filter(item_id=item_id)
    now = datetime.now(UTC)
    if active is True:
        queryset = queryset.filter(revoked_at=None, expires_at__gt=now)
    elif active is False:
        queryset = queryset.filter(Q(revoked_at__isnull=False) | Q(expires_at__lte=now))
    return of_queryset(queryset.order_by("-created_at", "-id"))


async def grant_for(secret: str) -> PreviewGrant:
    """The grant of a Beacon-Preview header; CredentialRejected (preview_expired/revoked/invalid) otherwise."""
    token = await PreviewToken.get_or_none(token_hash=accounts.secret_digest(secret))
    if token is None:
        raise CredentialRejected("preview_invalid")
    now = datetime.now(UTC)
    if token.revoked_at is not None:
        raise CredentialRejected("preview_revoked")
    if token.expires_at <= now:
        raise CredentialRejected("preview_expired")
    if token.last_used_at is None or now - token.last_used_at >= accounts.LAST_USE_EVERY:
        await PreviewToken.filter(id=token.id).update(last_used_at=now)
    family = None
    if token.item_id is not None:
        item = await ContentItem.get_or_none(id=token.item_id).only("id", "translation_of_id")
        family = (item.translation_of_id if item else None) or token.item_id
    return PreviewGrant(token_id=token.id, family_id=family)


async def link(token: PreviewToken, secret: str, portal_url: str | None) -> str | None:
    """Where the portal shows the preview: <portal>/preview?token=…[&type=lesson&slug=…&locale=…]; None without a portal."""
    if portal_url is None:
        return None
    query = {"token": secret}
    if token.item_id is not None:
        item = await ContentItem.get_or_none(id=token.item_id)
        if item is not None:
            kind = "lesson" if item.content_type == ContentType.LESSON else "story"
            query.update({"type": kind, "slug": item.slug, "locale": item.locale})
    return f"{portal_url}/preview?{urlencode(query)}"


def ended_before(cutoff: datetime) -> QuerySet[PreviewToken]:
    """Tokens that expired or were revoked before the cutoff (the retention purge deletes them)."""
    return PreviewToken.filter(Q(expires_at__lt=cutoff) | Q(revoked_at__lt=cutoff))
