"""How long matches last: the Kaplan–Meier estimate of the share of matches still going after a
number of days, counting ongoing matches correctly (censored at today, not as ended).

Kaplan, E. L. & Meier, P. (1958). Nonparametric estimation from incomplete observations.
*Journal of the American Statistical Association* 53(282), 457–481. The confidence band is
Greenwood's variance on the log-log scale (Kalbfleisch & Prentice 2002, section 1.4), which stays
within 0 and 1.

Pure: durations in, steps out; the selector (coordinator/selectors/outcomes.py) reads the matches.
"""

import math
from dataclasses import dataclass

Z95 = 1.959964


@dataclass(frozen=True)
class Step:
    day: int  # the estimate holds from this day on
    surviving: float  # the share of matches still going
    at_risk: int  # matches still going just before this day (and followed this long)
    ended: int  # matches that ended on this day
    low: float  # 95 % confidence band
    high: float


def kaplan_meier(durations: list[tuple[int, bool]]) -> list[Step]:
    """`durations`: (days from start, ended?) per match; a match still going is censored at its
    days so far. The estimate's steps at each day a match ended, the first at day 0 (all going).
    A match censored on a day a match ended is counted as at risk on that day, as is usual."""
    steps = [Step(0, 1.0, len(durations), 0, 1.0, 1.0)]
    surviving, greenwood = 1.0, 0.0
    for day in sorted({d for d, ended in durations if ended}):
        at_risk = sum(1 for d, _ended in durations if d >= day)
        ended = sum(1 for d, e in durations if e and d == day)
        surviving *= 1 - ended / at_risk
        if at_risk > ended:
            greenwood += ended / (at_risk * (at_risk - ended))
        low, high = _band(surviving, greenwood)
        steps.append(Step(day, surviving, at_risk, ended, low, high))
    return steps


def _band(surviving: float, greenwood: float) -> tuple[float, float]:
    if surviving <= 0 or surviving >= 1:
        return surviving, surviving
    log_s = math.log(surviving)
    spread = Z95 * math.sqrt(greenwood) / abs(log_s)
    return surviving ** math.exp(spread), surviving ** math.exp(-spread)


def surviving_at(steps: list[Step], day: int) -> Step:
    """The estimate on a day: the last step on or before it."""
    return [s for s in steps if s.day <= day][-1]


def median_days(steps: list[Step]) -> int | None:
    """The first day on which half or fewer of the matches are still going; None if never yet."""
    return next((s.day for s in steps if s.surviving <= 0.5), None)


def followed_beyond(durations: list[tuple[int, bool]], day: int) -> int:
    """How many matches were followed for at least `day` days (still at risk then): below a
    handful, the estimate at that day says little and is not shown."""
    return sum(1 for d, _ended in durations if d >= day)
