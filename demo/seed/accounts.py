"""Demo organizations and users (users only in development: their passwords are printed)."""

from __future__ import annotations

from demo import ORGANIZATIONS, USERS
from demo.accounts import STAFF_TOTP_SECRET
from models.accounts import Organization, User
from models.base import Role
from resolvers import accounts, passwords, second_factor
from settings import Settings


async def seed(settings: Settings) -> list[str]:
    for demo_org in ORGANIZATIONS:
        if not await Organization.exists(name=demo_org.name):
            await Organization.create(name=demo_org.name, kind=demo_org.kind, region=demo_org.region)
    if settings.production:
        return ["Demo users are only created when BEACON_ENV=development."]
    orgs = {o.key: await Organization.get(name=o.name) for o in ORGANIZATIONS}
    # One argon2 hash per published password: the 18 experts share one password, and so one hash.
    hashes: dict[str, str] = {}
    for user in USERS:
        if not await User.exists(username_key=accounts.username_key(user.username)):
            if user.password not in hashes:
                hashes[user.password] = await passwords.hash_password(user.password)
            org = orgs.get(user.organization_key) if user.organization_key else None
            await accounts.create_user_unchecked(
                username=user.username,
                password=user.password,
                password_hash=hashes[user.password],
                display_name=user.display_name,
                roles=[Role(r) for r in user.roles],
                organization_id=org.id if org else None,
            )
    rows = [("username", "password", "roles"), *((u.username, u.password, ", ".join(u.roles)) for u in USERS)]
    return ["Demo sign-ins (development only):", *columns(rows), *await _staff_second_factor(settings)]


async def _staff_second_factor(settings: Settings) -> list[str]:
    """With the second factor required, demo staff have one already, from a secret printed here."""
    if not settings.staff_second_factor:
        return []
    for user in await User.filter(totp_confirmed_at=None):
        if second_factor.is_staff(user):
            await second_factor.enrol_unchecked(user, STAFF_TOTP_SECRET)
    uri = second_factor.otpauth_uri(STAFF_TOTP_SECRET, "demo-staff")
    return [
        f"Demo staff (ADMIN, EXPERT) also give a code from an authenticator app holding {STAFF_TOTP_SECRET}",
        f"({uri}), or from: python -c \"import pyotp; print(pyotp.TOTP('{STAFF_TOTP_SECRET}').now())\"",
    ]


def columns(rows: list[tuple[str, str, str]]) -> list[str]:
    """Rows as lines whose columns line up, however long the longest entry (usernames and passwords are ASCII)."""
    widths = [max(len(row[i]) for row in rows) for i in range(2)]
    return [f"  {a:<{widths[0]}}  {b:<{widths[1]}}  {c}" for a, b, c in rows]
