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
    return ", ".join(vocabulary.slot_label(s) for s in slots or [])


@register.filter
def age(birth_year) -> int | str:
    return timezone.localdate().year - birth_year if birth_year else ""
