"""Links in a message, as people paste them: with a scheme or without one
(``instagram.com/p/…``, ``t.me/…``, ``www.facebook.com/…``); each is kept with ``https://``."""

from __future__ import annotations

import re

LINK_MAX = 500

# Top-level domains a publication link ends its host with. Words that end a sentence
# («…готово.Далее») or a file («отчёт.pdf») are not among them.
TLDS = frozenset(
    {
        # generic
        "com", "net", "org", "info", "biz", "edu", "gov", "int", "pro", "app", "dev", "io",
        "me", "be", "ly", "co", "cc", "tv", "fm", "gl", "gle", "gg", "to", "ai", "site",
        "online", "news", "blog", "media", "asia", "mobi", "tech", "cloud", "academy",
        # countries
        "kz", "ru", "su", "uz", "kg", "tj", "tm", "az", "ge", "am", "by", "ua", "tr", "cn",
        "de", "fr", "uk", "us", "eu", "it", "es", "pl", "nl", "ch", "at", "ca", "au", "in",
        "jp", "kr", "ae", "il", "cz", "lt", "lv", "ee", "fi", "se", "no", "dk",
        # Cyrillic
        "рф", "қаз", "каз", "бел", "укр",
    }
)  # fmt: skip

_LABEL = r"[a-z0-9а-яёәғқңөұүһі](?:[a-z0-9а-яёәғқңөұүһі-]{0,61}[a-z0-9а-яёәғқңөұүһі])?"
_TLD = "|".join(sorted((re.escape(tld) for tld in TLDS), key=len, reverse=True))
_LINK = re.compile(
    r"(?P<scheme>https?://[^\s<>\"'«»]+)"
    rf"|(?<![\w@./\-])(?P<bare>(?:{_LABEL}\.)+(?:{_TLD})(?![\w\-])(?::\d{{1,5}})?"
    r"(?:[/?#][^\s<>\"'«»]*)?)",
    re.IGNORECASE,
)
_TRAILING = ".,;:!?)»\"'…"


def extract_links(text: str | None) -> list[str]:
    """URLs in a message, each once, starting with a scheme, without trailing punctuation.

    «https://instagram.com/p/abc», «instagram.com/p/abc», «www.school7.kz/news», «t.me/school7»,
    «youtu.be/xyz»: a host with a dot and a known top-level domain, no spaces. An e-mail address,
    a file name («отчёт.docx») or a date («3.06») is no link.
    """
    links: list[str] = []
    for match in _LINK.finditer(text or ""):
        url = (match["scheme"] or match["bare"]).rstrip(_TRAILING)
        if match["bare"]:
            url = "https://" + url
        if len(url) <= LINK_MAX and url not in links:
            links.append(url)
    return links
