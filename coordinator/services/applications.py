"""A volunteer's application while she writes it: kept on the server step by step, so that a
break, an idle log-out or another device loses nothing (`ApplicationDraft`)."""

from django.db import transaction

from accounts.models import Organisation, User
from coordinator.models import ApplicationDraft

# The session key under which the start page keeps the organisation chosen before she has an
# account; at sign-up it moves onto her draft (coordinator/signals.py).
CHOSEN_ORGANISATION = "volunteer_organisation"

# What one field of a step may hold: a draft is what a person typed, not a place to store files.
MAX_VALUES = 64
MAX_CHARS = 2000


def _answers(answers: dict[str, list[str]], fields: set[str]) -> dict[str, list[str]]:
    """The answers to the step's own fields, each cut to a sane size."""
    return {
        name: [str(value)[:MAX_CHARS] for value in values[:MAX_VALUES]]
        for name, values in answers.items()
        if name in fields
    }


@transaction.atomic
def application_draft_choose_organisation(*, user: User, organisation: Organisation) -> ApplicationDraft:
    """She has chosen the organisation she applies to (on the start page, before or after
    signing up). Choosing another forgets the programmes she picked at the first."""
    draft, _created = ApplicationDraft.objects.select_for_update().get_or_create(user=user)
    if draft.organisation_id != organisation.pk:
        draft.organisation = organisation
        draft.steps.pop("program", None)
        if draft.current_step == "program":
            draft.current_step, draft.current = "", {}
        draft.save()
    return draft


@transaction.atomic
def application_draft_save_step(
    *, user: User, step: str, answers: dict[str, list[str]], fields: set[str]
) -> ApplicationDraft:
    """A step she has finished (its form was valid): kept, and what she typed in it forgotten."""
    draft, _created = ApplicationDraft.objects.select_for_update().get_or_create(user=user)
    draft.steps[step] = _answers(answers, fields)
    if draft.current_step == step:
        draft.current_step, draft.current = "", {}
    draft.save()
    return draft


@transaction.atomic
def application_draft_keep_typing(
    *, user: User, step: str, answers: dict[str, list[str]], fields: set[str]
) -> ApplicationDraft:
    """What she has typed so far in the step she is on, not yet checked: saved as she goes, so an
    idle log-out in the middle of a step takes nothing with it."""
    draft, _created = ApplicationDraft.objects.select_for_update().get_or_create(user=user)
    draft.current_step, draft.current = step, _answers(answers, fields)
    draft.save()
    return draft


def application_draft_discard(*, user: User) -> None:
    """The application was sent (or the account erased): nothing of the draft is kept."""
    ApplicationDraft.objects.filter(user=user).delete()
