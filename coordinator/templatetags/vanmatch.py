"""Filters that put the vocabulary into words in the active language."""

from django import template
from django.utils import timezone

from coordinator import vocabulary
from coordinator.models import Newcomer

register = template.Library()


@register.filter
def language_names(codes) -> str:
    return ", ".join(vocabulary.language_names(codes or []))


@register.filter
def interest_labels(tags) -> str:
    return ", ".join(vocabulary.interest_label(t) for t in tags or [])


register.filter("slot_labels", vocabulary.slot_labels)
register.filter("ages_in_order", vocabulary.ages_in_order)


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


@register.filter
def survey_answer_words(survey) -> str:
    """A participant's answer in the reader's words: met or not, the relationship mean (of five
    answers, or the one digit she sent), or the two exit answers."""
    from django.utils.formats import number_format
    from django.utils.translation import gettext

    from coordinator import relationship
    from coordinator.models import Survey

    answers = list(survey.answers or [])
    if not answers:
        return ""
    if survey.kind == Survey.Kind.MET:
        return gettext("Ja, de träffades") if answers == [1] else gettext("Nej")
    if survey.kind == Survey.Kind.EXIT:
        words = str(dict(relationship.EXIT_HOW_WELL).get(answers[0], answers[0]))
        if len(answers) > 1:
            keep = str(dict(relationship.EXIT_KEEP_IN_TOUCH).get(answers[1], answers[1])).lower()
            words += "; " + gettext("fortsätter höras: %(answer)s") % {"answer": keep}
        return words
    mean = number_format(relationship.mean(answers) or 0, 1)
    if len(answers) == 1:
        return gettext("%(mean)s av 5 (en siffra)") % {"mean": mean}
    # The five answers too, in the statements' order: a low one (feeling safe) must not hide in the mean.
    return gettext("%(mean)s av 5") % {"mean": mean} + " (" + " · ".join(str(a) for a in answers) + ")"


@register.filter
def newcomer_status(value) -> str:
    """A newcomer's status ("waiting", ...) in words."""
    return str(Newcomer.Status(value).label) if value in Newcomer.Status.values else ""
