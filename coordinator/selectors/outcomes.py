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

from coordinator import survival
from coordinator.models import Match, Meeting, Programme, Proposal, TargetGroup

CHECKPOINTS = (30, 90, 182, 365)  # days at which the share still going is shown
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


def programme_outcomes(*, programme: Programme, today: date | None = None) -> dict[str, Any]:
    today = today or timezone.localdate()
    rows = list(
        Match.objects.filter(programme=programme).values_list(
            "started_on", "ended_on", "state", "end_reason", "intro_at", "newcomer__registered_on",
            "newcomer__target_group",
        )
    )  # fmt: skip
    durations = [(((ended or today) - started).days, state == Match.State.ENDED) for started, ended, state, *_r in rows]
    curve = _curve(durations)
    trial_days = 30 * programme.trial_months
    trial = survival.surviving_at(curve["steps"], trial_days)
    half_year = survival.surviving_at(curve["steps"], 182)

    by_group = []
    for value, label in TargetGroup.choices:
        group = [d for d, row in zip(durations, rows, strict=True) if row[6] == value]
        if group:
            by_group.append({"label": label, **_curve(group)})

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
        Meeting.objects.filter(match__programme=programme, on__gte=months[0])
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
        Proposal.objects.filter(run__programme=programme)
        .values_list("newcomer_id", "newcomer__registered_on")
        .annotate(first=Min("run__created_at"))
        .order_by()
    )
    to_proposal = [(timezone.localdate(first) - registered).days for _pk, registered, first in first_proposal]
    to_intro = [(timezone.localdate(intro) - reg).days for _s, _e, _st, _r, intro, reg, _g in rows if intro and reg]
    return {
        "curve": curve,
        "trial_days": trial_days,
        "ended_in_trial": 1 - trial.surviving,
        "ended_in_half_year": 1 - half_year.surviving,
        "half_year_followed": survival.followed_beyond(durations, 182) >= FEWEST,
        "trial_followed": survival.followed_beyond(durations, trial_days) >= FEWEST,
        "by_group": by_group,
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
