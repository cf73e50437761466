"""Exports and the funder report."""

from datetime import date
from typing import Any

from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from accounts.models import Organisation
from coordinator import importing, vocabulary
from coordinator.models import FollowUp, Gender, Match, Newcomer, TargetGroup, Volunteer

# --- Exports and the funder report -------------------------------------------------------------

AGE_BANDS = [(0, 17), (18, 25), (26, 35), (36, 50), (51, 65), (66, None)]


def _age_band(birth_year: int | None, on: date) -> str:
    if not birth_year:
        return str(_("Okänd"))
    age = on.year - birth_year
    for low, high in AGE_BANDS:
        if high is None or age <= high:
            return f"{low}–{high}" if high is not None else f"{low}+"
    return str(_("Okänd"))


def export_people(*, organisation: Organisation, kind: str) -> list[list[str]]:
    """Everyone of one kind in the organisation, as the import template's columns (so an export
    can be corrected and imported again). Free text (needs, notes) is never exported.

    Queries: 2 (the people, their programmes).
    """
    model = Volunteer if kind == "volunteers" else Newcomer
    keys = importing.columns_for(kind)
    rows = [[importing.COLUMNS[k][0] for k in keys]]
    people = model.objects.filter(organisation=organisation).prefetch_related("programmes").order_by("id")
    for p in people:
        value = {
            "external_ref": p.external_ref or f"{importing.OWN_REF}{p.pk}",
            "first_name": p.first_name,
            "last_name": p.last_name,
            "email": getattr(p, "email", ""),
            "phone": p.phone,
            "birth_year": p.birth_year or "",
            "gender": p.get_gender_display() if p.gender else "",
            "languages": ", ".join(vocabulary.language_names(p.languages)),
            "swedish_level": p.get_swedish_level_display(),
            "interests": ", ".join(p.interests),
            "availability": ", ".join(vocabulary.slot_label(s) for s in p.availability),
            "postcode": p.postcode,
            "locality": p.locality,
            "gender_preference": p.get_gender_preference_display() if p.gender_preference else "",
            "household_adults": p.household_adults,
            "children_ages": ", ".join(str(a) for a in p.household_children_ages),
            "programmes": ", ".join(pr.name for pr in p.programmes.all()),
            "capacity": getattr(p, "capacity", ""),
            "status": p.get_status_display(),
            "target_group": p.get_target_group_display() if isinstance(p, Newcomer) else "",
            "registered_on": p.registered_on.isoformat() if isinstance(p, Newcomer) else "",
            "consent_given_on": timezone.localdate(p.consent_given_at).isoformat()
            if isinstance(p, Newcomer) and p.consent_given_at
            else "",
            "consent_method": p.get_consent_method_display() if isinstance(p, Newcomer) else "",
            "consent_shareable": ", ".join(p.shareable_labels) if isinstance(p, Newcomer) else "",
            "interpreter_language": (
                vocabulary.language_names([p.interpreter_language])[0]
                if isinstance(p, Newcomer) and p.interpreter_language
                else ""
            ),
        }
        rows.append([str(value[k]) if value[k] is not None else "" for k in keys])
    return rows


def export_matches(*, organisation: Organisation) -> list[list[str]]:
    """The organisation's matches, one row each (1 query)."""
    rows = [
        [
            str(pgettext("a column with one programme a row", "Program")),
            str(_("Nyanländ")),
            str(_("Volontär")),
            str(_("Läge")),
            str(_("Start")),
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


def funder_report(*, organisation: Organisation, start: date, end: date) -> dict[str, Any]:
    """The figures a funder asks for (Länsstyrelsen, §37a), for a period and an organisation.

    Who took part: the newcomers and volunteers in a match that was open at some time in the
    period. Matches started, open, and ended (by reason) in the period; follow-ups done in it.
    Newcomers split by programme, target group, gender, age band and locality; volunteers by
    gender and age band. Queries: 3.
    """
    from collections import Counter

    matches = list(
        Match.objects.filter(programme__organisation=organisation, started_on__lte=end)
        .filter(Q(ended_on__isnull=True) | Q(ended_on__gte=start))
        .select_related("programme", "newcomer", "volunteer")
    )
    follow_ups_done = FollowUp.objects.filter(
        match__programme__organisation=organisation, done_on__gte=start, done_on__lte=end
    ).count()
    programmes = list(organisation.programmes.order_by("name"))
    newcomers = {m.newcomer_id: m.newcomer for m in matches}
    volunteers = {m.volunteer_id: m.volunteer for m in matches}
    newcomer_programmes: Counter[str] = Counter()
    for m in matches:
        newcomer_programmes[m.programme.name] += 1
    started = [m for m in matches if m.started_on >= start]
    ended = [m for m in matches if m.ended_on and start <= m.ended_on <= end]
    end_reasons = Counter(str(m.get_end_reason_display()) for m in ended)

    def table(counter: Counter[str], order: list[str] | None = None) -> list[tuple[str, int]]:
        keys = order if order is not None else sorted(counter, key=lambda k: (-counter[k], k))
        return [(k, counter.get(k, 0)) for k in keys]

    gender_label = dict(Gender.choices)
    unknown = str(_("Okänd"))
    bands = [f"{lo}–{hi}" if hi is not None else f"{lo}+" for lo, hi in AGE_BANDS] + [unknown]
    by_programme: Counter[str] = Counter()
    for p in programmes:
        by_programme[p.name] = sum(1 for m in matches if m.programme_id == p.pk)
    return {
        "organisation": organisation,
        "start": start,
        "end": end,
        "totals": [
            (str(_("Nyanlända som deltog")), len(newcomers)),
            (str(_("Volontärer som deltog")), len(volunteers)),
            (str(_("Matchningar som startade")), len(started)),
            (str(_("Matchningar som pågick under perioden")), len(matches)),
            (str(_("Matchningar som avslutades")), len(ended)),
            (str(_("Uppföljningar som gjordes")), follow_ups_done),
        ],
        "tables": [
            (str(_("Matchningar per program")), table(by_programme, [p.name for p in programmes])),
            (str(_("Avslutade matchningar per orsak")), table(end_reasons)),
            (
                str(_("Nyanlända per målgrupp")),
                table(
                    Counter(str(n.get_target_group_display()) for n in newcomers.values()),
                    [str(label) for _v, label in TargetGroup.choices],
                ),
            ),
            (
                str(_("Nyanlända per kön")),
                table(Counter(str(gender_label.get(n.gender, unknown)) for n in newcomers.values())),
            ),
            (
                str(_("Nyanlända per åldersgrupp")),
                table(Counter(_age_band(n.birth_year, end) for n in newcomers.values()), bands),
            ),
            (str(_("Nyanlända per ort")), table(Counter(n.locality or unknown for n in newcomers.values()))),
            (
                str(_("Volontärer per kön")),
                table(Counter(str(gender_label.get(v.gender, unknown)) for v in volunteers.values())),
            ),
            (
                str(_("Volontärer per åldersgrupp")),
                table(Counter(_age_band(v.birth_year, end) for v in volunteers.values()), bands),
            ),
        ],
    }


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
