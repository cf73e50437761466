"""Why a newcomer was left unmatched, in words a coordinator can act on, and what the pool lacks.

Each reason has a code (for a user interface to translate) and an English sentence:

- ``no_volunteers``: the pool has no volunteer with a free place.
- ``no_volunteer_in_reach``: nobody lives within the programme's distance.
- ``no_shared_language``: nobody within reach speaks any of the newcomer's languages.
- ``no_common_time``: those who share a language are never free when the newcomer is.
- ``gender_preference``: those left are not of the gender wished for (by either side).
- ``wants_family``, ``wants_single``, ``wants_age``, ``wishes``: those left wish to meet someone
  else (extension `wishes`): a family, one person alone, someone of another age, or a mix.
- ``background_check``: the newcomer is a minor and none of those left has a background check.
- ``excluded``: those left are excluded for this newcomer.
- ``capacity``: those left are at capacity with existing matches.
- ``taken``: some volunteers fit, but the best whole-pool assignment gave them to others.
"""

from __future__ import annotations

from collections import Counter
from typing import Any

import numpy as np

from matching.encode import Encoded, great_circle_km
from matching.format import SLOTS
from matching.rules import age_wish_met, chord

LANGUAGE_NAMES = {
    "sv": "Swedish",
    "en": "English",
    "ar": "Arabic",
    "prs": "Dari",
    "fa": "Persian",
    "ti": "Tigrinya",
    "so": "Somali",
    "uk": "Ukrainian",
    "ru": "Russian",
    "ckb": "Kurdish (Sorani)",
    "kmr": "Kurdish (Kurmanji)",
    "fr": "French",
    "es": "Spanish",
    "de": "German",
    "tr": "Turkish",
    "ps": "Pashto",
    "am": "Amharic",
    "bs": "Bosnian",
    "sq": "Albanian",
    "pl": "Polish",
    "fi": "Finnish",
    "it": "Italian",
    "pt": "Portuguese",
    "ur": "Urdu",
    "hi": "Hindi",
    "zh": "Chinese",
    "th": "Thai",
    "sw": "Swahili",
    "my": "Burmese",
    "ta": "Tamil",
}


def language_name(code: str) -> str:
    return LANGUAGE_NAMES.get(code, code)


def _or_list(words: list[str]) -> str:
    return words[0] if len(words) == 1 else ", ".join(words[:-1]) + " or " + words[-1]


def _volunteers(count: int) -> str:
    return "the volunteer" if count == 1 else f"the {count} volunteers"


def _slot_words(slots: list[str]) -> str:
    return ", ".join(s.replace("-", " ") for s in slots)


def explain_unmatched(enc: Encoded, unmatched: np.ndarray, has_pair: np.ndarray) -> list[dict[str, str]]:
    """One {'newcomer', 'reason', 'code'} per unmatched newcomer, in the given order."""
    N, V = enc.newcomers, enc.volunteers
    prog = enc.problem.programme
    max_km = prog.max_distance_km
    within = f" within {max_km:g} km" if max_km is not None else ""
    out: list[dict[str, str]] = []

    located_v = np.flatnonzero(V.located)
    radius = chord(max_km) * (1 + 1e-9) + 1e-12 if max_km is not None else None
    trees: list[Any] = []  # the volunteers' k-d tree, built when first needed (often never: all "taken")

    anyone_unlocated = bool((~V.located).any())

    def tree() -> Any:  # scipy's cKDTree (scipy has no type information)
        if not trees:
            from scipy.spatial import cKDTree  # a tenth of a second to import; not needed on most runs

            trees.append(cKDTree(V.xyz[located_v]))
        return trees[0]

    def distance_binds(i: int) -> bool:
        return max_km is not None and len(located_v) > 0 and bool(N.located[i])

    def within_reach(i: int, among: np.ndarray) -> np.ndarray:
        """Those of the volunteers `among` whom newcomer i could meet by distance (rule 3)."""
        d = great_circle_km(N.lat[i], N.lon[i], V.lat[among], V.lon[among])
        return among[~V.located[among] | (d <= max_km)]

    def reachable(i: int) -> np.ndarray:
        """Volunteers whom newcomer i could meet by distance (rule 3), from the k-d tree."""
        if not distance_binds(i):
            return np.arange(len(V))
        near = located_v[np.asarray(tree().query_ball_point(N.xyz[i], radius), dtype=np.int64)]
        d = great_circle_km(N.lat[i], N.lon[i], V.lat[near], V.lon[near])
        near = near[d <= max_km]
        return np.union1d(near, np.flatnonzero(~V.located))

    def anyone_in_reach(i: int) -> bool:
        """Whether any volunteer lives within reach: the nearest one decides (the full search
        only when it falls in the tree's tiny slack beyond the limit)."""
        if not distance_binds(i) or anyone_unlocated:
            return True
        gap, nearest = tree().query(N.xyz[i], k=1, distance_upper_bound=radius)
        if not np.isfinite(gap):
            return False
        j = located_v[nearest]
        if great_circle_km(N.lat[i], N.lon[i], V.lat[j], V.lon[j]) <= max_km:
            return True
        return len(reachable(i)) > 0

    def speakers_in_reach(i: int) -> np.ndarray:
        """Volunteers within reach who share a language with newcomer i, ascending. Those who
        speak no Swedish share a language with few: their distances are computed directly."""
        speakers = np.flatnonzero(np.any(N.languages[i] & V.languages, axis=1))
        if not distance_binds(i):
            return speakers
        if len(speakers) > 2_000:
            cand = reachable(i)
            return cand[np.any(N.languages[i] & V.languages[cand], axis=1)]
        return within_reach(i, speakers)

    for i in unmatched:
        nid = N.ids[i]
        if has_pair[i]:
            out.append(
                {
                    "newcomer": nid,
                    "code": "taken",
                    "reason": "every volunteer who fits was given to another newcomer in the best overall "
                    "assignment; approving or declining other proposals may free one",
                }
            )
            continue
        if len(V) == 0:
            out.append({"newcomer": nid, "code": "no_volunteers", "reason": "there are no volunteers in the pool"})
            continue
        if not anyone_in_reach(i):
            out.append({"newcomer": nid, "code": "no_volunteer_in_reach", "reason": f"no volunteer lives{within}"})
            continue
        langs = [language_name(c) for c in enc.problem.newcomers[i].languages]
        cand = speakers_in_reach(i)
        if len(cand) == 0:
            out.append(
                {"newcomer": nid, "code": "no_shared_language", "reason": f"nobody{within} speaks {_or_list(langs)}"}
            )
            continue
        step = cand[(N.slots[i] & V.slots[cand]) != 0]
        if len(step) == 0:
            free = _slot_words(list(enc.problem.newcomers[i].availability)) or "no time given"
            out.append(
                {
                    "newcomer": nid,
                    "code": "no_common_time",
                    "reason": f"{_volunteers(len(cand))}{within} who "
                    f"{'speaks' if len(cand) == 1 else 'speak'} {_or_list(langs)} "
                    f"{'is' if len(cand) == 1 else 'are'} never free when the newcomer is ({free})",
                }
            )
            continue
        cand = step
        pn, pv = N.preference[i], V.preference[cand]
        step = cand[((pn < 0) | (V.gender[cand] == pn)) & ((pv < 0) | (pv == N.gender[i]))]
        if len(step) == 0:
            out.append(
                {
                    "newcomer": nid,
                    "code": "gender_preference",
                    "reason": f"{_volunteers(len(cand))}{within} who share a language and a time "
                    f"do not match the gender wished for (by the newcomer or by the volunteer)",
                }
            )
            continue
        cand = step
        family, wished = int(enc.newcomer_family[i]), enc.volunteer_wished_family[cand]
        household_ok = (wished < 0) | (family < 0) | (wished == family)
        age_ok = age_wish_met(enc.newcomer_age[i], enc.volunteer_age_min[cand], enc.volunteer_age_max[cand])
        step = cand[household_ok & age_ok]
        if len(step) == 0:
            out.append(_wishes_reason(nid, len(cand), family, household_ok, age_ok))
            continue
        cand = step
        if enc.newcomer_minor[i]:
            step = cand[enc.volunteer_checked[cand]]
            if len(step) == 0:
                out.append(
                    {
                        "newcomer": nid,
                        "code": "background_check",
                        "reason": f"the newcomer is a minor and none of {_volunteers(len(cand))} who would "
                        f"fit has a background check (utdrag ur belastningsregistret)",
                    }
                )
                continue
            cand = step
        m = len(V)
        if len(enc.exclusion_keys):
            step = cand[~np.isin(i * m + cand, enc.exclusion_keys)]
            if len(step) == 0:
                out.append(
                    {
                        "newcomer": nid,
                        "code": "excluded",
                        "reason": f"{_volunteers(len(cand))} who would fit "
                        f"{'is' if len(cand) == 1 else 'are'} excluded for this newcomer",
                    }
                )
                continue
            cand = step
        out.append(
            {
                "newcomer": nid,
                "code": "capacity",
                "reason": f"{_volunteers(len(cand))} who would fit "
                f"{'is' if len(cand) == 1 else 'are'} at capacity with existing matches",
            }
        )
    return out


def _wishes_reason(nid: str, count: int, family: int, household_ok: np.ndarray, age_ok: np.ndarray) -> dict[str, str]:
    """Everyone who would fit wished for someone else: say what, when it is one thing."""
    who = f"{_volunteers(count)} who would fit {'wishes' if count == 1 else 'wish'} to meet"
    if not household_ok.any() and age_ok.all():
        if family == 1:
            return {"newcomer": nid, "code": "wants_single", "reason": f"{who} one person, not a family"}
        return {"newcomer": nid, "code": "wants_family", "reason": f"{who} a family, not one person alone"}
    if household_ok.all():
        return {"newcomer": nid, "code": "wants_age", "reason": f"{who} someone of another age"}
    return {"newcomer": nid, "code": "wishes", "reason": f"{who} someone else (a family or one person, another age)"}


def gaps(enc: Encoded, unmatched: list[dict[str, str]]) -> dict[str, Any]:
    """What the pool lacks, from the unmatched: languages, time slots and areas to recruit for."""
    N, V = enc.newcomers, enc.volunteers
    index = {pid: i for i, pid in enumerate(N.ids)}
    by_code = Counter(u["code"] for u in unmatched)
    languages: Counter[str] = Counter()
    slots: Counter[str] = Counter()
    cells: dict[tuple[float, float], list[int]] = {}
    for u in unmatched:
        i = index[u["newcomer"]]
        person = enc.problem.newcomers[i]
        if u["code"] == "no_shared_language":
            languages.update(c for c in person.languages if c != "sv")
        if u["code"] == "no_common_time":
            slots.update(person.availability)
        if u["code"] in {"no_volunteer_in_reach", "no_shared_language", "taken", "capacity"} and N.located[i]:
            # Cells of about 25 km; a coordinator's map shows the place.
            key = (round(N.lat[i] * 4) / 4, round(N.lon[i] * 2) / 2)
            cells.setdefault(key, []).append(i)
    slot_supply = {s: int(np.count_nonzero(V.slots & np.uint32(1 << k))) for k, s in enumerate(SLOTS)}
    areas = [
        {"lat": round(float(np.mean(N.lat[ix])), 3), "lon": round(float(np.mean(N.lon[ix])), 3), "unmatched": len(ix)}
        for ix in cells.values()
    ]
    areas.sort(key=lambda a: (-a["unmatched"], a["lat"], a["lon"]))
    return {
        "by_reason": dict(sorted(by_code.items())),
        "languages": [
            {"language": c, "name": language_name(c), "unmatched": n}
            for c, n in sorted(languages.items(), key=lambda kv: (-kv[1], kv[0]))
        ],
        "slots": [
            {"slot": s, "unmatched": n, "volunteers_free": slot_supply[s]}
            for s, n in sorted(slots.items(), key=lambda kv: (-kv[1], SLOTS.index(kv[0])))
        ],
        "areas": areas[:20],
    }
