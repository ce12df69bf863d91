"""A message without its Kazakh or Russian translation fails the build."""

import re
from pathlib import Path

import pytest
from babel.messages.extract import extract_from_dir
from babel.messages.pofile import read_po

from bot.i18n import LOCALES_DIR, all_translations, build_i18n

ROOT = Path(__file__).resolve().parents[2]
KEYWORDS = {"_": None, "__": None, "gettext": None, "ngettext": (1, 2), "lazy_gettext": None}
PLACEHOLDER = re.compile(r"\{\w*\}")
TAG = re.compile(r"</?\w+>")


def _catalog(locale):
    with (LOCALES_DIR / locale / "LC_MESSAGES" / "messages.po").open("rb") as source:
        return read_po(source, locale=locale)


def _source_msgids():
    found = set()
    for folder in ("bot", "handlers"):
        for _file, _line, message, _comments, _context in extract_from_dir(
            ROOT / folder, method_map=[("**.py", "python")], keywords=KEYWORDS
        ):
            found.add(message[0] if isinstance(message, tuple) else message)
    return found


@pytest.mark.parametrize("locale", ["kk", "ru"])
def test_every_message_is_translated(locale):
    catalog = _catalog(locale)
    missing = [
        message.id
        for message in catalog
        if message.id
        and (
            message.fuzzy
            or not message.string
            or (isinstance(message.string, tuple) and not all(message.string))
        )
    ]
    assert not missing, f"{locale}: untranslated: {missing}"


@pytest.mark.parametrize("locale", ["kk", "ru"])
def test_catalog_holds_every_message_of_the_code(locale):
    ids = {m.id if isinstance(m.id, str) else m.id[0] for m in _catalog(locale) if m.id}
    absent = sorted(_source_msgids() - ids)
    assert not absent, (
        f"{locale}: not in the catalog (run the catalog update in the README): {absent}"
    )


@pytest.mark.parametrize("locale", ["kk", "ru"])
def test_translations_keep_placeholders_and_tags(locale):
    for message in _catalog(locale):
        if not message.id:
            continue
        ids = message.id if isinstance(message.id, tuple) else (message.id,)
        strings = message.string if isinstance(message.string, tuple) else (message.string,)
        wanted = sorted(PLACEHOLDER.findall(ids[-1]))
        for text in strings:
            assert sorted(PLACEHOLDER.findall(text)) == wanted, (locale, message.id, text)
            assert sorted(TAG.findall(text)) == sorted(TAG.findall(ids[0])), (locale, message.id)


def test_plural_forms_follow_each_language():
    i18n = build_i18n("ru")
    assert i18n.gettext(
        "{count} participant", "{count} participants", 1, locale="ru"
    ) != i18n.gettext("{count} participant", "{count} participants", 5, locale="ru")
    few = i18n.gettext("{count} participant", "{count} participants", 3, locale="ru")
    many = i18n.gettext("{count} participant", "{count} participants", 11, locale="ru")
    assert few != many
    assert _catalog("kk").num_plurals == 2
    assert _catalog("ru").num_plurals == 3


def test_languages_differ_and_a_label_matches_in_both():
    i18n = build_i18n("ru")
    kk = i18n.gettext("📝 New report", locale="kk")
    ru = i18n.gettext("📝 New report", locale="ru")
    assert kk != ru and "📝" in kk and "📝" in ru

    def label():
        from aiogram.utils.i18n import gettext as _

        return _("📝 New report")

    assert all_translations(i18n, label) == {kk, ru}
