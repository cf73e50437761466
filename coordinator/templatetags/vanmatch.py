"""Filters that put the vocabulary into words in the active language."""

from django import template
from django.utils import timezone

from coordinator import vocabulary

register = template.Library()


@register.filter
def language_names(codes) -> str:
    return ", ".join(vocabulary.language_names(codes or []))


@register.filter
def interest_labels(tags) -> str:
    return ", ".join(vocabulary.interest_label(t) for t in tags or [])


@register.filter
def slot_labels(slots) -> str:
    """The slots in the order of the week, Monday morning first."""
    return ", ".join(vocabulary.slot_label(s) for s in vocabulary.week_order(slots or []))


@register.filter
def ages_in_order(ages) -> str:
    return ", ".join(str(a) for a in sorted(ages or []))


@register.filter
def days_since(day) -> int | str:
    return (timezone.localdate() - day).days if day else ""


@register.filter
def age(birth_year) -> int | str:
    return timezone.localdate().year - birth_year if birth_year else ""


@register.filter
def background_check_holds_until(volunteer):
    """Until when the volunteer's extract from the criminal records register holds, if it holds today."""
    return volunteer.background_check_expires if volunteer.background_checked(timezone.localdate()) else None


@register.filter
def language_name(code) -> str:
    return vocabulary.language_names([code])[0] if code else ""


@register.filter
def met_how_names(values) -> str:
    from coordinator.models import FollowUp

    labels = dict(FollowUp.MetHow.choices)
    return ", ".join(str(labels.get(v, v)).lower() for v in values or [])


@register.filter
def scale_mean(answers) -> float | None:
    """The mean of a side's answers to the relationship questions (coordinator/relationship.py)."""
    from coordinator import relationship

    return relationship.mean(list(answers or []))
