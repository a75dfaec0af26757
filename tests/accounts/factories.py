"""Arrange steps for accounts: people with roles, and bearer tokens for them."""

from __future__ import annotations

from models.accounts import User
from models.base import Role
from resolvers import accounts, second_factor


async def make_user(
    username: str,
    *roles: Role,
    password: str = "correct horse battery",
    display_name: str | None = None,
    organization_id: int | None = None,
) -> User:
    """Create an account directly (arrange step)."""
    return await accounts.create_user_unchecked(
        username=username,
        password=password,
        display_name=display_name or username.title(),
        roles=list(roles) or [Role.LEARNER],
        organization_id=organization_id,
    )


async def token_for(username: str, *roles: Role, organization_id: int | None = None) -> str:
    """Create a user and return a bearer token for them."""
    user = await make_user(username, *roles, organization_id=organization_id)
    session = await accounts._open_session(user)
    return session.token


async def enrol(user: User, secret: str | None = None) -> str:
    """Give a person a confirmed TOTP second factor; return its secret, so a test can make codes
    (`pyotp.TOTP(secret).now()`)."""
    secret, _ = await second_factor.enrol_unchecked(user, secret)
    return secret
