"""Settings read from the environment: the deadlines (README, "Configuration")."""

from __future__ import annotations

import pytest

from settings import ConfigError, load_settings

BASE = {"BEACON_SECRET_KEY": "k" * 40}


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
