"""A realistic synthetic matching problem (vanmatch.problem/1) for benchmarks.

    python bench/generate.py municipality|region|national [--variant V] [--seed N] [-o FILE]

What makes it realistic, and so hard:
- homes clustered around Swedish municipalities' centres (bench/municipalities.csv,
  populations rounded), a few neighbourhoods each, wider in rural municipalities;
- newcomers speak what newcomers in Sweden speak (Arabic, Dari, Tigrinya, Somali,
  Ukrainian, ...), two in three some Swedish; volunteers speak Swedish, most English,
  about one in eight a newcomer language;
- volunteers are free in the evenings and at weekends, retirees in the daytime too;
  newcomers mostly in the daytime after their Swedish classes;
- some gender preferences, 8 % minors, a third of volunteers background-checked,
  capacities of 1 to 3, registration up to a year back.

Variants, each the same pool changed in one way that real pools are (`--variant`):
- `unlocated`: 3 % of newcomers and volunteers without a location (imported spreadsheets
  without postcodes, asylum housing without an address yet); they pass the distance rule;
  `unlocated-1`: 1 % (the nation's target is set at 1 %);
- `online`: språkvän by video, no distance limit;
- `big-city`: three in five people moved into one big city's neighbourhoods (the largest
  municipality of the pool: Göteborg in the region);
- `ties`: few interests and the same two times for everyone, so scores tie heavily;
- `locks`: one newcomer in twenty in a locked pair, and one in ten with three volunteers
  excluded (declined proposals).
"""

from __future__ import annotations

import argparse
import csv
import json
import sys
from datetime import date, timedelta
from pathlib import Path

import numpy as np

HERE = Path(__file__).resolve().parent
SIZES = {
    # name: (newcomers, volunteers, municipalities or county, max_distance_km)
    "municipality": (2_000, 2_000, ["Eskilstuna"], 25),
    "region": (20_000, 15_000, "Västra Götaland", 25),
    "national": (150_000, 100_000, None, 25),
}
NEWCOMER_LANGUAGES = {"ar": 30, "prs": 12, "fa": 7, "ti": 11, "so": 10, "uk": 16, "ru": 4, "ckb": 5, "kmr": 5}
SECOND = {
    "ar": ["en", "fr", "ckb"],
    "prs": ["fa", "en", "ps"],
    "fa": ["en", "prs"],
    "ti": ["en", "am", "ar"],
    "so": ["en", "ar"],
    "uk": ["ru", "en"],
    "ru": ["en", "uk"],
    "ckb": ["ar", "en"],
    "kmr": ["tr", "ar"],
}
VOLUNTEER_EXTRA = ["ar", "fa", "prs", "ti", "so", "uk", "ru", "ckb", "de", "fr", "es"]
INTERESTS = [
    "cooking",
    "football",
    "walking",
    "reading",
    "music",
    "crafts",
    "outdoors",
    "fishing",
    "cycling",
    "gardening",
    "film",
    "chess",
    "art",
    "dance",
    "languages",
    "technology",
    "children",
    "history",
]
DAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
PARTS = ("morning", "afternoon", "evening")


def _municipalities(which) -> list[dict]:
    with open(HERE / "municipalities.csv", encoding="utf-8") as fh:
        rows = list(csv.DictReader(fh))
    if isinstance(which, list):
        rows = [r for r in rows if r["municipality"] in which]
    elif isinstance(which, str):
        rows = [r for r in rows if r["county"] == which]
    for r in rows:
        for key in ("lat", "lon", "spread_km"):
            r[key] = float(r[key])
        r["population"] = int(r["population"])
    return rows


def _homes(rng: np.random.Generator, places: list[dict], n: int) -> tuple[np.ndarray, np.ndarray]:
    weights = np.array([p["population"] for p in places], float)
    which = rng.choice(len(places), size=n, p=weights / weights.sum())
    lat0 = np.array([p["lat"] for p in places])[which]
    lon0 = np.array([p["lon"] for p in places])[which]
    spread = np.array([p["spread_km"] for p in places])[which]
    # Three neighbourhoods per municipality, each a Gaussian cluster.
    hood = rng.integers(0, 3, size=n)
    angle = (hood * 2.1 + which) % (2 * np.pi)
    offset_km = spread * 0.6
    north = offset_km * np.sin(angle) + rng.normal(0, spread * 0.5, n)
    east = offset_km * np.cos(angle) + rng.normal(0, spread * 0.5, n)
    lat = lat0 + north / 111.2
    lon = lon0 + east / (111.2 * np.cos(np.radians(lat0)))
    return np.round(lat, 5), np.round(lon, 5)


def _slots(rng: np.random.Generator, probabilities: np.ndarray) -> list[str]:
    chosen = rng.random(21) < probabilities
    if not chosen.any():
        chosen[int(rng.choice(21, p=probabilities / probabilities.sum()))] = True
    return [f"{DAYS[k // 3]}-{PARTS[k % 3]}" for k in np.flatnonzero(chosen)]


def _probabilities(weekday: tuple[float, float, float], weekend: tuple[float, float, float]) -> np.ndarray:
    return np.array([p for d in range(7) for p in (weekday if d < 5 else weekend)])


VOLUNTEER_FREE = _probabilities((0.05, 0.07, 0.35), (0.25, 0.3, 0.1))
RETIREE_FREE = _probabilities((0.35, 0.4, 0.2), (0.2, 0.25, 0.05))
NEWCOMER_FREE = _probabilities((0.12, 0.35, 0.22), (0.25, 0.3, 0.1))


def generate(size: str, seed: int = 1) -> dict:
    n_new, n_vol, area, max_km = SIZES[size]
    rng = np.random.default_rng(seed)
    places = _municipalities(area)
    reference = date(2026, 11, 22)
    codes = sorted(NEWCOMER_LANGUAGES)
    language_p = np.array([NEWCOMER_LANGUAGES[c] for c in codes], float)
    language_p /= language_p.sum()

    lat, lon = _homes(rng, places, n_new)
    newcomers = []
    for i in range(n_new):
        first = codes[rng.choice(len(codes), p=language_p)]
        languages = [first]
        if rng.random() < 0.45:
            languages.append(SECOND[first][rng.integers(len(SECOND[first]))])
        level = rng.choice(["none", "basic", "intermediate"], p=[0.35, 0.45, 0.2])
        if level != "none":
            languages.append("sv")
        minor = rng.random() < 0.08
        birth_year = int(reference.year - (rng.integers(14, 18) if minor else rng.integers(19, 66)))
        gender = "female" if rng.random() < 0.5 else "male"
        children = 0 if minor or rng.random() < 0.45 else int(rng.integers(1, 5))
        newcomers.append(
            {
                "id": f"n{i}",
                "languages": list(dict.fromkeys(languages)),
                "swedish_level": str(level),
                "interests": sorted(rng.choice(INTERESTS, size=int(rng.integers(1, 4)), replace=False).tolist()),
                "availability": _slots(rng, NEWCOMER_FREE),
                "location": {"lat": float(lat[i]), "lon": float(lon[i])},
                "gender": gender,
                "birth_year": birth_year,
                "gender_preference": "female" if gender == "female" and rng.random() < 0.3 else None,
                "household": {"adults": 1 if minor else int(rng.integers(1, 3)), "children": children},
                "registered_on": (reference - timedelta(days=int(rng.integers(0, 365)))).isoformat(),
            }
        )

    lat, lon = _homes(rng, places, n_vol)
    volunteers = []
    for j in range(n_vol):
        languages = ["sv"]
        if rng.random() < 0.8:
            languages.append("en")
        if rng.random() < 0.12:
            languages.append(VOLUNTEER_EXTRA[rng.integers(len(VOLUNTEER_EXTRA))])
        retiree = rng.random() < 0.25
        gender = str(rng.choice(["female", "male", "other"], p=[0.62, 0.36, 0.02]))
        volunteers.append(
            {
                "id": f"v{j}",
                "languages": list(dict.fromkeys(languages)),
                "interests": sorted(rng.choice(INTERESTS, size=int(rng.integers(1, 5)), replace=False).tolist()),
                "availability": _slots(rng, RETIREE_FREE if retiree else VOLUNTEER_FREE),
                "location": {"lat": float(lat[j]), "lon": float(lon[j])},
                "gender": gender,
                "birth_year": int(reference.year - (rng.integers(62, 80) if retiree else rng.integers(20, 62))),
                "gender_preference": str(rng.choice(["female", "male"])) if rng.random() < 0.2 else None,
                "household": {"adults": int(rng.integers(1, 3)), "children": int(rng.choice([0, 0, 0, 1, 2, 3]))},
                "capacity": int(rng.choice([1, 2, 3], p=[0.75, 0.2, 0.05])),
                "background_checked": bool(rng.random() < 0.35),
            }
        )
    return {
        "format": "vanmatch.problem/1",
        "reference_date": reference.isoformat(),
        "programme": {"kind": "sprakvan", "max_distance_km": max_km},
        "newcomers": newcomers,
        "volunteers": volunteers,
        "locked": [],
    }


VARIANTS = ("unlocated", "online", "big-city", "ties", "locks")
MORE_VARIANTS = ("unlocated-1",)  # not run over the region by --all


def vary(doc: dict, variant: str, seed: int = 1) -> dict:
    """The pool changed in one realistic way (see the module's docstring)."""
    rng = np.random.default_rng(seed + 1000)
    newcomers, volunteers = doc["newcomers"], doc["volunteers"]
    if variant in ("unlocated", "unlocated-1"):
        share = 0.03 if variant == "unlocated" else 0.01
        for person in newcomers + volunteers:
            if rng.random() < share:
                del person["location"]
    elif variant == "online":
        doc["programme"]["max_distance_km"] = None
    elif variant == "big-city":
        places = _municipalities(None)
        located = [p["location"] for p in newcomers + volunteers]
        lats = np.array([p["lat"] for p in located])
        lons = np.array([p["lon"] for p in located])
        # the largest municipality whose centre lies within the pool's own extent
        inside = [
            p for p in places if lats.min() <= p["lat"] <= lats.max() and lons.min() <= p["lon"] <= lons.max()
        ]  # fmt: skip
        city = max(inside, key=lambda p: p["population"])
        moved = np.flatnonzero(rng.random(len(located)) < 0.6)
        lat, lon = _homes(rng, [city], len(moved))
        for k, i in enumerate(moved):
            located[i]["lat"], located[i]["lon"] = float(lat[k]), float(lon[k])
    elif variant == "ties":
        for person in newcomers + volunteers:
            person["interests"] = [str(rng.choice(["cooking", "football"]))]
            person["availability"] = ["tue-evening", "sat-afternoon"]
    elif variant == "locks":
        free = [v for v in volunteers if v["capacity"] > 1]
        for n in newcomers:
            draw = rng.random()
            if draw < 0.05 and free:
                v = free.pop(int(rng.integers(len(free))))
                doc["locked"].append({"newcomer": n["id"], "volunteer": v["id"]})
            elif draw < 0.15:
                n["exclude"] = [volunteers[int(k)]["id"] for k in rng.choice(len(volunteers), 3, replace=False)]
    else:
        raise ValueError(f"no variant {variant!r}: one of {', '.join(VARIANTS + MORE_VARIANTS)}")
    return doc


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("size", choices=sorted(SIZES))
    parser.add_argument("--variant", choices=VARIANTS + MORE_VARIANTS)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("-o", "--output")
    args = parser.parse_args()
    doc = generate(args.size, args.seed)
    if args.variant:
        doc = vary(doc, args.variant, args.seed)
    text = json.dumps(doc, ensure_ascii=False)
    if args.output:
        Path(args.output).write_text(text, encoding="utf-8")
    else:
        sys.stdout.write(text)


if __name__ == "__main__":
    main()
