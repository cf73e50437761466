"""The UI speaks Swedish first and English second: every string has its English translation."""

import ast
import gettext
import re
from pathlib import Path

from django.test import Client
from django.utils import translation
from rest_framework.test import APIClient

ROOT = Path(__file__).resolve().parents[1]
LOCALE = ROOT / "locale" / "en" / "LC_MESSAGES"


def test_every_message_has_an_english_translation():
    po = (LOCALE / "django.po").read_text(encoding="utf-8")
    untranslated = re.findall(r'^msgid "(.+)"\nmsgstr ""\n(?!")', po, flags=re.MULTILINE)
    fuzzy = re.findall(r"^#, fuzzy\n#?\|? ?msgid \"(.+)\"", po, flags=re.MULTILINE)
    assert untranslated == [] and fuzzy == []


def test_the_compiled_catalogue_holds_every_translation():
    po = (LOCALE / "django.po").read_text(encoding="utf-8")
    with open(LOCALE / "django.mo", "rb") as fh:
        catalogue = gettext.GNUTranslations(fh)
    single_line = re.findall(r'^(?:msgctxt "(.+)"\n)?msgid "(.+)"\nmsgstr "(.+)"$', po, flags=re.MULTILINE)
    for context, msgid, msgstr in single_line:
        msgid, msgstr = msgid.replace('\\"', '"'), msgstr.replace('\\"', '"')
        found = catalogue.pgettext(context, msgid) if context else catalogue.gettext(msgid)
        assert found == msgstr, msgid


def test_language_names_follow_the_users_language():
    from coordinator.vocabulary import LANGUAGES

    with translation.override("en"):
        assert str(LANGUAGES["prs"]) == "Dari" and str(LANGUAGES["ti"]) == "Tigrinya"
    with translation.override("sv"):
        assert str(LANGUAGES["ti"]) == "tigrinja"


def test_the_home_page_is_english_for_an_english_browser(db):
    html = Client().get("/", headers={"accept-language": "en"}).content.decode()
    assert 'lang="en"' in html and "Log in" in html


# What the API and the accounts code answer with: the messages people read.
MESSAGE_CALLS = {"error_response", "error_json", "ValidationError", "AuthenticationFailed", "PermissionDenied"}
API_MODULES = sorted([*(ROOT / "coordinator" / "api").glob("*.py"), *(ROOT / "accounts").glob("*.py")])


def _called(node: ast.Call) -> str:
    return getattr(node.func, "attr", None) or getattr(node.func, "id", "")


def _bare_strings(node: ast.AST):
    """String literals given as a message (also as the values of {field: message}), not through gettext."""
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        yield node
    elif isinstance(node, ast.Dict):
        for value in node.values:
            yield from _bare_strings(value)
    elif isinstance(node, ast.List | ast.Tuple):
        for item in node.elts:
            yield from _bare_strings(item)


def test_every_message_of_the_api_goes_through_gettext():
    bare = []
    for path in API_MODULES:
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Call) and _called(node) in MESSAGE_CALLS:
                given = [*node.args[:1], *(k.value for k in node.keywords if k.arg in ("detail", "message"))]
                bare += [f"{path.relative_to(ROOT)}:{s.lineno} {s.value}" for arg in given for s in _bare_strings(arg)]
    assert bare == []


def test_the_api_answers_an_english_client_in_english(db):
    wrong = {"email": "nobody@example.se", "password": "fel"}
    english = APIClient().post("/api/v1/auth/token/", wrong, format="json", headers={"accept-language": "en"})
    assert english.status_code == 400
    assert english.json()["errors"] == [{"field": None, "message": "Wrong e-mail address or password."}]
    swedish = APIClient().post("/api/v1/auth/token/", wrong, format="json")
    assert swedish.json()["errors"] == [{"field": None, "message": "Fel e-post eller lösenord."}]
