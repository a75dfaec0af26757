"""Consent first: the versioned privacy notice, and each person's acceptance of it."""

from __future__ import annotations

from datetime import UTC, datetime

from tortoise.transactions import in_transaction

from models import sql
from models.accounts import User
from models.base import Role
from models.consultations import Consultation, PrivacyConsent, PrivacyNotice
from resolvers import permissions
from resolvers.actor import Actor
from resolvers.errors import Forbidden, Invalid, InvalidMany, NotFound
from resolvers.listing import Listing, of_queryset

DEFAULT_LOCALE = "zh-CN"
# What a person agrees to by accepting the notice: the purpose, and the data it lets the desk keep.
PURPOSE = "CONSULTATION_DESK"
SCOPE = ("ACCOUNT", "MESSAGES", "ATTACHMENTS", "HELP_PLANS", "VISITS", "ACCESS_LOG")


def _locale_candidates(locale: str | None) -> list[str]:
    """'en-GB' tries 'en-GB', then 'en', then the default."""
    wanted = (locale or DEFAULT_LOCALE).strip()
    candidates = [wanted, wanted.split("-")[0]]
    if wanted.lower().startswith("zh"):
        candidates.append(DEFAULT_LOCALE)
    return [*dict.fromkeys([*candidates, DEFAULT_LOCALE])]


async def current_version() -> int | None:
    """The newest published notice version (None before any is published)."""
    newest = await PrivacyNotice.all().order_by("-version").first()
    return newest.version if newest else None


async def current_notice(locale: str | None) -> PrivacyNotice:
    """The newest notice in the asked locale, falling back to Chinese."""
    version = await current_version()
    if version is None:
        raise NotFound("No privacy notice has been published yet.")
    texts = {n.locale.lower(): n for n in await PrivacyNotice.filter(version=version)}
    for candidate in _locale_candidates(locale):
        if candidate.lower() in texts:
            return texts[candidate.lower()]
    return next(iter(texts.values()))


async def accepted_version(user_id: int) -> int | None:
    """The version this person accepted and has not withdrawn, if any."""
    consent = await PrivacyConsent.filter(user_id=user_id, withdrawn_at=None).order_by("-id").first()
    return consent.version if consent else None


async def has_current_consent(user_id: int) -> bool:
    version = await current_version()
    return version is not None and await accepted_version(user_id) == version


async def require_current_consent(user_id: int, *, own: bool) -> None:
    """FORBIDDEN unless this client has accepted the current notice (and not withdrawn it)."""
    if await has_current_consent(user_id):
        return
    if own:
        raise Forbidden(
            "Accept the current privacy notice (see privacyNotice) before opening a consultation, "
            "sending a message or uploading a file."
        )
    raise Forbidden(
        "The client has not accepted the current privacy notice (or has withdrawn consent), "
        "so nothing new can be added to this consultation."
    )


async def require_for_processing(actor: Actor, consultation: Consultation) -> None:
    """The one gate of every new processing of a client's consultation data (docs/security.md 11.7).

    Messages, help plans, visit requests, scheduling and completing visits all need the client's
    current consent, whoever writes. What only stops or acknowledges (closing, cancelling a visit,
    marking messages read) and reading what exists stay possible after a withdrawal.
    """
    await require_current_consent(consultation.client_id, own=actor.user_id == consultation.client_id)


async def require_for_upload(actor: Actor) -> None:
    """Attachments: a learner's or client's upload needs their own current consent.

    An expert's (or staff member's) file reaches a client only by a message, and sending one needs
    the client's consent (require_for_processing).
    """
    if actor.has(Role.EXPERT, Role.EDITOR, Role.ADMIN):
        return
    await require_current_consent(permissions.require_user(actor), own=True)


async def accept(actor: Actor, version: int, locale: str | None = None) -> int:
    """Record acceptance of the current notice version, with the purpose, scope and the text shown; return it."""
    user_id = permissions.require_user(actor)
    current = await current_version()
    if current is None or version != current:
        raise Invalid(f"Version {version} is not the current privacy notice (version {current}).", field="version")
    await sql.lock(User, user_id)  # two accepts at once leave one open consent row
    if await accepted_version(user_id) == version:
        return version
    notice = await current_notice(locale)
    now = datetime.now(UTC)
    await PrivacyConsent.filter(user_id=user_id, withdrawn_at=None).update(withdrawn_at=now)
    await PrivacyConsent.create(
        user_id=user_id,
        version=version,
        accepted_at=now,
        purpose=PURPOSE,
        scope=list(SCOPE),
        locale=notice.locale,
        notice_text=notice.text,
    )
    return version


async def records(actor: Actor) -> list[PrivacyConsent]:
    """Everything the caller agreed to (and withdrew), newest first: their own records only."""
    if actor.user_id is None:
        return []
    return await PrivacyConsent.filter(user_id=actor.user_id).order_by("-accepted_at", "-id")


async def withdraw(actor: Actor) -> None:
    """Withdraw consent: no new consultations or messages; everything that exists is kept."""
    permissions.require_user(actor)
    await PrivacyConsent.filter(user_id=actor.user_id, withdrawn_at=None).update(withdrawn_at=datetime.now(UTC))


MAX_NOTICE = 20000


def notices() -> Listing[PrivacyNotice]:
    """Every published notice text, newest version first (published texts are public)."""
    return of_queryset(PrivacyNotice.all().order_by("-version", "locale"))


async def publish(actor: Actor, texts: dict[str, str]) -> list[PrivacyNotice]:
    """Admins publish a new version (zh-CN required); everyone must accept it before new consultation writes."""
    permissions.require_role(actor, permissions.is_admin(actor), "Only admins publish privacy notices.")
    problems: list[Invalid] = []
    cleaned: dict[str, str] = {}
    for index, (locale, text) in enumerate(texts.items()):
        code, body = locale.strip(), text.strip()
        if not 2 <= len(code) <= 16 or not code.replace("-", "").isalnum() or not code.isascii():
            problems.append(Invalid("Give a locale such as zh-CN or en.", field=f"input.texts.{index}.locale"))
        elif not 1 <= len(body) <= MAX_NOTICE:
            problems.append(
                Invalid(f"Write the notice in 1–{MAX_NOTICE} characters.", field=f"input.texts.{index}.text")
            )
        else:
            cleaned[code] = body
    if DEFAULT_LOCALE not in cleaned and not problems:
        problems.append(Invalid("The Chinese (zh-CN) text is required.", field="input.texts"))
    if problems:
        raise InvalidMany(list(problems)) if len(problems) > 1 else problems[0]
    async with in_transaction():
        newest = await PrivacyNotice.all().order_by("-version").select_for_update().first()
        version = (newest.version if newest else 0) + 1
        now = datetime.now(UTC)
        return [
            await PrivacyNotice.create(version=version, locale=code, text=body, published_at=now)
            for code, body in cleaned.items()
        ]
