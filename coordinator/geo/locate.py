"""Swedish postcode or locality → coordinates, offline, from the files in data/.

The coordinates are those of the locality (or nearby postcode area), good to a few
kilometres: enough to tell whether two people can meet, never an address.
"""

import csv
import unicodedata
from dataclasses import dataclass
from functools import cache
from pathlib import Path

DATA = Path(__file__).parent / "data"


@dataclass(frozen=True)
class Place:
    locality: str
    latitude: float
    longitude: float
    precision: str  # "locality", "area3" (same 3-digit postcode area), "area2", "municipality" (its seat)


def _fold(name: str) -> str:
    return " ".join(unicodedata.normalize("NFC", name).split()).casefold()


@cache
def _postcodes() -> dict[str, Place]:
    with open(DATA / "se_postcodes.csv", encoding="utf-8") as fh:
        return {
            row["postcode"]: Place(row["locality"], float(row["lat"]), float(row["lon"]), row["precision"])
            for row in csv.DictReader(fh)
        }


@cache
def _localities() -> dict[str, Place]:
    with open(DATA / "se_localities.csv", encoding="utf-8") as fh:
        return {
            _fold(row["name"]): Place(row["name"], float(row["lat"]), float(row["lon"]), "locality")
            for row in csv.DictReader(fh)
        }


@cache
def _municipalities() -> dict[str, Place]:
    """Each of Sweden's 290 municipalities by its name (folded, hyphens as spaces), placed at
    its seat (centralort): "Ragunda" is placed at Hammarstrand."""
    localities = _localities()
    with open(DATA / "se_municipalities.csv", encoding="utf-8") as fh:
        places = {}
        for row in csv.DictReader(fh):
            seat = localities[_fold(row["seat"])]
            name = _official_name(row["municipality"])
            places[_municipal_key(row["municipality"])] = Place(name, seat.latitude, seat.longitude, "municipality")
        places["falu"] = places["falun"]  # "Falu kommun"
        return places


def _official_name(municipality: str) -> str:
    """ "Ragunda kommun", "Stockholms kommun", "Borås kommun": the genitive s after a consonant
    other than s, x or z."""
    if municipality == "Gotland":
        return "Region Gotland"
    if municipality == "Falun":
        return "Falu kommun"
    genitive = "" if municipality[-1].casefold() in "aeiouyåäösxz" else "s"
    return f"{municipality}{genitive} kommun"


_MUNICIPAL_SUFFIXES = (" kommun", " kommune", " municipality", " stad")


def _municipal_key(name: str) -> str:
    return _fold(name).replace("-", " ")


def by_municipality(name: str) -> Place | None:
    """A municipality by its name or a common form of it: "Ragunda", "Ragunda kommun",
    "Stockholms stad", "Upplands Bro", "Region Gotland"; None for anything else."""
    key = _municipal_key(name)
    key = key.removeprefix("region ")
    for suffix in _MUNICIPAL_SUFFIXES:
        key = key.removesuffix(suffix)
    municipalities = _municipalities()
    found = municipalities.get(key)
    if found is None and key.endswith("s"):  # the genitive of the official name: "Stockholms kommun"
        found = municipalities.get(key[:-1])
    return found


def by_postcode(postcode: str) -> Place | None:
    """'123 45' or '12345' → its Place, or None for a postcode that does not exist."""
    return _postcodes().get(postcode.replace(" ", "").strip())


def area_distance_km(postcode: str, latitude: float, longitude: float) -> float | None:
    """How far a point lies from the nearest known postcode of the same three-digit area (else
    the same two-digit area): for a real postcode our list lacks, whether a place can be in it.
    None when neither area is known."""
    code = postcode.replace(" ", "").strip()
    for digits in (3, 2):
        near = [p for c, p in _postcodes().items() if c[:digits] == code[:digits]]
        if near:
            return min(distance_km(p.latitude, p.longitude, latitude, longitude) for p in near)
    return None


def by_locality(name: str) -> Place | None:
    """A locality by its name; else a municipality by its name, placed at its seat."""
    return _localities().get(_fold(name)) or by_municipality(name)


def distance_km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """Great-circle distance in kilometres (haversine, Earth radius 6371 km)."""
    import math

    p1, p2 = math.radians(lat1), math.radians(lat2)
    a = math.sin((p2 - p1) / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(math.radians(lon2 - lon1) / 2) ** 2
    return 2 * 6371.0 * math.asin(math.sqrt(a))


def nearest_locality(latitude: float, longitude: float) -> str:
    """The name of the locality nearest a point (for naming an area, never an address)."""
    import math

    cos_lat = math.cos(math.radians(latitude))
    best = min(
        _localities().values(),
        key=lambda p: (p.latitude - latitude) ** 2 + ((p.longitude - longitude) * cos_lat) ** 2,
    )
    return best.locality


def nearest_postcode(latitude: float, longitude: float) -> str:
    """The postcode of a locality nearest a point, as '123 45' (for a template's example row)."""
    import math

    cos_lat = math.cos(math.radians(latitude))
    code, _place = min(
        ((code, p) for code, p in _postcodes().items() if p.precision == "locality"),
        key=lambda item: (item[1].latitude - latitude) ** 2 + ((item[1].longitude - longitude) * cos_lat) ** 2,
    )
    return f"{code[:3]} {code[3:]}"
