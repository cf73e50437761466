"""The words people are described with: languages, slots, genders, levels.

Language names are translated (Swedish first); codes are ISO 639-1 where one
exists, else ISO 639-3, as in the matching format.
"""

from django.utils.translation import gettext_lazy as _

from matching.format import DAYS, PARTS, SLOTS

LANGUAGES = {
    "sv": _("svenska"),
    "en": _("engelska"),
    "ar": _("arabiska"),
    "prs": _("dari"),
    "fa": _("persiska"),
    "ti": _("tigrinja"),
    "so": _("somaliska"),
    "uk": _("ukrainska"),
    "ru": _("ryska"),
    "ckb": _("kurdiska (sorani)"),
    "kmr": _("kurdiska (kurmanji)"),
    "fr": _("franska"),
    "es": _("spanska"),
    "de": _("tyska"),
    "tr": _("turkiska"),
    "ps": _("pashto"),
    "am": _("amhariska"),
    "bs": _("bosniska"),
    "sq": _("albanska"),
    "pl": _("polska"),
    "fi": _("finska"),
    "it": _("italienska"),
    "pt": _("portugisiska"),
    "ur": _("urdu"),
    "hi": _("hindi"),
    "zh": _("kinesiska"),
    "th": _("thai"),
    "sw": _("swahili"),
    "my": _("burmesiska"),
    "ta": _("tamil"),
}
LANGUAGE_CHOICES = sorted(LANGUAGES.items(), key=lambda item: str(item[1]))

DAY_NAMES = {
    "mon": _("måndag"),
    "tue": _("tisdag"),
    "wed": _("onsdag"),
    "thu": _("torsdag"),
    "fri": _("fredag"),
    "sat": _("lördag"),
    "sun": _("söndag"),
}
PART_NAMES = {"morning": _("förmiddag"), "afternoon": _("eftermiddag"), "evening": _("kväll")}
# Roughly when each part of the day is, said where people choose their times.
PART_HOURS = {"morning": _("kl. 8–12"), "afternoon": _("kl. 12–17"), "evening": _("kl. 17–21")}

# Interests are stored as these Swedish tags (the engine compares tags); people may add their own.
INTERESTS = {
    "matlagning": _("matlagning"),
    "fotboll": _("fotboll"),
    "promenader": _("promenader"),
    "läsning": _("läsning"),
    "musik": _("musik"),
    "handarbete": _("handarbete"),
    "friluftsliv": _("friluftsliv"),
    "fiske": _("fiske"),
    "cykling": _("cykling"),
    "trädgård": _("trädgård"),
    "film": _("film"),
    "schack": _("schack"),
    "konst": _("konst"),
    "dans": _("dans"),
    "språk": _("språk"),
    "teknik": _("teknik"),
    "barn": _("barn"),
    "historia": _("historia"),
}

__all__ = [
    "DAYS", "PARTS", "SLOTS", "LANGUAGES", "LANGUAGE_CHOICES", "DAY_NAMES", "PART_NAMES", "PART_HOURS", "INTERESTS",
]  # fmt: skip


def language_choices() -> list[tuple[str, str]]:
    """Languages sorted by their name in the active language (Swedish first by default)."""
    return sorted(((code, str(name)) for code, name in LANGUAGES.items()), key=lambda item: item[1].casefold())


# The languages most people in Swedish befriending programmes speak, shown first where people
# choose (Swedish first); the rest follow in alphabetical order.
COMMON_LANGUAGES = ("sv", "en", "ar", "prs", "fa", "ti", "so", "uk")


def language_groups() -> list[tuple[str, list[tuple[str, str]]]]:
    """The languages to choose from in two groups: the common ones first, then the others."""
    common = [(code, str(LANGUAGES[code])) for code in COMMON_LANGUAGES]
    others = [(code, name) for code, name in language_choices() if code not in COMMON_LANGUAGES]
    return [(str(_("Vanligast")), common), (str(_("Fler språk")), others)]


def language_names(codes) -> list[str]:
    return [str(LANGUAGES.get(code, code)) for code in codes]


def interest_label(tag: str) -> str:
    return str(INTERESTS.get(tag, tag))


def age_range(low: int | None, high: int | None) -> str:
    """An age range in words: "20–30 år", "20 år eller äldre", "upp till 30 år" (one of the two
    given at least)."""
    from django.utils.translation import gettext

    if high is None:
        return gettext("%(low)s år eller äldre") % {"low": low}
    if low is None:
        return gettext("upp till %(high)s år") % {"high": high}
    return gettext("%(low)s–%(high)s år") % {"low": low, "high": high}


def week_order(slots) -> list[str]:
    """Slots in the order of the week (Monday morning first); unknown ones last, as given."""
    order = {slot: i for i, slot in enumerate(SLOTS)}
    return sorted(slots, key=lambda slot: order.get(slot, len(order)))


def slot_label(slot: str) -> str:
    day, part = slot.split("-")
    return f"{DAY_NAMES[day]} {PART_NAMES[part]}"


def slot_labels(slots) -> str:
    """The slots in words, in the order of the week, Monday morning first."""
    return ", ".join(slot_label(s) for s in week_order(slots or []))


def ages_in_order(ages) -> str:
    """Children's ages, youngest first."""
    return ", ".join(str(a) for a in sorted(ages or []))
