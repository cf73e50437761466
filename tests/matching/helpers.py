"""An independent reading of the spec's hard rules, in plain Python, to check the engine against."""

import math
from datetime import date


def haversine_km(a: dict, b: dict) -> float:
    p1, p2 = math.radians(a["lat"]), math.radians(b["lat"])
    dphi, dlmb = p2 - p1, math.radians(b["lon"] - a["lon"])
    h = math.sin(dphi / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dlmb / 2) ** 2
    return 2 * 6371.0 * math.asin(math.sqrt(min(1.0, h)))


def feasible_by_the_letter(doc: dict) -> set[tuple[str, str]]:
    ref = date.fromisoformat(doc.get("reference_date") or date.today().isoformat())
    max_km = doc["programme"].get("max_distance_km")
    locked = doc.get("locked") or []
    locked_n = {p["newcomer"] for p in locked}
    locked_count: dict[str, int] = {}
    for p in locked:
        locked_count[p["volunteer"]] = locked_count.get(p["volunteer"], 0) + 1
    out = set()
    for n in doc.get("newcomers") or []:
        for v in doc.get("volunteers") or []:
            if not set(n["languages"]) & set(v["languages"]):
                continue
            if not set(n.get("availability") or []) & set(v.get("availability") or []):
                continue
            both_located = n.get("location") and v.get("location")
            if max_km is not None and both_located and haversine_km(n["location"], v["location"]) > max_km:
                continue
            if n.get("gender_preference") and v.get("gender") != n["gender_preference"]:
                continue
            if v.get("gender_preference") and n.get("gender") != v["gender_preference"]:
                continue
            if not _wishes_met(n, v.get("wishes") or {}, ref.year):
                continue
            if n.get("birth_year") is not None and ref.year - n["birth_year"] < 18 and not v.get("background_checked"):
                continue
            if v["id"] in (n.get("exclude") or []) or n["id"] in (v.get("exclude") or []):
                continue
            if n["id"] in locked_n:
                continue
            if (v.get("capacity") or 1) - locked_count.get(v["id"], 0) <= 0:
                continue
            out.add((n["id"], v["id"]))
    return out


def _wishes_met(n: dict, wishes: dict, year: int) -> bool:
    """The `wishes` extension: a family is children or more than one adult; one person alone is
    one adult and no children; anything else is unknown and passes, as an unknown age does."""
    household = n.get("household") or {}
    adults, children = household.get("adults"), household.get("children")
    if children is None and household.get("children_ages") is not None:
        children = len(household["children_ages"])
    family = (children or 0) > 0 or (adults or 0) > 1
    alone = adults == 1 and children == 0
    if wishes.get("household") == "family" and alone or wishes.get("household") == "single" and family:
        return False
    if n.get("birth_year") is not None:
        age = year - n["birth_year"]
        if wishes.get("age_min") is not None and age < wishes["age_min"]:
            return False
        if wishes.get("age_max") is not None and age > wishes["age_max"]:
            return False
    return True


def person(pid: str, **fields) -> dict:
    base = {"id": pid, "languages": ["sv"], "availability": ["mon-evening"], "location": {"lat": 59.3, "lon": 18.0}}
    return {**base, **fields}


def problem(newcomers: list[dict], volunteers: list[dict], **extra) -> dict:
    programme = extra.pop("programme", {"kind": "sprakvan", "max_distance_km": 25})
    return {
        "format": "vanmatch.problem/1",
        "reference_date": "2026-11-22",
        "programme": programme,
        "newcomers": newcomers,
        "volunteers": volunteers,
        **extra,
    }
