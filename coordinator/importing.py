"""Reading a coordinator's spreadsheet of volunteers or newcomers (CSV or XLSX), row by row.

Reading never writes: `read_rows` turns a file into rows of text, `check_rows` says for each
row what would be created or updated and what is wrong, column by column, in the words of the
spreadsheet. services/imports.py writes the rows that are right.

The columns are those of the downloadable template (`template_rows`); headers are matched
without regard to case, spaces or accents' absence, in Swedish or English. Languages may be
codes or names ("arabiska", "Arabic", "ar"); times may be codes ("mon-evening") or words
("måndag kväll", "mån kväll").
"""

from __future__ import annotations

import csv
import hashlib
import io
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime, time

from django.core.exceptions import ValidationError
from django.utils import timezone, translation
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from coordinator import facts, vocabulary
from coordinator.geo import locate as geo
from coordinator.models import Gender, GenderPreference, Newcomer, SwedishLevel, TargetGroup, Volunteer
from coordinator.renderers import from_spreadsheet_cell

# A region's whole pool in one file (20,000 people in the measured case), with room to spare;
# more than this is split into files (the message says so).
MAX_ROWS = 25_000
# An export names a person who has no external reference of their own by this prefix and their
# id, so that an exported file, corrected and imported again, updates them.
OWN_REF = "vanmatch:"
MAX_BYTES = 5 * 1024 * 1024
# An XLSX is a zip: what it holds unpacked is checked before anything is parsed (a 1.6 KB file can
# claim a million rows of 16,384 columns, a 4.4 MB one hold 34 million cells), and a sheet is
# read no further than the rows and columns an import can use.
MAX_UNPACKED_BYTES = 50 * 1024 * 1024
MAX_COLUMNS = 100
MAX_SHEET_ROWS = 100_000  # rows of a sheet read at most, blank ones included: never a silent cut

# column key: (Swedish header, English header, for which kinds)
COLUMNS = {
    "external_ref": ("Extern referens", "External reference", "both"),
    "first_name": ("Förnamn", "First name", "both"),
    "last_name": ("Efternamn", "Last name", "both"),
    "email": ("E-post", "E-mail", "volunteers"),
    "phone": ("Telefon", "Phone", "both"),
    "birth_year": ("Födelseår", "Birth year", "both"),
    "gender": ("Kön", "Gender", "both"),
    "languages": ("Språk", "Languages", "both"),
    "swedish_level": ("Svenska", "Swedish", "both"),
    "interests": ("Intressen", "Interests", "both"),
    "availability": ("Tider", "Times", "both"),
    "postcode": ("Postnummer", "Postcode", "both"),
    "locality": ("Ort", "Locality", "both"),
    "gender_preference": ("Vill träffa", "Would like to meet", "both"),
    "household_adults": ("Vuxna i hushållet", "Adults in the household", "both"),
    "children_ages": ("Barnens åldrar", "Children's ages", "both"),
    "programmes": ("Program", "Programmes", "both"),
    "capacity": ("Antal nyanlända", "Newcomers at once", "volunteers"),
    "status": ("Status", "Status", "volunteers"),
    "wants_family": ("Vill träffa en familj", "Would like to meet a family", "volunteers"),
    "target_group": ("Målgrupp", "Target group", "newcomers"),
    "registered_on": ("Registrerad", "Registered on", "newcomers"),
    "consent_given_on": ("Samtycke lämnat", "Consent given on", "newcomers"),
    "consent_method": ("Samtycke hur", "Consent given how", "newcomers"),
    "consent_shareable": ("Får lämnas till volontären", "May be passed on to the volunteer", "newcomers"),
    "interpreter_language": ("Tolkspråk", "Interpreter language", "newcomers"),
}
REQUIRED = {"first_name", "languages"}


def columns_for(kind: str) -> list[str]:
    return [key for key, (_sv, _en, kinds) in COLUMNS.items() if kinds in ("both", kind)]


def _fold(text: str) -> str:
    text = unicodedata.normalize("NFKD", str(text or "")).casefold()
    return " ".join("".join(ch for ch in text if not unicodedata.combining(ch)).replace("-", " ").split())


HEADERS = {_fold(sv): key for key, (sv, _en, _k) in COLUMNS.items()} | {
    _fold(en): key for key, (_sv, en, _k) in COLUMNS.items()
}


def _choice_words(choices, *extra: tuple[str, str]) -> dict[str, str]:
    words = {}
    for value, label in choices:
        words[_fold(value)] = value
        words[_fold(str(label))] = value
    for word, value in extra:
        words[_fold(word)] = value
    return words


LANGUAGE_WORDS = {_fold(code): code for code in vocabulary.LANGUAGES} | {
    _fold(str(name)): code for code, name in vocabulary.LANGUAGES.items()
}
ENGLISH_LANGUAGE_NAMES = {
    "swedish": "sv", "english": "en", "arabic": "ar", "dari": "prs", "persian": "fa", "farsi": "fa",
    "tigrinya": "ti", "somali": "so", "ukrainian": "uk", "russian": "ru", "kurdish": "ckb", "sorani": "ckb",
    "kurmanji": "kmr", "french": "fr", "spanish": "es", "german": "de", "turkish": "tr", "pashto": "ps",
    "amharic": "am", "bosnian": "bs", "albanian": "sq", "polish": "pl", "finnish": "fi", "italian": "it",
    "portuguese": "pt", "chinese": "zh", "burmese": "my", "tamil": "ta", "swahili": "sw", "thai": "th",
    "urdu": "ur", "hindi": "hi", "kurdiska": "ckb",
}  # fmt: skip
LANGUAGE_WORDS |= ENGLISH_LANGUAGE_NAMES
DAY_WORDS = {
    "mon": "mon", "man": "mon", "mandag": "mon", "monday": "mon", "tue": "tue", "tis": "tue", "tisdag": "tue",
    "tuesday": "tue", "wed": "wed", "ons": "wed", "onsdag": "wed", "wednesday": "wed", "thu": "thu", "tor": "thu",
    "torsdag": "thu", "thursday": "thu", "fri": "fri", "fre": "fri", "fredag": "fri", "friday": "fri",
    "sat": "sat", "lor": "sat", "lordag": "sat", "saturday": "sat", "sun": "sun", "son": "sun", "sondag": "sun",
    "sunday": "sun",
}  # fmt: skip
PART_WORDS = {
    "morning": "morning", "formiddag": "morning", "fm": "morning", "morgon": "morning",
    "afternoon": "afternoon", "eftermiddag": "afternoon", "em": "afternoon",
    "evening": "evening", "kvall": "evening",
}  # fmt: skip
GENDER_WORDS = _choice_words(Gender.choices, ("k", "female"), ("m", "male"), ("woman", "female"), ("man", "male"))
PREFERENCE_WORDS = _choice_words(
    GenderPreference.choices, ("kvinna", "female"), ("man", "male"), ("k", "female"), ("m", "male")
) | {_fold("Det spelar ingen roll"): "", "": ""}
LEVEL_WORDS = _choice_words(SwedishLevel.choices, ("ingen", "none"))
TARGET_WORDS = _choice_words(TargetGroup.choices, ("nyanland", "nyanland"), ("asylsokande", "asylsokande"))
STATUS_WORDS = _choice_words(Volunteer.Status.choices)
CONSENT_WORDS = _choice_words(Newcomer.ConsentMethod.choices, ("tolk", "oral_interpreter"))
SHAREABLE_WORDS = _choice_words(Newcomer.ShareableFact.choices)
YES_NO_WORDS = {"ja": True, "yes": True, "j": True, "y": True, "x": True, "nej": False, "no": False, "n": False}


class FileError(ValueError):
    """The file as a whole cannot be read (not the rows in it)."""


def check_file(name: str, content: bytes) -> None:
    """What can be said of a file at once, before any of it is parsed: its size, its kind, and
    (an XLSX being a zip) how much it unpacks to."""
    if len(content) > MAX_BYTES:
        raise FileError(_("Filen är större än 5 MB."))
    if not name.lower().endswith((".xlsx", ".csv", ".txt")):
        raise FileError(_("Filen ska vara CSV eller XLSX (Excel)."))
    if name.lower().endswith(".xlsx"):
        _unpacked_size_checked(content)


def _unpacked_size_checked(content: bytes) -> None:
    import zipfile

    try:
        with zipfile.ZipFile(io.BytesIO(content)) as archive:
            unpacked = sum(member.file_size for member in archive.infolist())
    except (zipfile.BadZipFile, ValueError):
        raise FileError(_("Filen går inte att öppna som XLSX.")) from None
    if unpacked > MAX_UNPACKED_BYTES:
        raise FileError(
            _("Filen packar upp sig till mer än %(mb)s MB. Spara bara de rader och kolumner som ska importeras.")
            % {"mb": MAX_UNPACKED_BYTES // (1024 * 1024)}
        )


def read_rows(name: str, content: bytes) -> tuple[list[dict[str, str]], list[str]]:
    """The rows of a CSV or XLSX file as {column key: text}, headers matched to the template's;
    and the headers that matched no column (they are left out)."""
    check_file(name, content)
    if name.lower().endswith(".xlsx"):
        table = _xlsx(content)
    elif name.lower().endswith((".csv", ".txt")):
        table = _csv(content)
    else:
        raise FileError(_("Filen ska vara CSV eller XLSX (Excel)."))
    table = [row for row in table if any(str(cell or "").strip() for cell in row)]
    if not table:
        raise FileError(_("Filen är tom."))
    header = [HEADERS.get(_fold(h)) for h in table[0]]
    unknown = [str(h) for h, key in zip(table[0], header, strict=True) if key is None and str(h or "").strip()]
    if not any(header):
        raise FileError(_("Ingen kolumn känns igen. Använd mallen: den första raden ska vara rubrikerna."))
    missing = REQUIRED - set(header)
    if missing:
        names = ", ".join(COLUMNS[k][0] for k in sorted(missing))
        raise FileError(_("Kolumner saknas: %(names)s.") % {"names": names})
    if len(table) - 1 > MAX_ROWS:
        raise FileError(
            _("Filen har %(rows)s rader; högst %(n)s åt gången. Dela upp den i flera filer.")
            % {"rows": len(table) - 1, "n": MAX_ROWS}
        )
    rows = []
    for cells in table[1:]:
        row = {}
        for key, cell in zip(header, cells, strict=False):
            if key is not None:
                row[key] = _text(cell)
        rows.append(row)
    return rows, unknown


def columns_of_the_other_kind(kind: str, rows: list[dict[str, str]]) -> list[str]:
    """The headings of the file that belong to the other kind of person only (a volunteers'
    column in a file of newcomers, or the reverse), left out of the import. A file with such
    columns and none of this kind's own is refused: the wrong kind was chosen."""
    present = set(rows[0]) if rows else set()
    other = [COLUMNS[k][0] for k in COLUMNS if k in present and COLUMNS[k][2] not in ("both", kind)]
    own = [k for k in present if COLUMNS[k][2] == kind]
    if other and not own:
        right = _("Nyanlända") if kind == "volunteers" else _("Volontärer")
        raise FileError(
            _("Filen ser ut att gälla %(people)s: den har kolumnerna %(names)s. Välj ”%(right)s” och skicka den igen.")
            % {"people": str(right).lower(), "right": right, "names": ", ".join(other)}
        )
    return other


def _text(cell) -> str:
    cell = from_spreadsheet_cell(cell)  # an export's neutralised formula-like text, as it was
    if cell is None:
        return ""
    if isinstance(cell, datetime):
        return cell.date().isoformat()
    if isinstance(cell, date):
        return cell.isoformat()
    if isinstance(cell, float) and cell.is_integer():
        return str(int(cell))
    return " ".join(str(cell).split())


def _csv(content: bytes) -> list[list[str]]:
    for encoding in ("utf-8-sig", "cp1252"):
        try:
            text = content.decode(encoding)
            break
        except UnicodeDecodeError:
            continue
    else:
        raise FileError(_("Filen går inte att läsa som text (spara den som CSV UTF-8)."))
    try:
        dialect = csv.Sniffer().sniff(text[:4096], delimiters=";,\t")
    except csv.Error:
        dialect = csv.excel
    try:
        return list(csv.reader(io.StringIO(text, newline=""), dialect))
    except csv.Error as error:
        raise FileError(_("Filen går inte att läsa som CSV (%(error)s).") % {"error": error}) from None


def _xlsx(content: bytes) -> list[list]:
    from openpyxl import load_workbook

    _unpacked_size_checked(content)
    try:
        book = load_workbook(io.BytesIO(content), read_only=True, data_only=True)
        sheet = book.worksheets[0]
        sheet.reset_dimensions()  # the size the file claims is not believed; the cells present are read
        rows = []
        for read, row in enumerate(sheet.iter_rows(max_col=MAX_COLUMNS, values_only=True), start=1):
            if any(str(cell or "").strip() for cell in row):
                rows.append(list(row))
                if len(rows) > MAX_ROWS + 1:
                    break  # one row past the limit: read_rows says the file is too long
            elif read > MAX_SHEET_ROWS:
                raise FileError(
                    _("Bladet har fler än %(n)s rader, de flesta tomma. Spara bara de rader som ska importeras.")
                    % {"n": MAX_SHEET_ROWS}
                )
        book.close()
    except FileError:
        raise
    except Exception:
        raise FileError(_("Filen går inte att öppna som XLSX.")) from None
    return rows


# --- Checking rows ------------------------------------------------------------------------------


@dataclass
class RowResult:
    number: int  # the row in the spreadsheet (the header is row 1)
    action: str = "create"  # create, update, duplicate
    errors: list[tuple[str, str]] = field(default_factory=list)  # (column header, message)
    values: dict = field(default_factory=dict)  # what would be stored, JSON-able
    name: str = ""

    @property
    def ok(self) -> bool:
        return not self.errors and self.action != "duplicate"


def _split(text: str) -> list[str]:
    return [part.strip() for part in text.replace(";", ",").replace("/", ",").split(",") if part.strip()]


def _language(word: str) -> str | None:
    return LANGUAGE_WORDS.get(_fold(word))


def _slot(word: str) -> str | None:
    folded = _fold(word).replace("-", " ")
    if folded.replace(" ", "-") in vocabulary.SLOTS:
        return folded.replace(" ", "-")
    parts = folded.split()
    if len(parts) == 2 and parts[0] in DAY_WORDS and parts[1] in PART_WORDS:
        return f"{DAY_WORDS[parts[0]]}-{PART_WORDS[parts[1]]}"
    return None


def _date(text: str) -> date:
    try:
        return date.fromisoformat(text.strip()[:10])
    except ValueError:
        raise ValidationError(_("”%(value)s” är inget datum (skriv ÅÅÅÅ-MM-DD).") % {"value": text}) from None


def _key_for(kind: str, values: dict) -> str:
    """A stable key for a row without an external reference, so that importing it again updates."""
    if kind == "volunteers" and values.get("email"):
        basis = values["email"].lower()
    else:
        basis = "|".join(str(values.get(k) or "").lower() for k in ("first_name", "last_name", "birth_year", "phone"))
    return "import:" + hashlib.sha256(basis.encode()).hexdigest()[:24]


@dataclass(frozen=True)
class Known:
    """A person the organisation already has, as much of her as recognising her again needs."""

    pk: int
    external_ref: str | None
    first_name: str
    last_name: str
    birth_year: int | None
    email: str = ""
    erased: bool = False

    def describe(self, kind: str) -> str:
        name = f"{self.first_name} {self.last_name}".strip()
        if kind == "volunteers" and self.email:
            return f"{name}, {self.email}"
        if self.birth_year:
            return _("%(name)s, född %(year)s") % {"name": name, "year": self.birth_year}
        return name


def header_for(key: str) -> str:
    """A column's header in the language the coordinator reads (Swedish, or English)."""
    sv, en, _kinds = COLUMNS[key]
    return en if (get_language() or "sv").startswith("en") else sv


def _name_key(values: dict) -> tuple[str, str, int] | None:
    """Name and birth year, as a duplicate is recognised by; None without a birth year."""
    if not values.get("first_name") or not values.get("birth_year"):
        return None
    return (_fold(values["first_name"]), _fold(values.get("last_name", "")), values["birth_year"])


def own_ref_pk(ref: str) -> int | None:
    """The id in an export's own reference (`vanmatch:12`), if it is one."""
    tail = ref[len(OWN_REF) :] if ref.startswith(OWN_REF) else ""
    return int(tail) if tail.isdecimal() else None


def check_rows(
    kind: str,
    rows: list[dict[str, str]],
    *,
    organisation,
    known: list[Known],
    progress: Callable[[int], None] | None = None,
) -> list[RowResult]:
    """What each row would do and what is wrong with it, without writing anything; `progress`
    is told every PROGRESS_EVERY rows how many have been checked.

    Each row is checked in Python (coordinator.facts, then the model's field validators); what
    needs the database is looked up once for the whole file: the organisation's programmes, and
    `known`, the people it already has (one query, by the caller). A row is a duplicate if an
    earlier row, or someone the organisation already has, is the same person by reference, by
    e-mail (volunteers) or by name and birth year; a row whose reference is an existing person's
    updates her."""
    programmes = {_fold(p.name): p.pk for p in organisation.programmes.filter(active=True)}
    by_ref: dict[str, Known] = {}
    by_email: dict[str, Known] = {}
    by_name: dict[tuple[str, str, int], Known] = {}
    for person in known:
        if person.external_ref:
            by_ref[person.external_ref] = person
        by_ref[f"{OWN_REF}{person.pk}"] = person
        if person.erased:
            continue  # her facts are gone: nobody is a duplicate of her
        if kind == "volunteers" and person.email:
            by_email.setdefault(person.email.lower(), person)
        key = _name_key(
            {"first_name": person.first_name, "last_name": person.last_name, "birth_year": person.birth_year}
        )
        if key is not None:
            by_name.setdefault(key, person)
    model = Volunteer if kind == "volunteers" else Newcomer
    results: list[RowResult] = []
    seen_ref: dict[str, int] = {}
    seen_email: dict[str, int] = {}
    seen_name: dict[tuple[str, str, int], int] = {}
    for index, row in enumerate(rows, start=2):
        result = _check_row(kind, row, index, programmes=programmes, model=model)
        v = result.values
        ref, email, name = v["external_ref"], v.get("email", ""), _name_key(v)
        target = by_ref.get(ref)

        def duplicate(key: str, message: str, result=result) -> None:
            result.action = "duplicate"
            result.errors.append((header_for(key), str(message)))

        if ref in seen_ref and row.get("external_ref", "").strip():
            duplicate("external_ref", _("Samma person som på rad %(n)s.") % {"n": seen_ref[ref]})
        elif email and email in seen_email:
            duplicate("email", _("Samma e-post som rad %(n)s.") % {"n": seen_email[email]})
        elif name is not None and name in seen_name:
            duplicate("first_name", _("Samma namn och födelseår som rad %(n)s.") % {"n": seen_name[name]})
        elif email and email in by_email and by_email[email] is not target:
            duplicate("email", _("Finns redan: %(person)s.") % {"person": by_email[email].describe(kind)})
        elif name is not None and name in by_name and by_name[name] is not target:
            duplicate("first_name", _("Finns redan: %(person)s.") % {"person": by_name[name].describe(kind)})
        elif ref in seen_ref:  # a key made from the row's facts (_key_for): the same facts again
            duplicate("first_name", _("Samma person som på rad %(n)s.") % {"n": seen_ref[ref]})
        else:
            result.action = "update" if target is not None else "create"
        seen_ref.setdefault(ref, index)
        if email:
            seen_email.setdefault(email, index)
        if name is not None:
            seen_name.setdefault(name, index)
        results.append(result)
        if progress is not None and len(results) % PROGRESS_EVERY == 0:
            progress(len(results))
    return results


PROGRESS_EVERY = 1000


# The model's fields that are a column's (for the field validators' messages); the rest are
# the place's, found from the postcode or the locality.
FIELD_COLUMNS = {"household_children_ages": "children_ages", "consent_given_at": "consent_given_on"}
PLACE_FIELDS = ("postcode", "locality", "latitude", "longitude")
# Set by the service, not from the file: the model's validators would ask the database about them.
NOT_FROM_THE_FILE = ["organisation", "user", "registered_by", "consent_recorded_by"]

PERSON_FIELDS = (
    "first_name", "last_name", "phone", "birth_year", "gender", "languages", "swedish_level", "interests",
    "availability", "gender_preference", "household_adults", "household_children_ages",
)  # fmt: skip


def model_fields(kind: str, values: dict) -> dict:
    """A checked row's values as the model's fields (all but those the service sets)."""
    fields = {k: values[k] for k in PERSON_FIELDS if k in values}
    fields |= values.get("place", {})
    if kind == "volunteers":
        return fields | {k: values[k] for k in ("email", "capacity", "status", "wants_family") if k in values}
    given = date.fromisoformat(values["consent_given_on"])
    return fields | {
        "target_group": values["target_group"],
        "registered_on": date.fromisoformat(values["registered_on"]),
        "consent_given_at": timezone.make_aware(datetime.combine(given, time(12))),
        "consent_method": values["consent_method"],
        "consent_shareable": values.get("consent_shareable", []),
        "interpreter_needed": values.get("interpreter_needed", False),
        "interpreter_language": values.get("interpreter_language", ""),
    }


def _check_row(kind: str, row: dict[str, str], index: int, *, programmes: dict[str, int], model) -> RowResult:
    """One row's values and its problems, one message per problem, each at its column."""
    result = RowResult(number=index)
    v = result.values
    flagged: set[str] = set()

    def error(key: str, message: str) -> None:
        message = str(message)
        if (key, message) in flagged:
            return  # the same problem at the same cell is said once
        flagged.add((key, message))
        result.errors.append((header_for(key), message))

    def check(key: str, clean, value, *, fallback):
        """Clean a value with coordinator.facts; a refusal is one message at its column."""
        try:
            return clean(value)
        except ValidationError as e:
            error(key, e.messages[0])
            return fallback

    v["first_name"] = check("first_name", _first_name, row.get("first_name", ""), fallback="")
    v["last_name"] = check("last_name", _last_name, row.get("last_name", ""), fallback="")
    result.name = f"{v['first_name']} {v['last_name']}".strip()
    v["phone"] = check("phone", facts.clean_phone, row.get("phone", ""), fallback="")
    if kind == "volunteers":
        email = row.get("email", "").strip().lower()
        if email and ("@" not in email or " " in email):
            error("email", _("”%(value)s” är ingen e-postadress.") % {"value": email})
        v["email"] = email
    if row.get("birth_year"):
        try:
            year = int(row["birth_year"])
        except ValueError:
            error("birth_year", _("”%(value)s” är inget årtal.") % {"value": row["birth_year"]})
        else:
            v["birth_year"] = check("birth_year", facts.clean_birth_year, year, fallback=None)
    if row.get("gender"):
        gender = GENDER_WORDS.get(_fold(row["gender"]))
        if gender is None:
            error("gender", _("Okänt kön: ”%(value)s” (kvinna, man eller annat).") % {"value": row["gender"]})
        v["gender"] = gender or ""
    languages, unknown = [], []
    for word in _split(row.get("languages", "")):
        code = _language(word)
        (languages if code else unknown).append(code or word)
    if unknown:
        error("languages", _("Okänt språk: %(words)s.") % {"words": ", ".join(unknown)})
        v["languages"] = list(dict.fromkeys(languages))
    else:
        v["languages"] = check("languages", facts.clean_languages, languages, fallback=[])
    if row.get("swedish_level"):
        level = LEVEL_WORDS.get(_fold(row["swedish_level"]))
        if level is None:
            error("swedish_level", _("Okänd nivå: ”%(value)s”.") % {"value": row["swedish_level"]})
        v["swedish_level"] = level or "none"
    elif kind == "volunteers":
        v["swedish_level"] = "native" if "sv" in languages else "none"
    try:
        facts.check_swedish(v["languages"], v.get("swedish_level", "none"))
    except ValidationError as e:
        error("languages", e.messages[0])
    words = [_fold(w) if w.isascii() else w for w in _split(row.get("interests", ""))]
    v["interests"] = check("interests", facts.clean_interests, words, fallback=[])
    slots, bad = [], []
    for word in _split(row.get("availability", "")):
        slot = _slot(word)
        (slots if slot else bad).append(slot or word)
    if bad:
        error("availability", _("Okänd tid: %(words)s (till exempel ”mån kväll”).") % {"words": ", ".join(bad)})
        v["availability"] = [s for s in vocabulary.SLOTS if s in set(slots)]
    else:
        v["availability"] = check("availability", facts.clean_availability, slots, fallback=[])
    try:
        v["place"] = facts.locate(postcode=row.get("postcode", ""), locality=row.get("locality", "")).as_dict()
    except ValidationError as e:
        for key, messages in e.message_dict.items():
            error(key if key in COLUMNS else "postcode", messages[0])
    if row.get("gender_preference"):
        pref = PREFERENCE_WORDS.get(_fold(row["gender_preference"]))
        if pref is None:
            error("gender_preference", _("Okänt önskemål: ”%(value)s”.") % {"value": row["gender_preference"]})
        v["gender_preference"] = pref or ""
    if row.get("household_adults"):
        adults = _whole_number(row["household_adults"])
        v["household_adults"] = check("household_adults", facts.clean_household_adults, adults, fallback=1)
    v["household_children_ages"] = check(
        "children_ages", facts.parse_children_ages, row.get("children_ages", ""), fallback=[]
    )
    names = _split(row.get("programmes", ""))
    chosen = [programmes.get(_fold(n)) for n in names]
    if any(pk is None for pk in chosen):
        error(
            "programmes",
            _("Okänt program: %(names)s.")
            % {"names": ", ".join(n for n, pk in zip(names, chosen, strict=True) if pk is None)},
        )
    v["programmes"] = [pk for pk in chosen if pk] or ([next(iter(programmes.values()))] if len(programmes) == 1 else [])
    if not v["programmes"] and not names:
        error("programmes", _("Ange vilket program."))
    if kind == "volunteers":
        _check_volunteer(row, v, error)
    else:
        _check_newcomer(row, v, error)
    v["external_ref"] = row.get("external_ref", "").strip()[:100] or _key_for(kind, v)
    if not result.errors:
        _check_fields(kind, v, error, model=model)
    return result


def _check_fields(kind: str, values: dict, error, *, model) -> None:
    """The model's own field validators (lengths, choices, e-mail, ...), which ask no database:
    what coordinator.facts let through and the table would refuse is told at its column."""
    try:
        model(**model_fields(kind, values)).clean_fields(exclude=NOT_FROM_THE_FILE)
    except ValidationError as e:
        for name, messages in e.message_dict.items():
            key = "postcode" if name in PLACE_FIELDS else FIELD_COLUMNS.get(name, name)
            error(key if key in COLUMNS else "first_name", messages[0])


def _first_name(name: str) -> str:
    return facts.clean_name(name, required=True)


def _last_name(name: str) -> str:
    return facts.clean_name(name, required=False)


def _whole_number(text: str) -> int | str:
    """'2' → 2; anything else is handed on as it is, for the fact's own check to refuse."""
    text = text.strip()
    return int(text) if text.isdecimal() else text


def _check_volunteer(row, v, error) -> None:
    try:
        facts.check_adult_volunteer(v.get("birth_year"), today=timezone.localdate())
    except ValidationError as e:
        error("birth_year", e.messages[0])
    if row.get("capacity"):
        try:
            v["capacity"] = facts.clean_capacity(_whole_number(row["capacity"]))
        except ValidationError as e:
            error("capacity", e.messages[0])
    status = STATUS_WORDS.get(_fold(row.get("status", ""))) if row.get("status") else "approved"
    if status is None:
        error("status", _("Okänd status: ”%(value)s”.") % {"value": row["status"]})
    v["status"] = status or "approved"
    if row.get("wants_family"):
        wants = YES_NO_WORDS.get(_fold(row["wants_family"]))
        if wants is None:
            error("wants_family", _("Skriv ja eller nej, inte ”%(value)s”.") % {"value": row["wants_family"]})
        v["wants_family"] = wants


def _check_newcomer(row, v, error) -> None:
    target = TARGET_WORDS.get(_fold(row.get("target_group", "")))
    if target is None:
        error("target_group", _("Ange målgrupp: nyanländ, asylsökande eller ensamkommande barn."))
    v["target_group"] = target or ""
    try:
        facts.check_target_group(v["target_group"], v.get("birth_year"), today=timezone.localdate())
    except ValidationError as e:
        error("birth_year", e.messages[0])
    try:
        v["registered_on"] = (
            _date(row["registered_on"]) if row.get("registered_on") else timezone.localdate()
        ).isoformat()
    except ValidationError as e:
        error("registered_on", e.messages[0])
    if not row.get("consent_given_on"):
        error("consent_given_on", _("Samtycke saknas: ange datum. Den som inte samtyckt kan inte registreras."))
    else:
        try:
            given = facts.clean_consent_date(_date(row["consent_given_on"]), today=timezone.localdate())
            v["consent_given_on"] = given.isoformat()
        except ValidationError as e:
            error("consent_given_on", e.messages[0])
    method = CONSENT_WORDS.get(_fold(row.get("consent_method", ""))) if row.get("consent_method") else "written"
    if method is None:
        error(
            "consent_method",
            _("Okänt sätt: ”%(value)s” (skriftligt, muntligt med tolk, muntligt).") % {"value": row["consent_method"]},
        )
    v["consent_method"] = method or "written"
    shareable = [SHAREABLE_WORDS.get(_fold(w)) for w in _split(row.get("consent_shareable", ""))]
    if any(s is None for s in shareable):
        error("consent_shareable", _("Okänd uppgift att dela."))
    v["consent_shareable"] = [s for s in shareable if s]
    if row.get("interpreter_language"):
        code = _language(row["interpreter_language"])
        if code is None:
            error("interpreter_language", _("Okänt språk: %(words)s.") % {"words": row["interpreter_language"]})
        v["interpreter_needed"], v["interpreter_language"] = bool(code), code or ""


# --- The template ------------------------------------------------------------------------------

# Columns a spreadsheet keeps as text (a postcode's or a phone number's leading zero survives),
# and those it keeps as numbers or dates.
TEXT_COLUMNS = {"external_ref", "phone", "postcode"}
NUMBER_COLUMNS = {"birth_year", "household_adults", "capacity"}
DATE_COLUMNS = {"registered_on", "consent_given_on"}
# The example's place when the organisation's own cannot be told from its name or area: Ekerö.
EXAMPLE_POSTCODE = "178 32"


def _labels(choices) -> list[str]:
    """A choice's words as the template offers them: Swedish, as its headers (both are read)."""
    with translation.override("sv"):
        return [str(label).lower() for _value, label in choices]


def _example_postcode(organisation) -> str:
    """A real postcode where the organisation works: near the place its area or its name says."""
    for name in (organisation.area, organisation.name):
        place = geo.by_locality(name) if name else None
        if place is not None:
            return geo.nearest_postcode(place.latitude, place.longitude)
    return EXAMPLE_POSTCODE


def template_example(kind: str, *, organisation, today: date) -> dict[str, object]:
    """An example row that imports as it is into this organisation: its programme, a postcode
    where it works, dates of today (a consent is valid for a year)."""
    programme = organisation.programmes.filter(active=True).order_by("name").first()
    volunteer = kind == "volunteers"
    return {
        "external_ref": "V-001" if volunteer else "N-001",
        "first_name": "Karin" if volunteer else "Amal",
        "last_name": "Berg" if volunteer else "Haddad",
        "email": "karin@example.se",
        "phone": "070-123 45 67",
        "birth_year": 1968 if volunteer else 1994,
        "gender": "kvinna",
        "languages": "svenska, engelska" if volunteer else "arabiska, engelska",
        "swedish_level": "modersmål" if volunteer else "grundläggande",
        "interests": "matlagning, promenader",
        "availability": "mån kväll, lör förmiddag",
        "postcode": _example_postcode(organisation),
        "locality": "",
        "gender_preference": "",
        "household_adults": 2 if volunteer else 1,
        "children_ages": "9, 12" if volunteer else "3",
        "programmes": programme.name if programme else "",
        "capacity": 1,
        "status": "godkänd",
        "wants_family": "ja",
        "target_group": "nyanländ",
        "registered_on": today,
        "consent_given_on": today,
        "consent_method": "muntligt med tolk",
        "consent_shareable": "förnamn, språk",
        "interpreter_language": "arabiska",
    }


def template_rows(kind: str, *, organisation, today: date) -> list[list]:
    """The template: the headers and one example row."""
    example = template_example(kind, organisation=organisation, today=today)
    return [[COLUMNS[key][0] for key in columns_for(kind)], [example[key] for key in columns_for(kind)]]


@dataclass(frozen=True)
class TemplateColumn:
    """A column of the template, as its instructions sheet explains it."""

    key: str
    header: str
    meaning: str
    allowed: list[str]  # the words it takes (a drop-down), or empty for free text
    several: bool = False  # a list, comma-separated: the drop-down only suggests
    required: bool = False


def template_columns(kind: str, *, organisation) -> list[TemplateColumn]:
    programmes = list(organisation.programmes.filter(active=True).order_by("name").values_list("name", flat=True))
    with translation.override("sv"):
        languages = sorted(str(name).lower() for name in vocabulary.LANGUAGES.values())
    yes_no = ["ja", "nej"]
    meanings: dict[str, tuple[str, list[str], bool]] = {
        "external_ref": (_("Er egen beteckning. Samma beteckning igen uppdaterar personen."), [], False),
        "first_name": (_("Förnamn. Obligatoriskt."), [], False),
        "last_name": (_("Efternamn."), [], False),
        "email": (_("E-postadress. Samma adress två gånger är en dubblett."), [], False),
        "phone": (_("Telefonnummer, som text."), [], False),
        "birth_year": (_("Födelseår med fyra siffror, till exempel 1968."), [], False),
        "gender": (_("Kön."), _labels(Gender.choices), False),
        "languages": (_("Språk personen talar, med komma emellan. Obligatoriskt."), languages, True),
        "swedish_level": (_("Hur väl personen talar svenska."), _labels(SwedishLevel.choices), False),
        "interests": (_("Intressen, med komma emellan."), [], True),
        "availability": (_("När personen kan träffas, till exempel ”mån kväll, lör förmiddag”."), [], True),
        "postcode": (_("Postnummer, som text (”178 32”). Postnummer eller ort behövs."), [], False),
        "locality": (_("Ort, om postnummer saknas."), [], False),
        "gender_preference": (
            _("Vem personen vill träffa. Tomt: det spelar ingen roll."),
            _labels(GenderPreference.choices),
            False,
        ),  # fmt: skip
        "household_adults": (_("Antal vuxna i hushållet, ett heltal."), [], False),
        "children_ages": (_("Barnens åldrar i hela år, med komma emellan."), [], False),
        "programmes": (_("Program, med komma emellan. Tomt: organisationens enda program."), programmes, True),
        "capacity": (_("Hur många nyanlända volontären kan träffa samtidigt, 1 till 10."), [], False),
        "status": (_("Volontärens status. Tomt: godkänd."), _labels(Volunteer.Status.choices), False),
        "wants_family": (_("Om volontären vill träffa en familj."), yes_no, False),
        "target_group": (_("Målgrupp. Obligatoriskt."), ["nyanländ", "asylsökande", "ensamkommande barn"], False),
        "registered_on": (_("Datum då personen registrerades, ÅÅÅÅ-MM-DD. Tomt: i dag."), [], False),
        "consent_given_on": (
            _("Datum då samtycket lämnades, ÅÅÅÅ-MM-DD, inom det senaste året. Obligatoriskt."),
            [],
            False,
        ),  # fmt: skip
        "consent_method": (
            _("Hur samtycket lämnades. Tomt: skriftligt."),
            _labels(Newcomer.ConsentMethod.choices),
            False,
        ),  # fmt: skip
        "consent_shareable": (
            _("Uppgifter som får lämnas till volontären, med komma emellan."),
            _labels(Newcomer.ShareableFact.choices),
            True,
        ),  # fmt: skip
        "interpreter_language": (_("Språk som tolken ska tala, om tolk behövs."), languages, False),
    }
    return [
        TemplateColumn(
            key,
            COLUMNS[key][0],
            str(meanings[key][0]),
            meanings[key][1],
            several=meanings[key][2],
            required=key in REQUIRED or (kind == "newcomers" and key in ("target_group", "consent_given_on")),
        )
        for key in columns_for(kind)
    ]
