"""Outcomes a coordinator can see for a programme: how long matches last (Kaplan–Meier,
coordinator/survival.py), how many end early, why matches end, how often the two meet, and how
long newcomers wait. 3 queries whatever the number of matches (tests pin it at 10 and 1,000)."""

import statistics
from collections import Counter
from datetime import date, timedelta
from typing import Any

from django.db.models import Count, Min
from django.db.models.functions import TruncMonth
from django.utils import timezone
from django.utils.translation import gettext as _

from coordinator import survival, vocabulary
from coordinator.models import Match, Meeting, Programme, Proposal, TargetGroup
from matching.scoring import CRITERIA, weights_for

HALF_YEAR = 182  # days: "before six months", and where the predictors compare the thirds
CHECKPOINTS = (30, 90, HALF_YEAR, 365)  # days at which the share still going is shown
FEWEST = 5  # fewer matches followed this long: the estimate is not shown
MONTHS = 6  # months of meetings per match


def _quarter(day: date) -> str:
    return _("%(year)s kv. %(quarter)s") % {"year": day.year, "quarter": (day.month - 1) // 3 + 1}


def _months_back(today: date, n: int) -> list[date]:
    first = today.replace(day=1)
    out = []
    for _k in range(n):
        out.append(first)
        first = (first - timedelta(days=1)).replace(day=1)
    return list(reversed(out))


def _curve(durations: list[tuple[int, bool]]) -> dict[str, Any]:
    steps = survival.kaplan_meier(durations)
    points = []
    for day in CHECKPOINTS:
        step = survival.surviving_at(steps, day)
        followed = survival.followed_beyond(durations, day)
        points.append({"day": day, "step": step if followed >= FEWEST else None, "followed": followed})
    return {
        "steps": steps,
        "points": points,
        "median": survival.median_days(steps),
        "matches": len(durations),
        "ended": sum(1 for _d, e in durations if e),
    }


TOP_AREAS = 8  # areas (localities) shown by name; the rest together
MIN_ENDED = 30  # ended matches before the predictors report says anything
THIRDS = ("low", "middle", "high")


def _split(durations: list[tuple[int, bool]], keys: list[str], labels: dict[str, str], top: int = 0) -> list[dict]:
    """The curve's checkpoints for each value of `keys` (one per match), biggest first; with
    `top`, the rest as one row."""
    counts = Counter(keys)
    named = [k for k, _n in counts.most_common(top or None) if k]
    out = []
    for key in named:
        group = [d for d, k in zip(durations, keys, strict=True) if k == key]
        out.append({"label": labels.get(key, key), **_curve(group)})
    rest = [d for d, k in zip(durations, keys, strict=True) if k not in named]
    if rest and (top or any(not k for k in keys)):
        out.append({"label": _("Övriga och okänt"), **_curve(rest)})
    return out


def programme_outcomes(
    *, programme: Programme | None = None, programmes: list[Programme] | None = None, today: date | None = None
) -> dict[str, Any]:
    """A programme's outcomes, or (with `programmes`) an organisation's over all its programmes."""
    today = today or timezone.localdate()
    chosen: list[Programme] = programmes if programmes is not None else [programme] if programme else []
    ids = [p.pk for p in chosen]
    rows = list(
        Match.objects.filter(programme_id__in=ids).values_list(
            "started_on", "ended_on", "state", "end_reason", "intro_at", "newcomer__registered_on",
            "newcomer__target_group", "newcomer__locality", "newcomer__languages",
        )
    )  # fmt: skip
    durations = [(((ended or today) - started).days, state == Match.State.ENDED) for started, ended, state, *_r in rows]
    curve = _curve(durations)
    # An organisation's programmes may have trials of different lengths: the longest is used.
    trial_days = 30 * max((p.trial_months for p in chosen), default=1)
    trial = survival.surviving_at(curve["steps"], trial_days)
    half_year = survival.surviving_at(curve["steps"], HALF_YEAR)

    splits = [
        {
            "title": _("Efter målgrupp"),
            "heading": _("Målgrupp"),
            "rows": _split(durations, [row[6] for row in rows], {v: str(label) for v, label in TargetGroup.choices}),
        },
        {
            "title": _("Efter område"),
            "heading": _("Område"),
            "rows": _split(durations, [(row[7] or "").strip() for row in rows], {}, top=TOP_AREAS),
        },
        {
            "title": _("Efter språk"),
            "heading": _("Den nyanländes första språk"),
            "rows": _split(
                durations,
                [(row[8] or [""])[0] for row in rows],
                {code: str(name) for code, name in vocabulary.LANGUAGES.items()},
                top=TOP_AREAS,
            ),
        },
    ]

    reasons: Counter[tuple[str, str]] = Counter()
    for _started, ended, state, reason, *_rest in rows:
        if state == Match.State.ENDED and ended is not None:
            reasons[(_quarter(ended), reason)] += 1
    quarters = sorted({q for q, _r in reasons})[-4:]
    reason_rows = [
        {"label": label, "counts": [reasons[(q, value)] for q in quarters]}
        for value, label in Match.EndReason.choices
        if any(reasons[(q, value)] for q in quarters)
    ]

    months = _months_back(today, MONTHS)
    logged = dict(
        Meeting.objects.filter(match__programme_id__in=ids, on__gte=months[0])
        .annotate(month=TruncMonth("on"))
        .values_list("month")
        .annotate(n=Count("id"))
        .order_by()
    )
    meeting_rows = []
    for first in months:
        last = (first + timedelta(days=32)).replace(day=1) - timedelta(days=1)
        active = sum(1 for started, ended, *_r in rows if started <= last and (ended is None or ended >= first))
        n = logged.get(first, 0)
        meeting_rows.append(
            {"month": first, "active": active, "meetings": n, "per_match": n / active if active else None}
        )

    first_proposal = (
        Proposal.objects.filter(run__programme_id__in=ids)
        .values_list("newcomer_id", "newcomer__registered_on")
        .annotate(first=Min("run__created_at"))
        .order_by()
    )
    to_proposal = [(timezone.localdate(first) - registered).days for _pk, registered, first in first_proposal]
    to_intro = [(timezone.localdate(row[4]) - row[5]).days for row in rows if row[4] and row[5]]
    return {
        "curve": curve,
        "trial_days": trial_days,
        "ended_in_trial": 1 - trial.surviving,
        "ended_in_half_year": 1 - half_year.surviving,
        "half_year_followed": survival.followed_beyond(durations, HALF_YEAR) >= FEWEST,
        "trial_followed": survival.followed_beyond(durations, trial_days) >= FEWEST,
        "splits": [split for split in splits if split["rows"]],
        "quarters": quarters,
        "reasons": reason_rows,
        "meetings": meeting_rows,
        "days_to_proposal": statistics.median(to_proposal) if to_proposal else None,
        "days_to_intro": statistics.median(to_intro) if to_intro else None,
        "proposed": len(to_proposal),
        "introduced": len(to_intro),
    }


def curve_path(steps: list[survival.Step], *, width: int, height: int, days: int) -> str:
    """The survival curve as an SVG path of steps, drawn on the server (the strict CSP stays)."""

    def x(day: int) -> float:
        return round(min(day, days) / days * width, 1)

    def y(share: float) -> float:
        return round((1 - share) * height, 1)

    path = [f"M0,{y(1.0)}"]
    for step in steps[1:]:
        if step.day > days:
            break
        path.append(f"H{x(step.day)}V{y(step.surviving)}")
    path.append(f"H{width}")
    return "".join(path)


def _part_names() -> dict[str, str]:
    return {
        "score": _("poängen"),
        "language": _("språkdelen"),
        "interests": _("intressedelen"),
        "availability": _("tidsdelen"),
        "distance": _("avståndsdelen"),
        "age": _("åldersdelen"),
        "household": _("hushållsdelen"),
        "waiting": _("väntetidsdelen"),
    }


def _third_at(durations: list[tuple[int, bool]], day: int) -> dict[str, Any]:
    steps = survival.kaplan_meier(durations)
    step = survival.surviving_at(steps, day)
    # Known at `day`: ended by then, or followed at least that long (not censored before it).
    known = sum(1 for d, ended in durations if (ended and d <= day) or d >= day)
    return {"matches": len(durations), "step": step, "known": known}


def predictors(*, programme: Programme, today: date | None = None) -> dict[str, Any]:
    """What predicts lasting matches in this programme's own history: for the score and each of
    its parts, the matches split in thirds by the value at the proposal, with the share still
    going after six months (Kaplan–Meier, 95 % intervals) in the lowest and highest third, and
    whether the current weights agree. An observation, not proof; no weight changes by itself.
    Said only once MIN_ENDED matches have ended. 1 query."""
    today = today or timezone.localdate()
    rows = list(
        Match.objects.filter(programme=programme, proposal__isnull=False).values_list(
            "started_on", "ended_on", "state", "proposal__score", "proposal__parts"
        )
    )
    ended = sum(1 for row in rows if row[2] == Match.State.ENDED)
    if ended < MIN_ENDED:
        return {"enough": False, "ended": ended, "needed": MIN_ENDED}
    day = HALF_YEAR
    names = _part_names()
    weights = weights_for(programme.kind, programme.weights or {})
    measures = []
    for key in ("score", *CRITERIA):
        valued = []
        for started, ended_on, state, score, parts in rows:
            value = score if key == "score" else (parts or {}).get(key)
            if isinstance(value, int | float):
                valued.append((float(value), ((ended_on or today) - started).days, state == Match.State.ENDED))
        if len(valued) < 3 * FEWEST or len({v for v, _d, _e in valued}) < 3:
            continue  # too few, or the part was the same for everyone (a weight of 0, a rule)
        valued.sort(key=lambda t: t[0])
        third = len(valued) // 3
        groups = [valued[:third], valued[third:-third], valued[-third:]]
        thirds = [_third_at([(d, e) for _v, d, e in g], day) for g in groups]
        low, high = thirds[0], thirds[2]
        if min(low["known"], high["known"]) < FEWEST:
            verdict = "unclear"
        elif high["step"].low > low["step"].high:
            verdict = "longer"
        elif high["step"].high < low["step"].low:
            verdict = "shorter"
        else:
            verdict = "unclear"
        weight = None if key == "score" else weights.get(key, 0.0)
        if verdict == "longer":
            words = _("Matchningar med högre %(part)s har hållit längre här.") % {"part": names[key]}
        elif verdict == "shorter":
            words = _("Matchningar med högre %(part)s har inte hållit längre här, tvärtom.") % {"part": names[key]}
        else:
            words = _("Ingen tydlig skillnad: intervallen överlappar, eller för få har följts i sex månader.")
        agrees = None
        if weight is not None and verdict != "unclear":
            agrees = (verdict == "longer") == (weight > 0)
        measures.append(
            {
                "key": key,
                "name": names[key],
                "thirds": thirds,
                "verdict": verdict,
                "words": words,
                "weight": weight,
                "agrees": agrees,
            }
        )
    return {"enough": True, "ended": ended, "matches": len(rows), "day": day, "measures": measures}
