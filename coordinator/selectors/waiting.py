"""Who waits longest: for the newcomers of some programmes, split by first language, area,
gender, age band and target group, the share who have been matched and how long a newcomer
waits for her first match there, with the groups that wait much longer than the rest pointed
out. Waiting is a time to an event with some still waiting, so it is estimated as survival is
(coordinator/survival.py, Kaplan–Meier): a newcomer still waiting counts for as long as she has
waited so far, one who left the pool unmatched for as long as she was in it. 1 query."""

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date
from typing import Any
from urllib.parse import urlencode

from django.db.models import Min, Q
from django.utils import timezone
from django.utils.text import capfirst
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from coordinator import survival, vocabulary
from coordinator.models import Gender, Newcomer, Programme, TargetGroup
from coordinator.selectors.reports import age_band, age_bands

MIN_GROUP = 10  # fewer newcomers than this in a group: not compared (too few to say anything)
MUCH_LONGER = 1.5  # a group's median wait this many times everyone's, and
MORE_DAYS = 14  # at least this many days longer, is pointed out
WITHIN_DAYS = 90  # the share matched within this many days of registering is shown too
# While more than half of everyone still wait there is no half-way wait to compare; then a group
# is pointed out whose share matched within WITHIN_DAYS is everyone's divided by MUCH_LONGER or
# less, and at least this much lower.
MUCH_LESS = 0.10
# Each dimension's filter on the programme's people list (forms.PeopleFilterForm), the value
# that narrows it to those whose value is unknown, and the area of those without a locality
# (as the list shows it).
FILTERS = {
    "language": "first_language",
    "area": "locality",
    "gender": "gender",
    "age": "age",
    "target_group": "target_group",
}
UNKNOWN = "unknown"
NO_AREA = "–"
NO_AREA_TYPED = (NO_AREA, "-")  # as the list's filter takes it: the dash, or a hyphen typed on a phone
_AGE_ORDER = {band: i for i, band in enumerate(age_bands())}


@dataclass
class Group:
    label: str
    newcomers: int
    matched: int
    median_days: int | None  # None: more than half are still waiting
    within: float  # share matched within WITHIN_DAYS
    longer: bool = False
    durations: list[tuple[int, bool]] = field(default_factory=list, repr=False)
    # The programme's people list narrowed to this group (PeopleFilterForm's field and value).
    narrowed: dict[str, str] = field(default_factory=dict)

    @property
    def query(self) -> str:
        """`narrowed` as the people list's query string ("" for a group it cannot be narrowed to)."""
        return urlencode(self.narrowed)

    @property
    def match_rate(self) -> float:
        return self.matched / self.newcomers if self.newcomers else 0.0


@dataclass
class Dimension:
    title: str
    groups: list[Group] = field(default_factory=list)


def _group(label: str, durations: list[tuple[int, bool]], narrowed: dict[str, str] | None = None) -> Group:
    steps = survival.kaplan_meier(durations)
    return Group(
        label=label,
        narrowed=narrowed or {},
        newcomers=len(durations),
        matched=sum(1 for _d, matched in durations if matched),
        median_days=survival.median_days(steps),
        within=1 - survival.surviving_at(steps, WITHIN_DAYS).surviving,
        durations=durations,
    )


def _largest_first(item: tuple[tuple[str, str], list]) -> tuple:
    (label, value), durations = item
    return (-len(durations), label, value)


def _youngest_first(item: tuple[tuple[str, str], list]) -> tuple:
    (label, value), _durations = item
    return (_AGE_ORDER.get(value, len(_AGE_ORDER)), label, value)


def _waits_longer(group: Group, everyone: Group) -> bool:
    if group.newcomers < MIN_GROUP:
        return False
    if everyone.median_days is None:  # more than half of everyone still wait: compare the shares
        return group.within * MUCH_LONGER <= everyone.within and everyone.within - group.within >= MUCH_LESS
    if group.median_days is None:  # more than half of them still wait, while most others are matched
        return True
    return group.median_days >= MUCH_LONGER * everyone.median_days and (
        group.median_days - everyone.median_days >= MORE_DAYS
    )


def waiting_by_group(
    *, programmes: list[Programme], today: date | None = None, registered_from: date | None = None
) -> dict[str, Any]:
    """Everyone, each dimension's groups (largest first), and the groups that wait much longer
    than everyone, each with a sentence saying so.

    As the programmes stood on `today` (a past day for a report's period: a match or a leaving
    after it has not happened yet, so she counts as waiting until then), for the newcomers
    registered by then, from `registered_from` on when given (a period's own newcomers)."""
    today = today or timezone.localdate()
    ids = [p.pk for p in programmes]
    cohort = Q(registered_on__lte=today) & (Q(registered_on__gte=registered_from) if registered_from else Q())
    rows = (
        # Only those who could be matched: a newcomer without consent is not in the pool.
        Newcomer.objects.filter(cohort, programmes__in=ids, erased_at__isnull=True, consent_given_at__isnull=False)
        .annotate(first_match=Min("matches__started_on", filter=Q(matches__programme_id__in=ids)))
        .values_list(
            "pk", "registered_on", "first_match", "status", "updated_at", "consent_withdrawn_at", "languages",
            "locality", "gender", "birth_year", "target_group",
        )
        .distinct()
    )  # fmt: skip
    unknown = _("Okänd")
    # A group is many people: "Women", not "Woman" (Gender's own labels name one person).
    plural: dict[str, str] = {Gender.FEMALE: _("Kvinnor"), Gender.MALE: _("Män"), Gender.OTHER: _("Annat kön")}
    genders = {value: str(plural.get(value, label)) for value, label in Gender.choices}
    groups = {value: str(label) for value, label in TargetGroup.choices}
    # Per dimension, per (label, the people list's filter value), the group's durations.
    by: dict[str, dict[tuple[str, str], list[tuple[int, bool]]]] = defaultdict(lambda: defaultdict(list))
    everyone: list[tuple[int, bool]] = []
    # Areas however a locality is written ("Ekerö", "ekerö"), as the list's filter finds them
    # (any case): durations and the first spelling, by the locality casefolded.
    areas: dict[str, list[tuple[int, bool]]] = defaultdict(list)
    area_names: dict[str, str] = {}
    seen: set[int] = set()
    for (
        pk,
        registered,
        first_match,
        status,
        updated_at,
        withdrawn,
        languages,
        locality,
        gender,
        birth_year,
        target,
    ) in rows:
        if pk in seen:
            continue
        seen.add(pk)
        # She left the pool when she withdrew her consent, else when she was last changed (made inactive).
        left_on = timezone.localtime(withdrawn or updated_at).date()
        if first_match is not None and first_match <= today:
            duration = ((first_match - registered).days, True)
        elif first_match is None and status != Newcomer.Status.WAITING and left_on <= today:
            duration = ((left_on - registered).days, False)  # left unmatched: counted while she was in the pool
        else:  # still waiting on `today`
            duration = ((today - registered).days, False)
        duration = (max(duration[0], 0), duration[1])
        everyone.append(duration)
        first_language = (languages or [None])[0]
        if first_language:
            by["language"][vocabulary.language_names([first_language])[0], first_language].append(duration)
        else:
            by["language"][unknown, UNKNOWN].append(duration)
        written = (locality or "").strip()
        areas[written.casefold()].append(duration)
        area_names[written.casefold()] = min(area_names.get(written.casefold(), written), written)
        by["gender"][(genders[gender], gender) if gender in genders else (unknown, UNKNOWN)].append(duration)
        band = age_band(birth_year, today)
        by["age"][band, band if birth_year else UNKNOWN].append(duration)
        by["target_group"][groups.get(target, unknown), target if target in groups else ""].append(duration)
    for folded, durations in areas.items():
        name = area_names[folded]
        by["area"][(name, name) if folded else (unknown, NO_AREA)] = durations
    all_group = _group(str(_("Alla")), everyone)
    titles = {
        "language": _("Efter första språk"),
        "area": _("Efter område"),
        "gender": _("Efter kön"),
        "age": _("Efter ålder"),
        "target_group": _("Efter målgrupp"),
    }
    dimensions, longer = [], []
    for key, title in titles.items():
        dimension = Dimension(str(title))
        # Largest first; age bands youngest first, as a reader looks for an age.
        order = _youngest_first if key == "age" else _largest_first
        for (label, value), durations in sorted(by[key].items(), key=order):
            group = _group(label, durations, {FILTERS[key]: value} if value else None)
            group.longer = _waits_longer(group, all_group)
            dimension.groups.append(group)
            if group.longer:
                longer.append((dimension.title, group, _sentence(group, all_group)))
        dimensions.append(dimension)
    return {"everyone": all_group, "dimensions": dimensions, "longer": longer, "min_group": MIN_GROUP}


def _sentence(group: Group, everyone: Group) -> str:
    if everyone.median_days is None:
        return _("%(group)s: %(share)s fick en matchning inom %(days)s dagar, mot %(all)s av alla.") % {
            "group": capfirst(group.label),
            "share": f"{round(100 * group.within)} %",
            "days": WITHIN_DAYS,
            "all": f"{round(100 * everyone.within)} %",
        }
    if group.median_days is None:
        return _(
            "%(group)s: fler än hälften väntar fortfarande på en matchning, medan hälften av alla har fått en "
            "efter %(all)s dagar."
        ) % {"group": capfirst(group.label), "all": everyone.median_days}
    return _("%(group)s: hälften har fått en matchning efter %(days)s dagar, mot %(all)s dagar för alla.") % {
        "group": capfirst(group.label),
        "days": group.median_days,
        "all": everyone.median_days,
    }


@dataclass(frozen=True)
class ReportRow:
    """A group as a report may show it: no counts of people (a group's size, or how many of it
    are matched, could be one or two), only the share matched where neither those matched nor
    those not are one or two, and the half-way wait."""

    label: str
    share: str
    median: str
    longer: bool
    # The share as a fraction, for a spreadsheet to hold as a number (None where `share` is "–").
    rate: float | None = None


def _shown_rate(group: Group) -> float | None:
    if any(0 < k < 3 for k in (group.matched, group.newcomers - group.matched)):
        return None  # one or two matched, or one or two not: as a report's "färre än 3"
    return round(100 * group.match_rate) / 100


def _share(group: Group) -> str:
    rate = _shown_rate(group)
    return "–" if rate is None else f"{round(100 * rate)} %"


def _row(group: Group, longer: bool, label: str | None = None) -> ReportRow:
    return ReportRow(group.label if label is None else label, _share(group), _median(group), longer, _shown_rate(group))


def _median(group: Group) -> str:
    if group.median_days is None:
        return str(_("fler än hälften väntar"))
    return ngettext("%(days)s dag", "%(days)s dagar", group.median_days) % {"days": group.median_days}


def report_waiting(*, programmes: list[Programme], start: date, end: date) -> dict[str, Any]:
    """Who waits longest among the newcomers registered in a report's period, as the programmes
    stood at its end: for each dimension its groups of at least MIN_GROUP newcomers, the rest
    together as one row when that row is at least MIN_GROUP too (else left out, and said so);
    the groups pointed out as on the dashboard. 1 query."""
    found = waiting_by_group(programmes=programmes, today=min(end, timezone.localdate()), registered_from=start)
    everyone = found["everyone"]
    dimensions = []
    for dimension in found["dimensions"]:
        rows, rest = [], []
        for group in dimension.groups:
            if group.newcomers >= MIN_GROUP:
                rows.append(_row(group, group.longer))
            else:
                rest.append(group)
        left_out = ""
        if rest and sum(g.newcomers for g in rest) >= MIN_GROUP:
            merged: list[tuple[int, bool]] = []
            for g in rest:
                merged += g.durations
            other = _group(str(_("Övriga grupper tillsammans")), merged)
            rows.append(_row(other, False))
        elif rest:
            left_out = str(
                _("Grupper med färre än %(n)s nyanlända, som tillsammans också är färre än %(n)s, redovisas inte.")
                % {"n": MIN_GROUP}
            )
        dimensions.append((dimension.title, rows, left_out))
    return {
        "enough": everyone.newcomers >= MIN_GROUP,
        "newcomers": everyone.newcomers,
        "summary": _summary(everyone),
        "how_to_read": how_to_read(),
        "everyone": _row(everyone, False, label=str(_("Alla"))),
        "dimensions": dimensions,
        "longer": [sentence for _title, _group_, sentence in found["longer"]],
        "min_group": MIN_GROUP,
    }


def _summary(everyone: Group) -> str:
    """The period's newcomers in one sentence, leaving out what cannot be said."""
    parts = [
        str(
            ngettext(
                "%(n)s nyanländ registrerades under perioden.",
                "%(n)s nyanlända registrerades under perioden.",
                everyone.newcomers,
            )
            % {"n": everyone.newcomers}
        )
    ]
    share = _share(everyone)
    if share != "–":
        parts.append(str(_("%(share)s av dem har fått en matchning.") % {"share": share}))
    if everyone.median_days is None:
        parts.append(str(_("Fler än hälften väntar fortfarande på sin första matchning.")))
    else:
        parts.append(
            str(
                ngettext(
                    "Hälften fick sin första matchning efter %(days)s dag.",
                    "Hälften fick sin första matchning efter %(days)s dagar.",
                    everyone.median_days,
                )
                % {"days": everyone.median_days}
            )
        )
    return " ".join(parts)


def how_to_read() -> str:
    return str(
        _(
            "Andelen är hur många som fått en matchning hittills, också de vars matchning sedan har slutat "
            "och som väntar på en ny. Hälften matchade efter räknar med att de som "
            "har väntat en kortare tid ännu kan få en; därför kan en grupp med lägre andel ha ett kortare värde "
            "än en med högre, när den väntat kortare."
        )
    )
