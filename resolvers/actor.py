"""Who is making a request: a user, an integration's API key, or nobody."""

from __future__ import annotations

from dataclasses import dataclass, field

from models.base import Role


@dataclass(frozen=True)
class PreviewGrant:
    """What a preview token (the Beacon-Preview header) lets its request read: drafts, nothing else.

    `family_id` None: every draft (a preview deployment of the portal); else one item's group (the
    original's id), so the item and its translations (resolvers/content/previews.py).
    """

    token_id: int
    family_id: int | None


@dataclass(frozen=True)
class Actor:
    """The caller as the permission layer sees it."""

    user_id: int | None = None
    roles: frozenset[Role] = field(default_factory=frozenset)
    organization_id: int | None = None
    api_key_id: int | None = None
    display_name: str | None = None
    # The sign-in (bearer token row) a person's request came with; None for API keys and anonymous.
    token_id: int | None = None
    # Why an admin is reading a consultation (break-glass): the `reason` argument or the
    # Beacon-Access-Reason header; recorded with the read and shown to the client.
    access_reason: str | None = None
    # A staff member signed in with their password only, who must set up a second factor first:
    # their id, for the enrolment mutations alone. Such a caller is otherwise anonymous (no user_id).
    enrolling_user_id: int | None = None
    # A preview token sent with the request (docs/content.md, "Previews"): which drafts it may also read.
    # It signs nobody in: a request with only a preview token is otherwise anonymous, and read-only.
    preview: PreviewGrant | None = None

    @property
    def is_anonymous(self) -> bool:
        return self.user_id is None and self.api_key_id is None

    @property
    def is_user(self) -> bool:
        return self.user_id is not None

    @property
    def is_integration(self) -> bool:
        return self.api_key_id is not None

    def has(self, *roles: Role) -> bool:
        """True when the actor holds any of these roles."""
        return any(r in self.roles for r in roles)


ANONYMOUS = Actor()
