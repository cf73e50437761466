"""A proposal's score and a run's unmatched newcomers, in words a coordinator reads (translated).

The engine explains in codes and numbers (matching/README.md); this turns them into the
coordinator's language.
"""

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from coordinator import vocabulary
from coordinator.geo.locate import nearest_locality

PART_NAMES = {
    "language": gettext_lazy("Språk"),
    "interests": gettext_lazy("Intressen"),
    "availability": gettext_lazy("Tider"),
    "distance": gettext_lazy("Avstånd"),
    "age": gettext_lazy("Ålder"),
    "household": gettext_lazy("Hushåll"),
    "waiting": gettext_lazy("Väntetid"),
}

UNMATCHED = {
    "taken": gettext_lazy(
        "Alla volontärer som passar gick till andra i den bästa helheten. "
        "Att godkänna eller avböja andra förslag kan frigöra en."
    ),
    "no_volunteers": gettext_lazy("Det finns inga volontärer i programmet."),
    "no_volunteer_in_reach": gettext_lazy("Ingen volontär bor inom programmets avstånd."),
    "no_shared_language": gettext_lazy("Ingen volontär inom räckhåll talar något av personens språk."),
    "no_common_time": gettext_lazy("Volontärerna som talar personens språk är aldrig lediga samtidigt som personen."),
    "gender_preference": gettext_lazy("Volontärerna som passar i övrigt matchar inte det önskade könet."),
    "background_check": gettext_lazy(
        "Personen är under 18 och ingen volontär som passar har visat utdrag ur belastningsregistret."
    ),
    "wants_single": gettext_lazy("Volontärerna som passar i övrigt vill träffa en person, inte en familj."),
    "wants_family": gettext_lazy(
        "Volontärerna som passar i övrigt vill träffa en familj, inte en person som kommer ensam."
    ),
    "wants_age": gettext_lazy("Volontärerna som passar i övrigt vill träffa någon i en annan ålder."),
    "wishes": gettext_lazy(
        "Volontärerna som passar i övrigt vill träffa någon annan: en familj eller en person, "
        "eller någon i en annan ålder."
    ),
    "excluded": gettext_lazy("Volontärerna som passar i övrigt har avböjts för personen tidigare."),
    "capacity": gettext_lazy("Volontärerna som passar har inga platser kvar."),
}


def parts_in_words(parts: dict) -> list[dict]:
    """Each scored part as {'key', 'name', 'value' (0-1), 'percent', 'words'}, in a fixed order."""
    out = []
    for key in PART_NAMES:
        if key not in parts:
            continue
        value = float(parts[key])
        out.append(
            {
                "key": key,
                "name": str(PART_NAMES[key]),
                "value": value,
                "percent": round(100 * value),
                "words": _words(key, value, parts),
            }
        )
    return out


def _words(key: str, value: float, parts: dict) -> str:
    if key == "language":
        bridge = [code for code in parts.get("shared_languages", []) if code != "sv"]
        if bridge:
            return _("Talar båda %(languages)s.") % {"languages": ", ".join(vocabulary.language_names(bridge))}
        if value >= 1:
            return _("Den nyanlände klarar sig på svenska.")
        return _("Inget gemensamt språk utöver svenska.")
    if key == "interests":
        shared = parts.get("shared_interests", [])
        if shared:
            return _("Gemensamt: %(interests)s.") % {
                "interests": ", ".join(vocabulary.interest_label(t) for t in shared)
            }
        return _("Inga gemensamma intressen.")
    if key == "availability":
        slots = parts.get("shared_slots", [])
        return ngettext("%(n)s gemensam tid: %(slots)s.", "%(n)s gemensamma tider: %(slots)s.", len(slots)) % {
            "n": len(slots),
            "slots": vocabulary.slot_labels(slots),
        }
    if key == "distance":
        km = parts.get("distance_km")
        if km is None:
            return _("Avståndet är okänt.")
        if km < 0.5:  # places are known to the locality at best: nothing apart is the same locality
            return _("Samma ort.")
        return _("%(km)s km ifrån varandra.") % {
            "km": f"{km:.1f}".replace(".", ",") if _decimal_comma() else f"{km:.1f}"
        }
    if key == "age":
        return _("Nära i ålder.") if value >= 0.75 else _("Olika åldrar.") if value < 0.4 else _("Några års skillnad.")
    if key == "household":
        return _("Hushållen liknar varandra.") if value >= 0.75 else _("Olika hushåll.")
    if key == "waiting":
        return _("Har väntat länge.") if value >= 0.5 else _("Har väntat en kort tid.")
    return ""


def _decimal_comma() -> bool:
    from django.utils.translation import get_language

    return (get_language() or "sv").startswith("sv")


def unmatched_in_words(code: str) -> str:
    return str(UNMATCHED.get(code, _("Ingen volontär passar just nu.")))


def gaps_in_words(gaps: dict) -> dict:
    """The engine's summary of what the pool lacks, with names in the coordinator's language."""
    return {
        "languages": [
            {"language_name": vocabulary.language_names([g["language"]])[0], "unmatched": g["unmatched"]}
            for g in gaps.get("languages", [])
        ],
        "slots": [
            {
                "label": vocabulary.slot_label(g["slot"]),
                "unmatched": g["unmatched"],
                "free": g.get("volunteers_free", 0),
            }
            for g in gaps.get("slots", [])
        ],
        "areas": [
            {"place": nearest_locality(a["lat"], a["lon"]), "unmatched": a["unmatched"]} for a in gaps.get("areas", [])
        ],
    }


def _joined(words: list[str], last: str) -> str:
    """'a, b och c' (or 'eller'): `last` is the translated word before the last."""
    return words[0] if len(words) == 1 else f"{', '.join(words[:-1])} {last} {words[-1]}"


def _speakers(entry: dict, language: str | None = None) -> str:
    """', 9 of them Dari speakers' for `language` (else the language that gains most), or ', all
    of them …' when it is all of them."""
    gains = entry.get("by_language", {})
    languages = [(language, gains[language])] if language in gains else list(gains.items())
    if not languages:
        return ""
    code, k = languages[0]
    name = vocabulary.language_names([code])[0]
    if k >= entry["matched_more"]:
        return str(_(", alla talar %(language)s") % {"language": name})
    return str(
        ngettext(", %(k)s av dem talar %(language)s", ", %(k)s av dem talar %(language)s", k)
        % {"k": k, "language": name}
    )


def what_if_in_words(entries: list[dict], volunteer_names: dict[str, str]) -> list[dict]:
    """The engine's changes that would match more of those left waiting (matching/whatif.py), as
    sentences, those that help most first: {'kind', 'more', 'text'}. `volunteer_names` maps the
    ids of volunteers a change names ("v12") to their names."""
    out = []
    for entry in entries:
        change, more = entry["change"], entry["matched_more"]
        gains = ngettext("%(n)s nyanländ till får en matchning", "%(n)s nyanlända till får en matchning", more) % {
            "n": more
        } + _speakers(entry, change.get("language"))
        kind = change["kind"]
        if kind == "max_distance_km":
            text = _("Höj avståndsgränsen från %(from)s till %(to)s km: %(gains)s.") % {
                "from": f"{change['from']:g}",
                "to": f"{change['to']:g}",
                "gains": gains,
            }
        elif kind == "gender_preference_waived":
            k = len(change["newcomers"])
            text = ngettext(
                "Om den nyanlända som önskat en volontär av ett visst kön kan tänka sig vem som helst: %(gains)s.",
                "Om de %(k)s nyanlända som önskat en volontär av ett visst kön kan tänka sig vem som helst: %(gains)s.",
                k,
            ) % {"k": k, "gains": gains}
        elif kind == "one_more_time":
            slots = list(change["newcomers"].values())
            common = max(sorted(set(slots)), key=slots.count)
            k = len(slots)
            text = ngettext(
                "Om den nyanlända som inte har någon tid gemensam med volontärerna också kan %(slot)s: %(gains)s.",
                "Om de %(k)s nyanlända som inte har någon tid gemensam med volontärerna kan en tid till (oftast "
                "%(slot)s): %(gains)s.",
                k,
            ) % {"k": k, "slot": vocabulary.slot_label(common), "gains": gains}
        elif kind == "background_checked":
            names = [volunteer_names.get(v, v) for v in change["volunteers"]]
            k = len(names)
            text = ngettext(
                "Om %(names)s visar utdrag ur belastningsregistret: %(gains)s.",
                "Om de här %(k)s volontärerna visar utdrag ur belastningsregistret (%(names)s): %(gains)s.",
                k,
            ) % {"k": k, "names": ", ".join(names[:8]) + (" …" if k > 8 else ""), "gains": gains}
        elif kind == "more_volunteers":
            volunteers = change["volunteers"]
            k = len(volunteers)
            places = sorted(
                {nearest_locality(v["location"]["lat"], v["location"]["lon"]) for v in volunteers if v.get("location")}
            )
            slots = vocabulary.week_order({s for v in volunteers for s in v["availability"]})
            where = _("nära %(places)s") % {"places": _joined(places, _("och"))} if places else _("var som helst")
            text = ngettext(
                "Rekrytera en volontär till som talar %(language)s, %(where)s, ledig %(slots)s: %(gains)s.",
                "Rekrytera %(k)s volontärer till som talar %(language)s, %(where)s, lediga %(slots)s: %(gains)s.",
                k,
            ) % {
                "k": k,
                "language": vocabulary.language_names([change["language"]])[0],
                "where": where,
                "slots": _joined([vocabulary.slot_label(s) for s in slots[:4]], _("eller")),
                "gains": gains,
            }
        else:
            continue
        out.append({"kind": kind, "more": more, "text": str(text)})
    out.sort(key=lambda e: -e["more"])
    return out
