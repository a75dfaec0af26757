"""Settings read from the environment: the deadlines (README, "Configuration")."""

from __future__ import annotations

from pathlib import Path

import pytest

from settings import ConfigError, load_settings, new_data_key
from tests.helpers import TEST_DATA_KEY

BASE = {"BEACON_SECRET_KEY": "k" * 40, "BEACON_DATA_KEY": TEST_DATA_KEY}


def test_deadlines_default_to_an_answer_before_a_mobile_clients_ten_seconds() -> None:
    settings = load_settings(BASE)
    assert (settings.request_timeout, settings.db_statement_timeout, settings.db_acquire_timeout) == (8.0, 5.0, 3.0)


def test_deadlines_take_decimal_seconds() -> None:
    settings = load_settings(
        {
            **BASE,
            "BEACON_REQUEST_TIMEOUT": "2.5",
            "BEACON_DB_STATEMENT_TIMEOUT": "1.5",
            "BEACON_DB_ACQUIRE_TIMEOUT": "0.5",
        }
    )
    assert (settings.request_timeout, settings.db_statement_timeout, settings.db_acquire_timeout) == (2.5, 1.5, 0.5)


@pytest.mark.parametrize(
    ("environ", "message"),
    [
        ({"BEACON_REQUEST_TIMEOUT": "soon"}, "must be a number of seconds"),
        ({"BEACON_DB_ACQUIRE_TIMEOUT": "0"}, "more than 0"),
        ({"BEACON_REQUEST_TIMEOUT": "4"}, "must be longer than"),  # under the 5 s statement default
    ],
)
def test_nonsense_deadlines_refuse_to_start(environ: dict[str, str], message: str) -> None:
    with pytest.raises(ConfigError, match=message):
        load_settings({**BASE, **environ})


def test_a_development_data_key_is_generated_once_into_the_data_folder(tmp_path: Path) -> None:
    environ = {"BEACON_DATA_DIR": str(tmp_path), "BEACON_SECRET_KEY": "x" * 40}
    first = load_settings(environ).data_keys
    path = tmp_path / "data_key"
    assert path.read_text() == first[0] and path.stat().st_mode & 0o777 == 0o600
    assert load_settings(environ).data_keys == first  # kept, not regenerated


def test_data_keys_are_checked_when_the_settings_are_read(tmp_path: Path) -> None:
    base = {"BEACON_DATA_DIR": str(tmp_path), "BEACON_SECRET_KEY": "x" * 40}
    new, old = new_data_key(), new_data_key()
    assert load_settings({**base, "BEACON_DATA_KEY": f"{new}, {old}"}).data_keys == (new, old)
    for raw, message in (
        (f"{new},{new}", "the same key twice"),
        ("c2hvcnQ=", "32 random bytes"),
        ("not base64 at all!", "32 random bytes"),
        (" , ", "names no key"),
    ):
        with pytest.raises(ConfigError, match=message):
            load_settings({**base, "BEACON_DATA_KEY": raw})
    with pytest.raises(ConfigError, match="BEACON_DATA_KEY is not set"):
        load_settings({**base, "BEACON_ENV": "production"})


@pytest.mark.parametrize(
    ("environ", "message"),
    [
        ({"BEACON_ENV": "staging"}, "BEACON_ENV must be 'development' or 'production'"),
        ({"BEACON_ENV": "production", "BEACON_SECRET_KEY": ""}, "production refuses to start without a secret key"),
        ({"BEACON_LOG_FORMAT": "xml"}, "BEACON_LOG_FORMAT must be 'text' or 'json'"),
        ({"BEACON_RESPONSE_CACHE": "maybe"}, "BEACON_RESPONSE_CACHE must be 'on' or 'off'"),
        ({"BEACON_TRUSTED_DOCUMENTS": "/nonexistent/documents.json"}, "names no readable file"),
        ({"BEACON_MAX_UPLOAD_BYTES": "lots"}, "must be a whole number, not 'lots'"),
        ({"BEACON_IMAGE_WORKERS": "0"}, "BEACON_IMAGE_WORKERS must be positive"),
        ({"BEACON_SMTP_URL": "mail.example.org"}, "must start with smtp:// or smtps://"),
        ({"BEACON_OUTBOX_DISPATCH": "sometimes"}, "BEACON_OUTBOX_DISPATCH must be 'on' or 'off'"),
        ({"BEACON_OUTBOX_POLL_SECONDS": "often"}, "must be a number of seconds, not 'often'"),
        ({"BEACON_OUTBOX_LEASE_SECONDS": "-1"}, "BEACON_OUTBOX_LEASE_SECONDS must be positive"),
    ],
)
def test_a_setting_out_of_its_range_stops_the_start_with_its_name(environ: dict[str, str], message: str) -> None:
    with pytest.raises(ConfigError, match=message):
        load_settings({**BASE, **environ})


def test_without_a_secret_key_development_makes_one_and_keeps_it(tmp_path: Path) -> None:
    environ = {"BEACON_DATA_DIR": str(tmp_path / "data")}
    first = load_settings(environ)
    assert len(first.secret_key) >= 40
    key_file = tmp_path / "data" / "secret_key"
    assert key_file.read_text() == first.secret_key and key_file.stat().st_mode & 0o777 == 0o600
    assert load_settings(environ).secret_key == first.secret_key, "tokens survive a restart"


def test_the_environment_reaches_every_part_of_the_settings(tmp_path: Path) -> None:
    settings = load_settings(
        {
            **BASE,
            "BEACON_DATA_DIR": str(tmp_path),
            "BEACON_CORS_ORIGINS": "https://portal.example.org, https://app.example.org,",
            "BEACON_PUBLIC_URL": "https://beacon.example.org/",
            "BEACON_PORTAL_URL": "https://portal.example.org/",
            "BEACON_SMTP_URL": "smtps://mail.example.org:465",
            "BEACON_VENDOR_DIR": str(tmp_path / "vendor"),
            "BEACON_RESPONSE_CACHE": "OFF",
        }
    )
    assert settings.cors_origins == ("https://portal.example.org", "https://app.example.org")
    assert settings.public_url == "https://beacon.example.org"
    assert settings.portal_url == "https://portal.example.org"
    assert load_settings({**BASE, "BEACON_DATA_DIR": str(tmp_path)}).portal_url is None
    assert settings.smtp_url == "smtps://mail.example.org:465"
    assert settings.vendor_dir == tmp_path / "vendor" and settings.response_cache is False
    assert settings.database_url == f"sqlite://{(tmp_path / 'beacon.sqlite3').resolve()}"


def test_staff_second_factor_is_required_by_default_and_the_staff_limits_are_read() -> None:
    production = load_settings({**BASE, "BEACON_ENV": "production"})
    assert production.staff_second_factor is True
    assert (production.staff_idle_seconds, production.staff_session_seconds) == (30 * 60, 12 * 3600)
    assert load_settings(BASE).staff_second_factor is True
    assert load_settings({**BASE, "BEACON_STAFF_SECOND_FACTOR": "off"}).staff_second_factor is False
    chosen = load_settings(
        {
            **BASE,
            "BEACON_STAFF_SECOND_FACTOR": "required",
            "BEACON_STAFF_IDLE_MINUTES": "5",
            "BEACON_STAFF_SESSION_HOURS": "2",
        }
    )
    assert (chosen.staff_second_factor, chosen.staff_idle_seconds, chosen.staff_session_seconds) == (True, 300, 7200)
    with pytest.raises(ConfigError, match="BEACON_STAFF_SECOND_FACTOR"):
        load_settings({**BASE, "BEACON_STAFF_SECOND_FACTOR": "maybe"})
