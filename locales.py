"""Which locale a request wants: the one rule for lists, search, sync and the response cache's key.

Beacon's content is written in LOCALES (the console offers exactly these); an item's
translations point at its original, whose locale is usually DEFAULT_LOCALE. A list answers one
item per work in the *wanted* locale, decided here, in this order:

1. an explicit `locale` argument or filter field, matched to LOCALES as below; a tag that matches
   none (say `fr`) is still honoured as given, so every work answers in its original;
2. else the request's `Accept-Language` (RFC 9110 12.5.4): its ranges in order of `q`
   (highest first, the earlier one on a tie; `q=0` means "not this one"), the first range
   that matches one of LOCALES wins;
3. else DEFAULT_LOCALE.

A range matches a locale the way a CMS (Django's `get_supported_language_variant`) does,
ignoring case: the tag itself (`en`, `zh-cn`); else the tag with subtags dropped from the end
(`en-US` -> `en`, `zh-Hans-CN` -> `zh-Hans` -> `zh`); else the first locale of the same
language (`zh`, `zh-Hans`, `zh-TW` -> `zh-CN`). `*` matches DEFAULT_LOCALE.

It depends on the header alone, so the response cache can put the negotiated locale in its key
(caching/http.py) without running anything. Standard library only: resolvers, schema and
caching all import it.
"""

from __future__ import annotations

import functools

DEFAULT_LOCALE = "zh-CN"
LOCALES = ("zh-CN", "en")

# A browser sends a handful of ranges; a longer header is cut here rather than parsed in full.
MAX_HEADER_CHARACTERS = 512
MAX_RANGES = 16
_BY_KEY = {locale.lower(): locale for locale in LOCALES}


def supported(tag: str) -> str | None:
    """The locale of LOCALES that a language tag or range matches (rule above), else None."""
    key = tag.strip().lower()
    if key == "*":
        return DEFAULT_LOCALE
    while key:
        if key in _BY_KEY:
            return _BY_KEY[key]
        key = key.rpartition("-")[0]
    language = tag.strip().lower().split("-", 1)[0]
    same_language = (locale for locale in LOCALES if locale.lower().split("-", 1)[0] == language)
    return next(same_language, None) if language else None


def ranges(header: str | None) -> list[str]:
    """The language ranges of an Accept-Language value, most wanted first, without those refused (q=0)."""
    if not header:
        return []
    weighted: list[tuple[float, int, str]] = []
    for position, part in enumerate(header[:MAX_HEADER_CHARACTERS].split(",")[:MAX_RANGES]):
        tag, *params = (piece.strip() for piece in part.split(";"))
        tag = tag.replace("_", "-")  # en_US, as some clients write it
        if not tag or not all(c.isascii() and (c.isalnum() or c in "-*") for c in tag):
            continue
        quality = 1.0
        for param in params:
            name, _, value = param.partition("=")
            if name.strip().lower() == "q":
                quality = _quality(value.strip())
        if quality > 0:
            weighted.append((-quality, position, tag))
    return [tag for _, _, tag in sorted(weighted)]


def _quality(value: str) -> float:
    """A q-value (0 to 1, up to three decimals); anything malformed counts as 0, as RFC 9110 allows refusing it."""
    try:
        quality = float(value)
    except ValueError:
        return 0.0
    return quality if 0.0 <= quality <= 1.0 and value[:1].isdigit() else 0.0


@functools.lru_cache(maxsize=1024)
def negotiate(accept_language: str | None) -> str:
    """The locale an Accept-Language value asks for: the first range matching LOCALES, else DEFAULT_LOCALE."""
    for tag in ranges(accept_language):
        found = supported(tag)
        if found is not None:
            return found
    return DEFAULT_LOCALE


def wanted(explicit: str | None, accept_language: str | None) -> str:
    """The wanted locale of a request: an explicit locale (matched, else as given), else Accept-Language's."""
    if explicit is not None and explicit.strip():
        return supported(explicit) or explicit.strip()
    return negotiate(accept_language)
