"""The UI speaks Swedish first and English second: every string has its English translation."""

import gettext
import re
from pathlib import Path

from django.test import Client
from django.utils import translation

LOCALE = Path(__file__).resolve().parents[1] / "locale" / "en" / "LC_MESSAGES"


def test_every_message_has_an_english_translation():
    po = (LOCALE / "django.po").read_text(encoding="utf-8")
    untranslated = re.findall(r'^msgid "(.+)"\nmsgstr ""\n(?!")', po, flags=re.MULTILINE)
    fuzzy = re.findall(r"^#, fuzzy\n#?\|? ?msgid \"(.+)\"", po, flags=re.MULTILINE)
    assert untranslated == [] and fuzzy == []


def test_the_compiled_catalogue_holds_every_translation():
    po = (LOCALE / "django.po").read_text(encoding="utf-8")
    with open(LOCALE / "django.mo", "rb") as fh:
        catalogue = gettext.GNUTranslations(fh)
    single_line = re.findall(r'^msgid "(.+)"\nmsgstr "(.+)"$', po, flags=re.MULTILINE)
    for msgid, msgstr in single_line:
        assert catalogue.gettext(msgid.replace('\\"', '"')) == msgstr.replace('\\"', '"'), msgid


def test_language_names_follow_the_users_language():
    from coordinator.vocabulary import LANGUAGES

    with translation.override("en"):
        assert str(LANGUAGES["prs"]) == "Dari" and str(LANGUAGES["ti"]) == "Tigrinya"
    with translation.override("sv"):
        assert str(LANGUAGES["ti"]) == "tigrinja"


def test_the_home_page_is_english_for_an_english_browser(db):
    html = Client().get("/", headers={"accept-language": "en"}).content.decode()
    assert 'lang="en"' in html and "Log in" in html
