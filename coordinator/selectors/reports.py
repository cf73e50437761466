"""Exports and the funder report."""

from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from django.db.models import Count, Q, QuerySet, Sum
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from accounts.models import Organisation, User
from coordinator import importing, vocabulary
from coordinator.models import ExportFile, FollowUp, Gender, Match, Meeting, Newcomer, TargetGroup, Volunteer
from coordinator.vocabulary import SLOTS

# --- Exports and the funder report -------------------------------------------------------------

AGE_BANDS = [(0, 17), (18, 25), (26, 35), (36, 50), (51, 65), (66, None)]


def age_band(birth_year: int | None, on: date) -> str:
    if not birth_year:
        return str(_("Okänd"))
    age = on.year - birth_year
    for low, high in AGE_BANDS:
        if high is None or age <= high:
            return f"{low}–{high}" if high is not None else f"{low}+"
    return str(_("Okänd"))


def age_bands() -> list[str]:
    """The bands `age_band` names, youngest first."""
    return [f"{low}–{high}" if high is not None else f"{low}+" for low, high in AGE_BANDS]


def in_age_band(band: str, on: date, *, field: str = "birth_year") -> Q:
    """Those whose `age_band` on `on` is `band` (one of `age_bands()`), as a filter on `field`."""
    low, high = AGE_BANDS[age_bands().index(band)]
    born = Q(**{f"{field}__lte": on.year - low})
    return born & Q(**{f"{field}__gte": on.year - high}) if high is not None else born


def export_people(*, organisation: Organisation, kind: str) -> list[list[str]]:
    """Everyone of one kind in the organisation, as the import template's columns (so an export
    can be corrected and imported again). Free text (needs, notes) is never exported.

    Queries: 2 (the people, their programmes).
    """
    return list(export_people_rows(organisation=organisation, kind=kind))


def export_people_rows(*, organisation: Organisation, kind: str) -> Iterator[list[str]]:
    """The rows of `export_people`, the heading first, read 2,000 people at a time, for an export
    of any size to stream without holding the organisation in memory (1 query for the programmes,
    1 a chunk). Each label (a gender, a slot, a language, a programme) is translated once for the
    whole export, not once a row: that was 700,000 lookups for a region's newcomers."""
    model: type[Volunteer] | type[Newcomer] = Volunteer if kind == "volunteers" else Newcomer
    keys = importing.columns_for(kind)
    yield [importing.COLUMNS[k][0] for k in keys]
    field_names = {f.name for f in model._meta.fields}

    def labels(field: str) -> dict[str, str]:
        if field not in field_names:
            return {}
        choices = getattr(model._meta.get_field(field), "flatchoices", None) or []
        return {str(value): str(label) for value, label in choices}

    gender, level, preference = labels("gender"), labels("swedish_level"), labels("gender_preference")
    status, target_group, consent_method = labels("status"), labels("target_group"), labels("consent_method")
    shareable = {str(v): str(label) for v, label in Newcomer.ShareableFact.choices}
    slots = {slot: vocabulary.slot_label(slot) for slot in SLOTS}
    languages: dict[str, str] = {}

    def language(code: str) -> str:
        if code not in languages:
            languages[code] = vocabulary.language_names([code])[0]
        return languages[code]

    through = model.programmes.through
    person_column = f"{model._meta.model_name}_id"
    programmes: dict[int, list[str]] = {}
    for person_id, name in (
        through.objects.filter(**{f"{model._meta.model_name}__organisation": organisation})
        .order_by("programme__name")
        .values_list(person_column, "programme__name")
    ):
        programmes.setdefault(person_id, []).append(name)
    for p in model.objects.filter(organisation=organisation).order_by("id").iterator(chunk_size=2000):
        value = {
            "external_ref": p.external_ref or f"{importing.OWN_REF}{p.pk}",
            "first_name": p.first_name,
            "last_name": p.last_name,
            "email": getattr(p, "email", ""),
            "phone": p.phone,
            "birth_year": p.birth_year or "",
            "gender": gender.get(p.gender, "") if p.gender else "",
            "languages": ", ".join(language(c) for c in p.languages),
            "swedish_level": level.get(p.swedish_level, p.swedish_level),
            "interests": ", ".join(p.interests),
            "availability": ", ".join(slots.get(s, s) for s in p.availability),
            "postcode": p.postcode,
            "locality": p.locality,
            "gender_preference": preference.get(p.gender_preference, "") if p.gender_preference else "",
            "household_adults": p.household_adults,
            "children_ages": ", ".join(str(a) for a in p.household_children_ages),
            "programmes": ", ".join(programmes.get(p.pk, [])),
            "capacity": getattr(p, "capacity", ""),
            # The importer's words for the wish, so the export reads back unchanged.
            "wants_family": (
                "" if not isinstance(p, Volunteer) or p.wants_family is None else "ja" if p.wants_family else "nej"
            ),
            "status": status.get(p.status, p.status),
            "target_group": target_group.get(p.target_group, p.target_group) if isinstance(p, Newcomer) else "",
            "registered_on": p.registered_on.isoformat() if isinstance(p, Newcomer) else "",
            "consent_given_on": timezone.localdate(p.consent_given_at).isoformat()
            if isinstance(p, Newcomer) and p.consent_given_at
            else "",
            "consent_method": consent_method.get(p.consent_method, p.consent_method) if isinstance(p, Newcomer) else "",
            "consent_shareable": ", ".join(shareable[f] for f in p.consent_shareable if f in shareable)
            if isinstance(p, Newcomer)
            else "",
            "interpreter_language": language(p.interpreter_language)
            if isinstance(p, Newcomer) and p.interpreter_language
            else "",
        }
        yield [str(value[k]) if value[k] is not None else "" for k in keys]


def export_matches(*, organisation: Organisation) -> list[list[str]]:
    """The organisation's matches, one row each (1 query)."""
    rows = [
        [
            str(pgettext("a column with one programme a row", "Program")),
            str(_("Nyanländ")),
            str(_("Volontär")),
            str(_("Läge")),
            str(_("Startade")),
            str(_("Provperioden slutar")),
            str(_("Planerat slut")),
            str(_("Avslutad")),
            str(_("Orsak")),
        ]
    ]
    for m in (
        Match.objects.filter(programme__organisation=organisation)
        .select_related("programme", "newcomer", "volunteer")
        .order_by("started_on", "id")
    ):
        rows.append(
            [
                m.programme.name,
                str(m.newcomer),
                str(m.volunteer),
                str(m.get_state_display()),
                m.started_on.isoformat(),
                m.trial_ends_on.isoformat(),
                m.planned_end_on.isoformat(),
                m.ended_on.isoformat() if m.ended_on else "",
                str(m.get_end_reason_display()) if m.end_reason else "",
            ]
        )
    return rows


# --- The funder report -------------------------------------------------------------------------

# Counts smaller than this (and not 0) are never shown: SCB's and the county boards' usual
# threshold for figures about people.
SMALL = 3

# A count as a report shows it: the number, or the words that stand in for a hidden one.
Cell = int | str


def small_text() -> str:
    return str(_("färre än 3"))


def hidden_text() -> str:
    return str(pgettext("a figure hidden so that a small one cannot be worked out", "dold"))


@dataclass(frozen=True)
class Breakdown:
    """One breakdown of the report: its groups, in a fixed order, and their total. `withheld`
    when even hiding every group would not protect the small ones (see `suppress`)."""

    title: str
    rows: list[tuple[str, Cell]]
    total: Cell
    note: str = ""
    withheld: bool = False


def _pinned(hidden_sum: tuple[int, int], small: int, extra: int, most: int) -> bool:
    """Whether a reader could work out one of `small` hidden counts exactly (as 1 or as 2).

    What the reader knows: the hidden cells add up to a number in `hidden_sum` (the total less
    the figures shown; 1 or 2 when the total itself says "färre än 3"); each cell marked "färre
    än 3" is 1 or 2; each cell marked "dold" is at least 3 (else it would say "färre än 3") and at
    most `most` (the smallest figure still shown, since the smallest is hidden first). A small
    cell is safe when both 1 and 2 fit the rest.
    """
    low, high = hidden_sum
    others_low = (small - 1) + SMALL * extra
    others_high = 2 * (small - 1) + most * extra

    def fits(value: int) -> bool:
        return low - value <= others_high and high - value >= others_low

    return not (fits(1) and fits(2))


def suppress(counts: list[int]) -> tuple[list[Cell], Cell, bool]:
    """The cells and the total of one breakdown as the report may show them, and whether the
    breakdown must be withheld altogether.

    The standard approach of official statistics (primary and complementary cell suppression):

    1. Primary: every count of 1 or 2 says "färre än 3" (0 is shown: it identifies no one).
    2. Complementary: the total is shown (a funder needs it), so a single hidden cell could be
       worked out by subtraction. While any small cell can still be worked out exactly from the
       total and the figures shown (`_pinned`, which also knows that a complementary cell is 3 or
       more), the smallest figure still shown in the same breakdown is hidden too, as "dold".
    3. A breakdown in which every group is small and the total still gives them away (4 people, 2
       and 2; or 2 people, 1 and 1) cannot be protected by hiding more of it: it is withheld.

    Groups are listed in a fixed order (never by size), so their order tells nothing either.
    The reader this protects against knows the published breakdown and these rules (what each
    marker means, that the smallest figure is hidden first), as an audit of a suppressed table
    does; tests/coordinator/test_report_suppression.py checks every breakdown of up to five
    groups that way. One who also reasons about why the hiding stopped where it did can, in rare
    tables, narrow a hidden count further.
    """
    total = sum(counts)
    small = {i for i, n in enumerate(counts) if 0 < n < SMALL}
    extra: set[int] = set()
    withheld = False
    while small:
        shown = [i for i, n in enumerate(counts) if n > 0 and i not in small | extra]
        hidden = total - sum(counts[i] for i in shown)
        # a total of 1 or 2 is itself hidden: then all the reader knows is that it is 1 or 2
        hidden_sum = (1, SMALL - 1) if 0 < total < SMALL else (hidden, hidden)
        most = min((counts[i] for i in shown), default=hidden_sum[1])
        if not _pinned(hidden_sum, len(small), len(extra), most):
            break
        if not shown:
            withheld = True
            break
        extra.add(min(shown, key=lambda i: (counts[i], i)))
    cells: list[Cell] = [
        small_text() if i in small else hidden_text() if i in extra else n for i, n in enumerate(counts)
    ]
    return cells, shown_count(total), withheld


def shown_count(n: int) -> Cell:
    """A single figure (a headline total): "färre än 3" when it is 1 or 2."""
    return small_text() if 0 < n < SMALL else n


def funder_counts(*, organisation: Organisation, start: date, end: date) -> dict[str, Any]:
    """The report's figures as counted, before any is hidden: for `funder_report` and for tests
    of the counting. Never show these: `funder_report` is what a page or a document may show.

    Who took part: the newcomers and volunteers in a match that was open at some time in the
    period. Matches started, open, and ended (by reason) in the period; follow-ups done in it.
    Meetings logged in it, and the volunteer hours they add up to. Newcomers split by programme,
    target group, gender, age band and locality; volunteers by programme, gender and age band.
    Queries: 4 (the matches with their people and programmes, the follow-ups done, the meetings,
    the organisation's programmes), however many people took part.
    """
    matches = list(
        Match.objects.filter(programme__organisation=organisation, started_on__lte=end)
        .filter(Q(ended_on__isnull=True) | Q(ended_on__gte=start))
        .select_related("programme", "newcomer", "volunteer")
    )
    follow_ups_done = FollowUp.objects.filter(
        match__programme__organisation=organisation, done_on__gte=start, done_on__lte=end
    ).count()
    met = Meeting.objects.filter(match__programme__organisation=organisation, on__gte=start, on__lte=end).aggregate(
        n=Count("id"), minutes=Sum("minutes")
    )
    programmes = list(organisation.programmes.order_by("name"))
    newcomers = {m.newcomer_id: m.newcomer for m in matches}
    volunteers = {m.volunteer_id: m.volunteer for m in matches}
    started = [m for m in matches if m.started_on >= start]
    ended = [m for m in matches if m.ended_on and start <= m.ended_on <= end]

    gender_label = dict(Gender.choices)
    unknown = str(_("Okänd"))
    bands = [f"{lo}–{hi}" if hi is not None else f"{lo}+" for lo, hi in AGE_BANDS] + [unknown]
    genders = [str(label) for _v, label in Gender.choices] + [unknown]
    names = [p.name for p in programmes]

    def table(counter: Counter[str], order: list[str]) -> list[tuple[str, int]]:
        return [(k, counter.get(k, 0)) for k in order]

    def in_programmes(people_of: str) -> Counter[str]:
        pairs = {(m.programme.name, getattr(m, people_of)) for m in matches}
        return Counter(name for name, _person in pairs)

    localities = Counter(n.locality.strip() or unknown for n in newcomers.values())
    places = sorted((k for k in localities if k != unknown), key=str.casefold) + [unknown]
    twice = str(_("Den som deltagit i två program räknas i båda."))
    return {
        "totals": [
            (str(_("Nyanlända som deltog")), len(newcomers)),
            (str(_("Volontärer som deltog")), len(volunteers)),
            (str(_("Matchningar som startade")), len(started)),
            (str(_("Matchningar som pågick under perioden")), len(matches)),
            (str(_("Matchningar som avslutades")), len(ended)),
            (str(_("Uppföljningar som gjordes")), follow_ups_done),
            (str(_("Träffar som antecknades")), met["n"]),
            (str(_("Volontärtimmar i antecknade träffar")), round((met["minutes"] or 0) / 60)),
        ],
        "tables": [
            (str(_("Nyanlända per program")), table(in_programmes("newcomer_id"), names), twice),
            (str(_("Volontärer per program")), table(in_programmes("volunteer_id"), names), twice),
            (
                str(_("Matchningar per program")),
                table(Counter(m.programme.name for m in matches), names),
                "",
            ),
            (
                str(_("Nyanlända per målgrupp")),
                table(
                    Counter(str(n.get_target_group_display()) for n in newcomers.values()),
                    [str(label) for _v, label in TargetGroup.choices],
                ),
                "",
            ),
            (
                str(_("Nyanlända per kön")),
                table(Counter(str(gender_label.get(n.gender, unknown)) for n in newcomers.values()), genders),
                "",
            ),
            (
                str(_("Nyanlända per åldersgrupp")),
                table(Counter(age_band(n.birth_year, end) for n in newcomers.values()), bands),
                "",
            ),
            (str(_("Nyanlända per ort")), table(localities, places), ""),
            (
                str(_("Volontärer per kön")),
                table(Counter(str(gender_label.get(v.gender, unknown)) for v in volunteers.values()), genders),
                "",
            ),
            (
                str(_("Volontärer per åldersgrupp")),
                table(Counter(age_band(v.birth_year, end) for v in volunteers.values()), bands),
                "",
            ),
            (
                str(_("Avslutade matchningar per orsak")),
                table(
                    Counter(str(m.get_end_reason_display()) for m in ended),
                    [str(label) for _v, label in Match.EndReason.choices],
                ),
                "",
            ),
        ],
        "programmes": [f"{p.name} ({p.get_kind_display()})" for p in programmes],
        "programme_objects": programmes,
    }


def definitions() -> list[tuple[str, str]]:
    """What each figure means, said once for the page and every document."""
    return [
        (
            str(_("Deltagit")),
            str(
                _(
                    "En nyanländ eller volontär har deltagit om hon varit med i en matchning som pågick någon "
                    "gång under perioden: den startade senast periodens sista dag och hade inte avslutats före "
                    "dess första dag. Var och en räknas en gång, hur många matchningar hon än haft."
                )
            ),
        ),
        (
            str(_("Matchning")),
            str(
                _(
                    "En nyanländ och en volontär (eller en volontärfamilj) som samordnaren parat ihop i ett "
                    "program. Startade: startdatum inom perioden. Avslutades: slutdatum inom perioden, med "
                    "orsaken som samordnaren angav."
                )
            ),
        ),
        (
            str(_("Uppföljning")),
            str(_("Ett uppföljningssamtal som samordnaren registrerat som gjort, med ett datum inom perioden.")),
        ),
        (
            str(_("Träff och volontärtimmar")),
            str(
                _(
                    "En träff som volontären eller samordnaren antecknat, med ett datum inom perioden. "
                    "Volontärtimmarna är träffarnas ungefärliga längd sammanlagd, i hela timmar."
                )
            ),
        ),
        (
            str(_("Ålder")),
            str(
                _(
                    "Periodens slutår minus födelseåret, alltså den ålder personen fyller det året. Okänd när "
                    "födelseår saknas."
                )
            ),
        ),
        (
            str(_("Målgrupp")),
            str(
                _(
                    "Som socialsekreteraren registrerat den nyanlända: nyanländ med uppehållstillstånd, "
                    "asylsökande eller ensamkommande barn (målgrupperna för ersättning enligt 37 a §)."
                )
            ),
        ),
        (str(_("Ort")), str(_("Orten i den nyanländas adress, som den registrerats. Okänd när den saknas."))),
        (
            str(_("Väntetid till första matchning")),
            str(
                _(
                    "För de nyanlända som registrerades under perioden: dagarna från registreringen till den "
                    "första matchningen, som programmen såg ut periodens sista dag. Den som fortfarande väntade "
                    "räknas så länge hon hade väntat, den som lämnade programmet utan matchning så länge hon var "
                    "med (Kaplan–Meier). Hälften matchade efter: det antal dagar då hälften hade fått en "
                    "matchning. Andelen matchade visas inte när de matchade eller de övriga är 1 eller 2, och "
                    "bara grupper med minst 10 nyanlända visas; mindre grupper räknas ihop. En grupp pekas ut "
                    "när hälften av den fått en matchning först efter minst en och en halv gånger så lång tid "
                    "som alla, och minst två veckor längre."
                )
            ),
        ),
        (
            small_text(),
            str(
                _(
                    "Ett antal på 1 eller 2 visas inte, så att ingen kan kännas igen: det står färre än 3. "
                    "Noll visas som 0."
                )
            ),
        ),
        (
            hidden_text(),
            str(
                _(
                    "Summorna visas, så ett ensamt dolt antal skulle kunna räknas fram genom subtraktion. Därför "
                    "döljs också det minsta andra antalet i samma uppdelning (det är 3 eller fler), tills inget "
                    "antal under 3 går att räkna fram. En uppdelning där varje grupp är liten redovisas inte."
                )
            ),
        ),
    ]


def funder_report(*, organisation: Organisation, start: date, end: date, made_by: User) -> dict[str, Any]:
    """The report a municipality hands to Länsstyrelsen for state funding under 37 a § of
    förordningen (2010:1122) om statlig ersättning för insatser för vissa nyanlända invandrare:
    who reports, for which programmes and period, who made it and when, the figures with small
    counts hidden (`suppress`), and what each figure means. In the user's language.

    Queries: 5 (`funder_counts`, and who waits longest among the period's newcomers).
    """
    from coordinator.selectors.waiting import report_waiting  # it reads age bands from here

    counts = funder_counts(organisation=organisation, start=start, end=end)
    tables = []
    for title, rows, note in counts["tables"]:
        cells, total, withheld = suppress([n for _label, n in rows])
        if withheld:
            note = str(_("Varje grupp är mindre än 3, så uppdelningen redovisas inte."))
        tables.append(
            Breakdown(
                title=title,
                rows=[] if withheld else [(label, cell) for (label, _n), cell in zip(rows, cells, strict=True)],
                total=total,
                note=note,
                withheld=withheld,
            )
        )
    name = made_by.get_full_name()
    return {
        "organisation": organisation,
        "organisation_kind": str(organisation.get_kind_display()),
        "programmes": counts["programmes"],
        "start": start,
        "end": end,
        "made_by": f"{name} ({made_by.email})" if name else made_by.email,
        "made_at": timezone.localtime(),
        "totals": [(label, shown_count(n)) for label, n in counts["totals"]],
        "tables": tables,
        "waiting": report_waiting(programmes=counts["programme_objects"], start=start, end=end),
        "definitions": definitions(),
    }


def export_row_count(*, organisation: Organisation, what: str) -> int:
    """How many rows of people or matches an export will hold (1 query)."""
    if what == "matches":
        return Match.objects.filter(programme__organisation=organisation).count()
    model = Volunteer if what == "volunteers" else Newcomer
    return model.objects.filter(organisation=organisation).count()


def export_files_of(*, user: User, organisation: Organisation) -> QuerySet[ExportFile]:
    """The export files this user asked for in this organisation, still kept, newest first:
    nobody else's, whatever their role (1 query when listed)."""
    since = timezone.now() - timedelta(hours=ExportFile.KEPT_HOURS)
    return ExportFile.objects.filter(organisation=organisation, requested_by=user, created_at__gte=since).defer(
        "content", "subjects"
    )


def export_subjects(*, organisation: Organisation, what: str) -> list[tuple[str, int, int]]:
    """The people an export holds, for the audit trail (1 query)."""
    if what == "matches":
        pairs = Match.objects.filter(programme__organisation=organisation).values_list("newcomer_id", "volunteer_id")
        return [("newcomer", n, organisation.pk) for n, _v in pairs] + [
            ("volunteer", v, organisation.pk) for _n, v in pairs
        ]
    model, name = (Volunteer, "volunteer") if what == "volunteers" else (Newcomer, "newcomer")
    return [
        (name, pk, organisation.pk)
        for pk in model.objects.filter(organisation=organisation).values_list("pk", flat=True)
    ]
