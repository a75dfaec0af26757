"""Domain exceptions. They carry data only; schema/errors.py maps them to responses."""

from __future__ import annotations

import math

VOWELS = "aeiou"


def a_or_an(word: str, *, capital: bool = False) -> str:
    """The word with its indefinite article, for messages that name a type or a status: "an Organization",
    "an ARCHIVED", "an IN_REVIEW", "a DRAFT", "a User" (a u sounded "you", as in user or unit, takes "a")."""
    lower = word.lower()
    sounds_you = lower.startswith("u") and len(lower) > 2 and lower[1] not in VOWELS and lower[2] in VOWELS
    article = "an" if lower[:1] in VOWELS and not sounds_you else "a"
    return f"{article.capitalize() if capital else article} {word}"


class DomainError(Exception):
    """Base of every error a caller can be told about."""

    code = "INVALID"

    def __init__(self, message: str, *, field: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.field = field


class Invalid(DomainError):
    code = "INVALID"


class NotFound(DomainError):
    code = "NOT_FOUND"


class Forbidden(DomainError):
    code = "FORBIDDEN"


class ReasonRequired(DomainError):
    """An admin opened someone's consultation without stating why (break-glass reads need a reason)."""

    code = "REASON_REQUIRED"


class SecondFactorRequired(DomainError):
    """The password was right; the account needs its second-factor code too (resend both)."""

    code = "SECOND_FACTOR_REQUIRED"


class Unauthenticated(DomainError):
    code = "UNAUTHENTICATED"


CREDENTIAL_MESSAGES = {
    "expired": "Your sign-in has expired; sign in again.",
    "revoked": "This sign-in was ended (signed out, password changed or key revoked); sign in again.",
    "invalid": "This token or API key is not valid; sign in again.",
    "deactivated": "This account is deactivated.",
    "link_expired": "This media link has expired; fetch the file's signedUrl again.",
    "link_invalid": "This media link is not valid.",
    # A Beacon-Preview header (resolvers/content/previews.py): the preview link, not a sign-in, is refused.
    "preview_expired": "This preview link has expired; ask an editor for a new one.",
    "preview_revoked": "This preview link was revoked; ask an editor for a new one.",
    "preview_invalid": "This preview link is not valid; ask an editor for a new one.",
}


class CredentialRejected(Unauthenticated):
    """A bearer token or API key was sent but signs nobody in; `reason` says why (never anonymous)."""

    def __init__(self, reason: str) -> None:
        super().__init__(CREDENTIAL_MESSAGES[reason])
        self.reason = reason


class SessionEnded(DomainError):
    """refreshSession: the refresh token's session ended (signed out, revoked, expired, deactivated) or never was."""

    code = "SESSION_ENDED"


class RefreshTokenReused(DomainError):
    """refreshSession: the refresh token was already traded for a new one; its whole session ended."""

    code = "REFRESH_TOKEN_REUSED"


class Conflict(DomainError):
    code = "CONFLICT"


class RateLimited(DomainError):
    """Too many attempts; `retry_after` says in how many seconds the caller may try again."""

    code = "RATE_LIMITED"

    def __init__(self, message: str, *, retry_after: float, field: str | None = None) -> None:
        super().__init__(message, field=field)
        self.retry_after = max(1, math.ceil(retry_after))


class TooLarge(DomainError):
    code = "TOO_LARGE"


class UnsupportedFormat(DomainError):
    code = "UNSUPPORTED_FORMAT"


class StorageUnavailable(DomainError):
    """The disk refused to store an upload: a UserError the caller can retry (unlike ServiceUnavailable)."""

    code = "SERVICE_UNAVAILABLE"


class ServiceUnavailable(DomainError):
    """A backing service (database, Redis) cannot be reached right now."""

    code = "SERVICE_UNAVAILABLE"


class InvalidMany(DomainError):
    """Several input problems at once, reported together."""

    def __init__(self, errors: list[DomainError]) -> None:
        super().__init__("; ".join(e.message for e in errors))
        self.errors = errors
