"""Beacon's configuration, read from the environment once."""

from __future__ import annotations

import base64
import binascii
import os
import secrets
from dataclasses import dataclass
from pathlib import Path
from typing import Any

MB = 1024 * 1024


class ConfigError(Exception):
    """The environment does not describe a runnable Beacon."""


@dataclass(frozen=True)
class Settings:
    """Everything configurable about one Beacon process."""

    database_url: str
    data_dir: Path
    secret_key: str
    env: str = "development"
    # Key-encryption keys for data at rest (docs/privacy.md): the first wraps new data keys, the others
    # only unwrap (during a rotation). Empty: a development key kept in the data folder.
    data_keys: tuple[str, ...] = ()
    redis_url: str | None = None
    # Namespace of this deployment's Redis channels (several deployments may share one Redis).
    events_prefix: str = "beacon"
    # The longest a request waits on Redis (publishing after a commit, subscribing), in seconds.
    events_timeout: float = 1.0
    cors_origins: tuple[str, ...] = ()
    log_format: str = "text"
    max_upload_bytes: int = 100 * 1024 * 1024
    max_body_bytes: int = 1024 * 1024
    # Uploads per person (docs/security.md, 11.8): attachments are smaller than editors' media,
    # and everyone has a daily and a lifetime total and an hourly count; staff get their own.
    max_attachment_bytes: int = 20 * MB
    upload_daily_bytes: int = 100 * MB
    upload_total_bytes: int = 500 * MB
    uploads_per_hour: int = 30
    staff_upload_daily_bytes: int = 10 * 1024 * MB
    staff_upload_total_bytes: int = 500 * 1024 * MB
    staff_uploads_per_hour: int = 600
    media_reserve_bytes: int = 512 * MB
    # Retention (docs/privacy.md, "Retention"): how long each kind of record lives before the purge.
    unattached_upload_hours: int = 24
    # Throttle events (docs/security.md, 11.13) are deleted after this; at least a day (the longest window).
    throttle_retention_hours: int = 48
    closed_consultation_days: int = 365
    closed_attachment_days: int = 365  # at most closed_consultation_days
    expired_token_days: int = 30
    expired_api_key_days: int = 365
    # Erasure (docs/privacy.md): days between a deletion request (the account is deactivated at once) and the erasure.
    deletion_grace_days: int = 14
    # exportMyData (docs/privacy.md): how long an export's download link works.
    export_link_hours: int = 24
    # Image decoding (11.3): worker processes per server process, jobs per caller, the queue, the budget.
    image_workers: int = 1
    image_jobs_per_caller: int = 1
    image_queue: int = 32
    image_max_decoded_bytes: int = 200_000_000
    token_ttl_seconds: int = 30 * 24 * 3600
    # Everyone but staff (docs/accounts.md): an access token lives this long and is renewed with the
    # session's refresh token, which lives token_ttl_seconds.
    access_token_seconds: int = 60 * 60
    # Staff (experts, admins) sign in with a TOTP second factor, enrolled at their first sign-in
    # (docs/accounts.md); their sessions end after this long without use, and at the latest after
    # the second limit.
    staff_second_factor: bool = True
    staff_idle_seconds: int = 30 * 60
    staff_session_seconds: int = 12 * 3600
    # Break-glass (docs/privacy.md): more consultations than this opened by one admin within an hour raise an alert.
    admin_reads_alert_per_hour: int = 20
    # How often each process asks the database about every open socket's credential (docs/security.md, 11.1).
    socket_recheck_seconds: float = 30.0
    # graphql-ws sockets (docs/security.md, 11.13): open at once per person or API key, per
    # anonymous address (both per server process), and operations in flight on one socket.
    sockets_per_user: int = 10
    sockets_per_address: int = 20
    subscriptions_per_socket: int = 10
    query_max_depth: int = 12
    query_max_aliases: int = 30
    # Documents (docs/security.md, 11.2): tokens and characters; the merge limits are in schema/limits.py.
    query_max_tokens: int = 1000
    query_max_characters: int = 32_768
    query_max_directives: int = 50
    query_max_cost: int = 25000
    # nginx's internal location for media (X-Accel-Redirect); None: Beacon streams media itself.
    media_accel_prefix: str | None = None
    # Public-read response cache (docs/caching.md): on/off, freshness for CDNs and the server, size.
    response_cache: bool = True
    response_cache_max_age: int = 30
    response_cache_stale_while_revalidate: int = 60
    response_cache_entries: int = 2000
    # JSON map sha256 -> document: when set, only these documents run (trusted documents).
    trusted_documents: Path | None = None
    # Integrations (docs/integrations.md): where links in e-mails point, SMTP, and the outbox's timing.
    public_url: str = "http://127.0.0.1:8000"
    # Prefix of every media URL (BEACON_MEDIA_URL, a CDN; else BEACON_PUBLIC_URL when it is set);
    # "" keeps them root-relative.
    media_url_base: str = ""
    # The public portal where clients and learners read (the frontend teams' site): e-mails to a
    # consultation's client link there, never to the staff console; None: such e-mails carry no link.
    portal_url: str | None = None
    # Preview links of drafts (docs/content.md, "Previews"): a new token's lifetime when the editor
    # gives none, and the longest one they may ask for.
    preview_hours: int = 72
    preview_max_hours: int = 30 * 24
    smtp_url: str | None = None
    smtp_from: str = "Beacon <noreply@localhost>"
    outbox_dispatch: bool = True
    outbox_poll_seconds: float = 2.0
    outbox_retry_base_seconds: float = 10.0
    outbox_retry_cap_seconds: float = 6 * 3600.0
    outbox_max_age_seconds: float = 3 * 24 * 3600.0
    outbox_lease_seconds: float = 60.0
    delivery_timeout_seconds: float = 10.0
    notice_delay_seconds: float = 300.0
    # Deadlines in seconds (docs/architecture.md, "Outages and deadlines"): a GraphQL request over HTTP, one
    # PostgreSQL statement, waiting for a pooled PostgreSQL connection.
    request_timeout: float = 8.0
    db_statement_timeout: float = 5.0
    db_acquire_timeout: float = 3.0
    # GraphiQL's third-party files (`beacon install-assets`); None: the `vendor/` folder beside the code.
    vendor_dir: Path | None = None

    @property
    def production(self) -> bool:
        return self.env == "production"

    @property
    def media_dir(self) -> Path:
        return self.data_dir / "media"


def _default_database_url(data_dir: Path) -> str:
    return f"sqlite://{(data_dir / 'beacon.sqlite3').resolve()}"


def _development_secret(data_dir: Path) -> str:
    """Generate a secret once and keep it in the data folder, so tokens survive restarts."""
    path = data_dir / "secret_key"
    if path.exists():
        return path.read_text().strip()
    data_dir.mkdir(parents=True, exist_ok=True)
    key = secrets.token_urlsafe(48)
    path.write_text(key)
    path.chmod(0o600)
    return key


DATA_KEY_BYTES = 32


def parse_data_key(text: str) -> bytes:
    """A key-encryption key: 32 random bytes in (url-safe) base64."""
    try:
        raw = base64.urlsafe_b64decode(text.strip() + "=" * (-len(text.strip()) % 4))
    except (binascii.Error, ValueError):
        raw = b""
    if len(raw) != DATA_KEY_BYTES:
        raise ConfigError(
            "BEACON_DATA_KEY must be 32 random bytes in base64 (several keys: comma-separated, the current one "
            "first); generate one with: python -c 'import base64,os; print(base64.urlsafe_b64encode(os.urandom(32)).decode())'"
        )
    return raw


def new_data_key() -> str:
    return base64.urlsafe_b64encode(secrets.token_bytes(DATA_KEY_BYTES)).decode()


def development_data_keys(data_dir: Path) -> tuple[str, ...]:
    """Generate a data key once and keep it in the data folder (development only)."""
    path = data_dir / "data_key"
    if not path.exists():
        data_dir.mkdir(parents=True, exist_ok=True)
        path.write_text(new_data_key())
        path.chmod(0o600)
    return _data_keys(path.read_text())


def _data_keys(raw: str) -> tuple[str, ...]:
    keys = tuple(k.strip() for k in raw.split(",") if k.strip())
    if not keys:
        raise ConfigError("BEACON_DATA_KEY names no key")
    for key in keys:
        parse_data_key(key)
    if len(set(keys)) != len(keys):
        raise ConfigError("BEACON_DATA_KEY names the same key twice")
    return keys


def _int(environ: dict[str, str], name: str, default: int) -> int:
    raw = environ.get(name)
    if raw is None or raw == "":
        return default
    try:
        value = int(raw)
    except ValueError:
        raise ConfigError(f"{name} must be a whole number, not {raw!r}") from None
    if value <= 0:
        raise ConfigError(f"{name} must be positive")
    return value


def _seconds(environ: dict[str, str], name: str, default: float) -> float:
    raw = environ.get(name)
    if raw is None or raw == "":
        return default
    try:
        value = float(raw)
    except ValueError:
        raise ConfigError(f"{name} must be a number of seconds, not {raw!r}") from None
    if not 0 < value < 3600:
        raise ConfigError(f"{name} must be more than 0 and less than 3600 seconds")
    return value


def _deadlines(environ: dict[str, str]) -> tuple[float, float, float]:
    """Request, statement and acquire deadlines; the request's leaves the database's room to answer first."""
    request = _seconds(environ, "BEACON_REQUEST_TIMEOUT", 8.0)
    statement = _seconds(environ, "BEACON_DB_STATEMENT_TIMEOUT", 5.0)
    acquire = _seconds(environ, "BEACON_DB_ACQUIRE_TIMEOUT", 3.0)
    if request <= max(statement, acquire):
        raise ConfigError(
            "BEACON_REQUEST_TIMEOUT must be longer than BEACON_DB_STATEMENT_TIMEOUT and BEACON_DB_ACQUIRE_TIMEOUT"
        )
    return request, statement, acquire


def _float(environ: dict[str, str], name: str, default: float) -> float:
    """Positive seconds with no upper bound (the outbox's retry window is days)."""
    raw = environ.get(name)
    if raw is None or raw == "":
        return default
    try:
        value = float(raw)
    except ValueError:
        raise ConfigError(f"{name} must be a number of seconds, not {raw!r}") from None
    if not value > 0:
        raise ConfigError(f"{name} must be positive")
    return value


def _renamed(environ: dict[str, str], name: str, old_name: str, default: int) -> tuple[str, int]:
    """A BEACON_RETAIN_* setting, or its name before the retention settings were gathered (still read)."""
    if environ.get(name):
        return name, _int(environ, name, default)
    return (old_name, _int(environ, old_name, default)) if environ.get(old_name) else (name, default)


def _retention(environ: dict[str, str]) -> dict[str, int]:
    """The retention settings (docs/privacy.md, "Retention"), each a positive whole number of hours or days."""
    throttle_name, throttle_hours = _renamed(
        environ, "BEACON_RETAIN_THROTTLE_HOURS", "BEACON_THROTTLE_RETENTION_HOURS", 48
    )
    if throttle_hours < 24:
        raise ConfigError(f"{throttle_name} must be at least 24 (sign-in failures are counted over a day)")
    consultation_days = _int(environ, "BEACON_RETAIN_CLOSED_CONSULTATION_DAYS", 365)
    attachment_days = _int(environ, "BEACON_RETAIN_CLOSED_ATTACHMENT_DAYS", consultation_days)
    if attachment_days > consultation_days:
        raise ConfigError(
            "BEACON_RETAIN_CLOSED_ATTACHMENT_DAYS must not exceed BEACON_RETAIN_CLOSED_CONSULTATION_DAYS "
            "(attachments go with their consultation)"
        )
    return {
        "unattached_upload_hours": _renamed(
            environ, "BEACON_RETAIN_UNATTACHED_UPLOAD_HOURS", "BEACON_UNATTACHED_UPLOAD_HOURS", 24
        )[1],
        "throttle_retention_hours": throttle_hours,
        "closed_consultation_days": consultation_days,
        "closed_attachment_days": attachment_days,
        "expired_token_days": _int(environ, "BEACON_RETAIN_EXPIRED_TOKEN_DAYS", 30),
        "expired_api_key_days": _int(environ, "BEACON_RETAIN_EXPIRED_API_KEY_DAYS", 365),
        "deletion_grace_days": _int(environ, "BEACON_DELETION_GRACE_DAYS", 14),
        "export_link_hours": _int(environ, "BEACON_EXPORT_LINK_HOURS", 24),
    }


def _on_off(environ: dict[str, str], name: str, default: str) -> bool:
    value = environ.get(name, default).lower()
    if value not in ("on", "off"):
        raise ConfigError(f"{name} must be 'on' or 'off'")
    return value == "on"


def _media_url_base(env_vars: dict[str, str]) -> str:
    """Where media URLs point: a CDN's base, else the public URL when one is set, else nowhere (root-relative)."""
    base = (env_vars.get("BEACON_MEDIA_URL") or env_vars.get("BEACON_PUBLIC_URL") or "").rstrip("/")
    if base and not base.startswith(("https://", "http://")):
        raise ConfigError("BEACON_MEDIA_URL and BEACON_PUBLIC_URL must start with https:// or http://")
    return base


def _integration_settings(env_vars: dict[str, str]) -> dict[str, Any]:
    """The integrations part of Settings (outbox timing, SMTP, the public URL for links)."""
    smtp_url = env_vars.get("BEACON_SMTP_URL") or None
    if smtp_url and not smtp_url.startswith(("smtp://", "smtps://")):
        raise ConfigError("BEACON_SMTP_URL must start with smtp:// or smtps://")
    return {
        "public_url": (env_vars.get("BEACON_PUBLIC_URL") or "http://127.0.0.1:8000").rstrip("/"),
        "media_url_base": _media_url_base(env_vars),
        "portal_url": (env_vars.get("BEACON_PORTAL_URL") or "").rstrip("/") or None,
        "smtp_url": smtp_url,
        "smtp_from": env_vars.get("BEACON_SMTP_FROM") or "Beacon <noreply@localhost>",
        "outbox_dispatch": _on_off(env_vars, "BEACON_OUTBOX_DISPATCH", "on"),
        "outbox_poll_seconds": _float(env_vars, "BEACON_OUTBOX_POLL_SECONDS", 2.0),
        "outbox_retry_base_seconds": _float(env_vars, "BEACON_OUTBOX_RETRY_BASE_SECONDS", 10.0),
        "outbox_retry_cap_seconds": _float(env_vars, "BEACON_OUTBOX_RETRY_CAP_SECONDS", 6 * 3600.0),
        "outbox_max_age_seconds": _float(env_vars, "BEACON_OUTBOX_MAX_AGE_SECONDS", 3 * 24 * 3600.0),
        "outbox_lease_seconds": _float(env_vars, "BEACON_OUTBOX_LEASE_SECONDS", 60.0),
        "delivery_timeout_seconds": _float(env_vars, "BEACON_DELIVERY_TIMEOUT_SECONDS", 10.0),
        "notice_delay_seconds": _float(env_vars, "BEACON_NOTICE_DELAY_SECONDS", 300.0),
    }


def load_settings(environ: dict[str, str] | None = None) -> Settings:
    """Build Settings from environment variables (see the README's table)."""
    env_vars = dict(os.environ if environ is None else environ)
    env = env_vars.get("BEACON_ENV", "development")
    if env not in ("development", "production"):
        raise ConfigError("BEACON_ENV must be 'development' or 'production'")
    data_dir = Path(env_vars.get("BEACON_DATA_DIR", "./data"))
    secret = env_vars.get("BEACON_SECRET_KEY", "")
    if not secret:
        if env == "production":
            raise ConfigError(
                "BEACON_SECRET_KEY is not set: production refuses to start without a secret key "
                "(generate one with: python -c 'import secrets; print(secrets.token_urlsafe(48))')"
            )
        secret = _development_secret(data_dir)
    raw_data_key = env_vars.get("BEACON_DATA_KEY", "")
    if raw_data_key.strip():
        data_keys = _data_keys(raw_data_key)
    elif env == "production":
        raise ConfigError(
            "BEACON_DATA_KEY is not set: production refuses to start without the key that encrypts consultations "
            "at rest (it is not BEACON_SECRET_KEY; see docs/privacy.md)"
        )
    else:
        data_keys = development_data_keys(data_dir)
    log_format = env_vars.get("BEACON_LOG_FORMAT", "text")
    if log_format not in ("text", "json"):
        raise ConfigError("BEACON_LOG_FORMAT must be 'text' or 'json'")
    response_cache = env_vars.get("BEACON_RESPONSE_CACHE", "on").lower()
    if response_cache not in ("on", "off"):
        raise ConfigError("BEACON_RESPONSE_CACHE must be 'on' or 'off'")
    trusted = env_vars.get("BEACON_TRUSTED_DOCUMENTS") or None
    if trusted and not Path(trusted).is_file():
        raise ConfigError(f"BEACON_TRUSTED_DOCUMENTS names no readable file: {trusted}")
    request_timeout, statement_timeout, acquire_timeout = _deadlines(env_vars)
    second_factor = env_vars.get("BEACON_STAFF_SECOND_FACTOR", "required").lower()
    if second_factor not in ("required", "off"):
        raise ConfigError("BEACON_STAFF_SECOND_FACTOR must be 'required' or 'off'")
    origins = tuple(o.strip() for o in env_vars.get("BEACON_CORS_ORIGINS", "").split(",") if o.strip())
    preview_hours = _int(env_vars, "BEACON_PREVIEW_HOURS", 72)
    preview_max_hours = _int(env_vars, "BEACON_PREVIEW_MAX_HOURS", 30 * 24)
    if preview_hours > preview_max_hours:
        raise ConfigError("BEACON_PREVIEW_HOURS must not exceed BEACON_PREVIEW_MAX_HOURS")
    return Settings(
        database_url=env_vars.get("BEACON_DATABASE_URL") or _default_database_url(data_dir),
        data_dir=data_dir,
        secret_key=secret,
        env=env,
        data_keys=data_keys,
        redis_url=env_vars.get("BEACON_REDIS_URL") or None,
        events_prefix=env_vars.get("BEACON_EVENTS_PREFIX") or "beacon",
        events_timeout=_seconds(env_vars, "BEACON_EVENTS_TIMEOUT", 1.0),
        cors_origins=origins,
        log_format=log_format,
        max_upload_bytes=_int(env_vars, "BEACON_MAX_UPLOAD_BYTES", 100 * 1024 * 1024),
        max_body_bytes=_int(env_vars, "BEACON_MAX_BODY_BYTES", 1024 * 1024),
        max_attachment_bytes=_int(env_vars, "BEACON_MAX_ATTACHMENT_BYTES", 20 * MB),
        upload_daily_bytes=_int(env_vars, "BEACON_UPLOAD_DAILY_BYTES", 100 * MB),
        upload_total_bytes=_int(env_vars, "BEACON_UPLOAD_TOTAL_BYTES", 500 * MB),
        uploads_per_hour=_int(env_vars, "BEACON_UPLOADS_PER_HOUR", 30),
        staff_upload_daily_bytes=_int(env_vars, "BEACON_STAFF_UPLOAD_DAILY_BYTES", 10 * 1024 * MB),
        staff_upload_total_bytes=_int(env_vars, "BEACON_STAFF_UPLOAD_TOTAL_BYTES", 500 * 1024 * MB),
        staff_uploads_per_hour=_int(env_vars, "BEACON_STAFF_UPLOADS_PER_HOUR", 600),
        media_reserve_bytes=_int(env_vars, "BEACON_MEDIA_RESERVE_BYTES", 512 * MB),
        image_workers=_int(env_vars, "BEACON_IMAGE_WORKERS", 1),
        image_jobs_per_caller=_int(env_vars, "BEACON_IMAGE_JOBS_PER_CALLER", 1),
        image_queue=_int(env_vars, "BEACON_IMAGE_QUEUE", 32),
        image_max_decoded_bytes=_int(env_vars, "BEACON_IMAGE_MAX_DECODED_BYTES", 200_000_000),
        token_ttl_seconds=_int(env_vars, "BEACON_TOKEN_TTL_SECONDS", 30 * 24 * 3600),
        access_token_seconds=60 * _int(env_vars, "BEACON_ACCESS_TOKEN_MINUTES", 60),
        staff_second_factor=second_factor == "required",
        staff_idle_seconds=60 * _int(env_vars, "BEACON_STAFF_IDLE_MINUTES", 30),
        staff_session_seconds=3600 * _int(env_vars, "BEACON_STAFF_SESSION_HOURS", 12),
        admin_reads_alert_per_hour=_int(env_vars, "BEACON_ADMIN_READS_ALERT_PER_HOUR", 20),
        socket_recheck_seconds=_seconds(env_vars, "BEACON_SOCKET_RECHECK_SECONDS", 30.0),
        sockets_per_user=_int(env_vars, "BEACON_SOCKETS_PER_USER", 10),
        sockets_per_address=_int(env_vars, "BEACON_SOCKETS_PER_ADDRESS", 20),
        subscriptions_per_socket=_int(env_vars, "BEACON_SUBSCRIPTIONS_PER_SOCKET", 10),
        media_accel_prefix=env_vars.get("BEACON_MEDIA_ACCEL_PREFIX") or None,
        response_cache=response_cache == "on",
        response_cache_max_age=_int(env_vars, "BEACON_RESPONSE_CACHE_MAX_AGE", 30),
        response_cache_stale_while_revalidate=_int(env_vars, "BEACON_RESPONSE_CACHE_SWR", 60),
        response_cache_entries=_int(env_vars, "BEACON_RESPONSE_CACHE_ENTRIES", 2000),
        trusted_documents=Path(trusted) if trusted else None,
        request_timeout=request_timeout,
        db_statement_timeout=statement_timeout,
        db_acquire_timeout=acquire_timeout,
        vendor_dir=Path(env_vars["BEACON_VENDOR_DIR"]) if env_vars.get("BEACON_VENDOR_DIR") else None,
        preview_hours=preview_hours,
        preview_max_hours=preview_max_hours,
        **_integration_settings(env_vars),
        **_retention(env_vars),  # type: ignore[arg-type]  # only int fields: mypy reads every field's type
    )
