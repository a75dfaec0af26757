"""The locale rule (locales.py): an explicit locale wins, else Accept-Language by q-value, matched as a CMS does."""

from __future__ import annotations

import pytest

from locales import DEFAULT_LOCALE, negotiate, ranges, supported, wanted


@pytest.mark.parametrize(
    ("header", "expected"),
    [
        (None, "zh-CN"),
        ("", "zh-CN"),
        ("en", "en"),
        ("EN", "en"),
        ("en-US,en;q=0.9", "en"),  # a US browser
        ("en-GB", "en"),  # subtags dropped from the end
        ("en_US", "en"),  # as some clients write it
        ("zh", "zh-CN"),  # the first locale of the language
        ("zh-Hans", "zh-CN"),
        ("zh-Hans-CN", "zh-CN"),
        ("zh-TW,zh;q=0.9", "zh-CN"),  # no Traditional Chinese content: the Chinese there is
        ("zh-cn", "zh-CN"),
        ("fr", "zh-CN"),  # nothing matches: the default
        ("fr-CH, fr;q=0.9, en;q=0.8, de;q=0.7, *;q=0.5", "en"),  # MDN's example: the first range that matches
        ("fr;q=1, zh-CN;q=0.9, en;q=0.8", "zh-CN"),
        ("en;q=0.5, zh;q=0.6", "zh-CN"),  # order by q, not by position
        ("en;q=0.8, zh-CN;q=0.8", "en"),  # a tie keeps the header's order
        ("zh-CN;q=0, en;q=0.1", "en"),  # q=0: "not this one"
        ("en;q=0", "zh-CN"),  # refused, and nothing else asked for
        ("en;q=abc, zh", "zh-CN"),  # a malformed q-value counts as a refusal
        ("en;q=2, zh", "zh-CN"),  # so does one above 1
        ("*", "zh-CN"),
        ("fr, *;q=0.1", "zh-CN"),
        ("<script>, en", "en"),  # not a language tag: skipped
        (",,, ;q=1, en", "en"),
    ],
)
def test_accept_language_negotiates_one_of_the_locales(header: str | None, expected: str) -> None:
    assert negotiate(header) == expected


def test_ranges_sort_by_quality_then_position_and_drop_refusals() -> None:
    assert ranges("da, en-gb;q=0.8, en;q=0.7") == ["da", "en-gb", "en"]
    assert ranges("en;q=0.7, da, en-gb;q=0.8, fr;q=0") == ["da", "en-gb", "en"]
    assert ranges(None) == []


def test_a_long_header_is_cut_not_parsed_in_full() -> None:
    assert negotiate("fr;q=0.9, " * 10_000 + "en") == DEFAULT_LOCALE  # "en" lies past the cut
    assert len(ranges("fr, " * 10_000)) <= 16


def test_an_explicit_locale_wins_and_one_matching_nothing_is_kept_as_given() -> None:
    assert wanted("en", "zh-CN") == "en"
    assert wanted("zh-Hans", "en") == "zh-CN"
    assert wanted("en-US", None) == "en"
    assert wanted("fr", "en") == "fr"  # honoured: every work then answers its original
    assert wanted(None, "en-US,en;q=0.9") == "en"
    assert wanted("  ", "en") == "en"  # blank is not a locale
    assert wanted(None, None) == DEFAULT_LOCALE


def test_supported_is_none_for_another_language() -> None:
    assert supported("de-DE") is None and supported("en-Latn-US") == "en"
