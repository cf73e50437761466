"""People: where they live, volunteers applying and being screened, newcomers registered."""

from datetime import date, datetime, time
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.audit import audit_record
from accounts.models import AuditEvent, Membership, Organisation, Role, User
from coordinator import facts as facts_rules
from coordinator import importing, jobs, permissions, privacy
from coordinator.models import (
    ApplicationDraft,
    ExportFile,
    FollowUp,
    ImportBatch,
    Match,
    Meeting,
    Newcomer,
    PairLock,
    Person,
    Programme,
    Proposal,
    RunDocuments,
    ScreeningEvent,
    SmsMessage,
    Survey,
    Volunteer,
    one_year_after,
)
from coordinator.services.matches import match_end

# --- Volunteers: applying, changing, pausing, leaving ---------------------------------------

VOLUNTEER_FACTS = Volunteer.FACTS


def _set_facts(person: Person, facts: dict, allowed: tuple[str, ...]) -> list[str]:
    """Set the facts on the person (not saved); returns the names of those that changed."""
    unknown = set(facts) - set(allowed) - {"place", "programmes"}
    if unknown:
        raise ValueError(f"not facts of a person: {sorted(unknown)}")
    changed = []
    for name, value in facts.items():
        if name in allowed:
            if getattr(person, name) != value:
                changed.append(name)
            setattr(person, name, value)
    if "place" in facts:
        if any(getattr(person, name) != value for name, value in facts["place"].items()):
            changed.append("place")
        for name, value in facts["place"].items():
            setattr(person, name, value)
    return sorted(changed)


def _programmes_changed(person: Person, programmes: list[Programme]) -> bool:
    return {p.pk for p in person.programmes.all()} != {p.pk for p in programmes}


def _validated(person: Person) -> None:
    """Model validation, with every message at its field; refuses before anything is written."""
    person.full_clean(exclude=["organisation", "user", "registered_by", "consent_recorded_by"])


@transaction.atomic
def volunteer_apply(*, user: User, programmes: list[Programme], facts: dict, privacy_version: str) -> Volunteer:
    """A signed-up user applies as a volunteer in one organisation's programmes."""
    User.objects.select_for_update().get(pk=user.pk)  # one application at a time per user
    if Volunteer.objects.filter(user=user).exists():
        raise ValidationError({"__all__": _("Du har redan en volontärprofil.")})
    if not programmes:
        raise ValidationError({"programmes": _("Välj minst ett program.")})
    organisations = {p.organisation_id for p in programmes}
    if len(organisations) != 1 or any(not p.active for p in programmes):
        raise ValidationError({"programmes": _("Välj aktiva program hos en organisation.")})
    facts_rules.check_adult_volunteer(facts.get("birth_year"), today=timezone.localdate())
    now = timezone.now()
    volunteer = Volunteer(
        user=user,
        organisation_id=organisations.pop(),
        email=user.email,
        status=Volunteer.Status.APPLIED,
        status_changed_at=now,
        privacy_notice_version=privacy_version,
        privacy_consented_at=now,
    )
    _set_facts(volunteer, facts, VOLUNTEER_FACTS)
    _validated(volunteer)
    volunteer.save()
    volunteer.programmes.set(programmes)
    Membership.objects.get_or_create(user=user, organisation_id=volunteer.organisation_id, role=Role.VOLUNTEER)
    ApplicationDraft.objects.filter(user=user).delete()  # sent: the draft has done its work
    changed = [name for name in ("first_name", "last_name") if getattr(user, name) != facts.get(name, "")]
    if changed:
        user.first_name, user.last_name = facts.get("first_name", ""), facts.get("last_name", "")
        user.save(update_fields=changed)
    audit_record(user=user, action=AuditEvent.Action.CREATE, purpose=AuditEvent.Purpose.OWN, subjects=[volunteer])
    jobs.notify_application_received.after_commit(volunteer.pk)
    return volunteer


@transaction.atomic
def volunteer_update(
    *, volunteer: Volunteer, by: User, facts: dict, programmes: list[Programme] | None = None
) -> Volunteer:
    """Change a volunteer's own facts (by themselves or their coordinator)."""
    volunteer = Volunteer.objects.select_for_update().get(pk=volunteer.pk)
    if volunteer.status == Volunteer.Status.WITHDRAWN:
        raise ValidationError({"__all__": _("Profilen är avslutad och kan inte ändras.")})
    changed = _set_facts(volunteer, facts, VOLUNTEER_FACTS)
    if "capacity" in facts and volunteer.capacity < volunteer.open_matches:
        raise ValidationError(
            {"capacity": _("Du har %(n)s pågående matchningar: ange minst så många.") % {"n": volunteer.open_matches}}
        )
    _validated(volunteer)
    volunteer.save()
    if programmes is not None:
        if not programmes or any(p.organisation_id != volunteer.organisation_id or not p.active for p in programmes):
            raise ValidationError({"programmes": _("Välj minst ett aktivt program hos din organisation.")})
        if _programmes_changed(volunteer, programmes):
            changed.append("programmes")
        volunteer.programmes.set(programmes)
    _audit_volunteer_change(volunteer, by, "edited: " + (", ".join(changed) or "nothing"))
    return volunteer


def _audit_volunteer_change(volunteer: Volunteer, by: User | None, detail: str) -> None:
    """A change to a volunteer's record: her own doing, or her coordinator's."""
    own = by is not None and by.pk == volunteer.user_id
    audit_record(
        user=by,
        action=AuditEvent.Action.CHANGE,
        purpose=AuditEvent.Purpose.OWN if own else AuditEvent.Purpose.SCREENING,
        subjects=[volunteer],
        detail=detail,
    )


# Who may move a volunteer from which status to which. The volunteer pauses and resumes
# themselves; coordinators screen.
SCREENING_STEPS: dict[str, set[str]] = {
    Volunteer.Status.APPLIED: {Volunteer.Status.INTERVIEWED, Volunteer.Status.APPROVED, Volunteer.Status.REJECTED},
    Volunteer.Status.INTERVIEWED: {Volunteer.Status.APPROVED, Volunteer.Status.REJECTED},
    Volunteer.Status.APPROVED: {Volunteer.Status.PAUSED, Volunteer.Status.REJECTED},
    Volunteer.Status.PAUSED: {Volunteer.Status.APPROVED, Volunteer.Status.REJECTED},
    Volunteer.Status.REJECTED: {Volunteer.Status.INTERVIEWED, Volunteer.Status.APPROVED},
    Volunteer.Status.WITHDRAWN: set(),
}


def _move(
    volunteer: Volunteer,
    to: str,
    by: User | None,
    reason: str = "",
    notes: str = "",
    programmes: list[Programme] | None = None,
) -> Volunteer:
    _audit_volunteer_change(volunteer, by, f"status: {volunteer.status} -> {to}")
    event = ScreeningEvent.objects.create(
        volunteer=volunteer, from_status=volunteer.status, to_status=to, reason=reason, notes=notes, by=by
    )
    if programmes is not None:
        event.programmes.set(programmes)
    volunteer.status = to
    volunteer.status_reason = reason
    volunteer.status_changed_at = timezone.now()
    volunteer.save(update_fields=["status", "status_reason", "status_changed_at", "updated_at"])
    return volunteer


@transaction.atomic
def volunteer_screen(
    *,
    volunteer: Volunteer,
    by: User,
    to: str,
    reason: str = "",
    notes: str = "",
    programmes: list[Programme] | None = None,
) -> Volunteer:
    """A coordinator's screening decision: interviewed, approved, rejected (with a reason),
    paused; with her notes from the conversation. An approval is for `programmes` (some or all
    of those the volunteer applied to; all when not given): she is matched only in those."""
    volunteer = Volunteer.objects.select_for_update().get(pk=volunteer.pk)
    if to not in SCREENING_STEPS.get(volunteer.status, set()):
        raise ValidationError(
            {
                "to_status": _("Från ”%(from)s” går det inte att gå till ”%(to)s”.")
                % {"from": volunteer.get_status_display(), "to": Volunteer.Status(to).label}
            }
        )
    reason = reason.strip()
    if to == Volunteer.Status.REJECTED and not reason:
        raise ValidationError({"reason": _("Skriv varför ansökan avslås.")})
    if to == Volunteer.Status.REJECTED and volunteer.open_matches:
        raise ValidationError({"to_status": _("Volontären har pågående matchningar: avsluta dem först.")})
    approved_for = None
    if to == Volunteer.Status.APPROVED:
        applied_to = list(volunteer.programmes.all())
        approved_for = applied_to if programmes is None else list(programmes)
        if not approved_for:
            raise ValidationError({"programmes": _("Välj vilka program hon godkänns för.")})
        if {p.pk for p in approved_for} - {p.pk for p in applied_to}:
            raise ValidationError({"programmes": _("Hon kan bara godkännas för program hon har anmält sig till.")})
        # Narrowed only on a first approval: coming back from a pause, her matches and locks stay.
        if len(approved_for) < len(applied_to) and volunteer.status != Volunteer.Status.PAUSED:
            volunteer.programmes.set(approved_for)
            _audit_volunteer_change(volunteer, by, "programmes: " + ", ".join(str(p.pk) for p in approved_for))
    approved_now = to == Volunteer.Status.APPROVED and volunteer.status != Volunteer.Status.PAUSED
    volunteer = _move(volunteer, to, by, reason, notes.strip(), approved_for)
    if approved_now:  # a new approval (not a return from a pause): tell her, naming her contact
        event = ScreeningEvent.objects.filter(volunteer=volunteer).latest("pk")
        jobs.notify_volunteer_approved.after_commit(volunteer.pk, event.pk)
    return volunteer


@transaction.atomic
def volunteer_record_background_check(
    *, volunteer: Volunteer, by: User, seen_on: date, expires_on: date | None
) -> Volunteer:
    """Record that the coordinator has been shown the volunteer's extract from the criminal records
    register (the document itself is never kept): when it was shown, until when it holds (at most a
    year from when it was issued, a year from when it was shown if not given), and by whom."""
    volunteer = Volunteer.objects.select_for_update().get(pk=volunteer.pk)
    today = timezone.localdate()
    if seen_on > today:
        raise ValidationError({"seen_on": _("Datumet ligger i framtiden.")})
    if one_year_after(seen_on) < today:
        raise ValidationError(
            {"seen_on": _("Utdraget visades för mer än ett år sedan och gäller inte längre. Be om ett nytt.")}
        )
    expires_on = expires_on or one_year_after(seen_on)
    if expires_on < seen_on:
        raise ValidationError({"expires_on": _("Slutdatumet ligger före datumet då utdraget visades.")})
    if expires_on > one_year_after(seen_on):
        raise ValidationError(
            {
                "expires_on": _("Ett utdrag för arbete med barn gäller högst ett år: senast %(date)s.")
                % {"date": one_year_after(seen_on).isoformat()}
            }
        )
    if expires_on < today:
        raise ValidationError({"expires_on": _("Utdraget har redan slutat gälla. Be om ett nytt.")})
    volunteer.background_check_date = seen_on
    volunteer.background_check_expires = expires_on
    volunteer.save(update_fields=["background_check_date", "background_check_expires", "updated_at"])

    ScreeningEvent.objects.create(
        volunteer=volunteer,
        from_status=volunteer.status,
        to_status=volunteer.status,
        reason=_("Utdrag ur belastningsregistret uppvisat %(date)s.") % {"date": seen_on.isoformat()},
        by=by,
    )
    audit_record(
        user=by,
        action=AuditEvent.Action.CHANGE,
        purpose=AuditEvent.Purpose.SCREENING,
        subjects=[volunteer],
        detail="background check recorded",
    )
    return volunteer


@transaction.atomic
def volunteer_pause(*, volunteer: Volunteer, by: User) -> Volunteer:
    """The volunteer takes a break: no new proposals until they resume. Open matches go on."""
    volunteer = Volunteer.objects.select_for_update().get(pk=volunteer.pk)
    if volunteer.status != Volunteer.Status.APPROVED:
        raise ValidationError({"status": _("Bara en godkänd volontär kan pausa.")})
    return _move(volunteer, Volunteer.Status.PAUSED, by)


@transaction.atomic
def volunteer_resume(*, volunteer: Volunteer, by: User) -> Volunteer:
    volunteer = Volunteer.objects.select_for_update().get(pk=volunteer.pk)
    if volunteer.status != Volunteer.Status.PAUSED:
        raise ValidationError({"status": _("Profilen är inte pausad.")})
    return _move(volunteer, Volunteer.Status.APPROVED, by)


ERASED_NAME = "Raderad"


@transaction.atomic
def volunteer_withdraw(
    *, volunteer: Volunteer, by: User | None, erase: bool = False, purpose: str = "own"
) -> Volunteer:
    """The volunteer leaves the programme; with `erase`, what identifies them is removed at once.

    Erasure keeps what the funder's statistics need and nothing that identifies the
    person: gender, birth decade, organisation, programmes, dates and matches stay;
    names, contact details, place, languages beyond what counts, interests, times,
    household and wishes go, and the login is closed.
    """
    from allauth.account.models import EmailAddress

    volunteer = Volunteer.objects.select_for_update().get(pk=volunteer.pk)
    if volunteer.open_matches:
        raise ValidationError(
            {"__all__": _("Du har en pågående matchning. Kontakta din samordnare så att ni avslutar den först.")}
        )
    if volunteer.status != Volunteer.Status.WITHDRAWN:
        _move(volunteer, Volunteer.Status.WITHDRAWN, by)
    if not erase:
        return volunteer
    now = timezone.now()
    volunteer.first_name, volunteer.last_name = ERASED_NAME, ""
    volunteer.email = volunteer.phone = volunteer.postcode = volunteer.locality = ""
    volunteer.latitude = volunteer.longitude = None
    volunteer.birth_year = volunteer.birth_year // 10 * 10 if volunteer.birth_year else None
    volunteer.interests, volunteer.availability, volunteer.household_children_ages = [], [], []
    volunteer.gender_preference, volunteer.wants_family = "", None
    volunteer.wants_age_min = volunteer.wants_age_max = None
    volunteer.status_reason = volunteer.pool_note = ""
    volunteer.external_ref = None  # a spreadsheet's reference to her leads nowhere now
    volunteer.erasure_requested_at = now
    user = volunteer.user
    volunteer.user = None
    _forget_free_text(volunteer_id=volunteer.pk)  # before the save: it looks her up as she was
    volunteer.save()
    volunteer.screening_events.update(reason="", notes="")
    audit_record(user=by, action=AuditEvent.Action.ERASE, purpose=purpose, subjects=[volunteer])
    if user is not None:
        Membership.objects.filter(user=user, role=Role.VOLUNTEER).delete()
        if not Membership.objects.filter(user=user).exists():
            EmailAddress.objects.filter(user=user).delete()
            user.email = f"raderad-{user.pk}@invalid.invalid"
            user.username = user.email
            user.first_name = user.last_name = ""
            user.is_active = False
            user.set_unusable_password()
            user.save()
    return volunteer


# --- Newcomers: registered by a social worker --------------------------------------------------

NEWCOMER_FACTS = Newcomer.FACTS


@transaction.atomic
def newcomer_register(
    *,
    by: User,
    organisation: Organisation | None,
    programmes: list[Programme],
    facts: dict[str, Any],
    consent_given_on: date | None,
    consent_method: str | None,
    duplicate_confirmed: bool = False,
    consent_notice_language: str = "",
) -> Newcomer:
    """A social worker registers a newcomer who has consented, and follows them from now on.

    Without an organisation, the one organisation she registers newcomers in is taken; a
    social worker in several must say which. Without the consent's date and way, nobody is
    registered. Someone with the same name and birth year in the organisation is likely the same
    person: she is registered only once the social worker confirms it is someone else."""
    if organisation is None:
        organisations = list(permissions.organisations_registering_newcomers(by)[:2])
        if len(organisations) != 1:
            raise ValidationError({"organisation": _("Ange vilken organisation.")})
        organisation = organisations[0]
    if consent_given_on is None or not consent_method:
        missing = "consent_given_on" if consent_given_on is None else "consent_method"
        raise ValidationError({missing: _("Samtycket måste anges: datum och hur det lämnades.")})
    if not permissions.has_role(by, organisation.pk, "social_worker"):
        raise ValidationError({"organisation": _("Du är inte socialsekreterare i %(org)s.") % {"org": organisation}})
    if not programmes or any(p.organisation_id != organisation.pk or not p.active for p in programmes):
        raise ValidationError({"programmes": _("Välj minst ett aktivt program i organisationen.")})
    today = timezone.localdate()
    try:
        facts_rules.clean_consent_date(consent_given_on, today=today)
    except ValidationError as error:
        raise ValidationError({"consent_given_on": error.messages}) from None
    facts_rules.check_target_group(facts.get("target_group", ""), facts.get("birth_year"), today=today)
    if not duplicate_confirmed:
        _refuse_likely_duplicate(organisation, facts)
    now = timezone.now()
    given_at = now if consent_given_on == timezone.localdate() else _noon(consent_given_on)
    newcomer = Newcomer(
        organisation=organisation,
        registered_by=by,
        registered_on=timezone.localdate(),
        status=Newcomer.Status.WAITING,
        consent_given_at=given_at,
        consent_method=consent_method,
        consent_recorded_by=by,
        consent_notice_version=privacy.NEWCOMER_CURRENT if consent_notice_language else "",
        consent_notice_language=consent_notice_language,
    )
    _set_facts(newcomer, facts, NEWCOMER_FACTS)
    _validated(newcomer)
    newcomer.save()
    newcomer.programmes.set(programmes)
    audit_record(user=by, action=AuditEvent.Action.CREATE, purpose=AuditEvent.Purpose.CASE, subjects=[newcomer])
    return newcomer


def _refuse_likely_duplicate(organisation: Organisation, facts: dict[str, Any]) -> None:
    first = (
        Newcomer.objects.filter(
            organisation=organisation,
            first_name__iexact=facts.get("first_name", ""),
            last_name__iexact=facts.get("last_name", ""),
            birth_year=facts.get("birth_year"),
            erased_at__isnull=True,
        )
        .order_by("registered_on")
        .first()
    )
    if first is not None:
        raise ValidationError(
            {
                "duplicate_confirmed": _(
                    "%(name)s, född %(year)s, finns redan i organisationen (registrerad %(day)s). Är det "
                    "samma person: ändra uppgifterna där i stället. Är det en annan person: kryssa i "
                    "rutan nedan och registrera igen."
                )
                % {"name": str(first), "year": first.birth_year or "–", "day": first.registered_on.isoformat()}
            }
        )


def _noon(day: date) -> datetime:
    return timezone.make_aware(datetime.combine(day, time(12, 0)))


@transaction.atomic
def newcomer_update(*, newcomer: Newcomer, by: User, facts: dict, programmes: list[Programme]) -> Newcomer:
    newcomer = Newcomer.objects.select_for_update().get(pk=newcomer.pk)
    if not newcomer.has_consent:
        raise ValidationError({"__all__": _("Samtycket är återkallat: uppgifterna kan inte ändras.")})
    if not programmes or any(p.organisation_id != newcomer.organisation_id or not p.active for p in programmes):
        raise ValidationError({"programmes": _("Välj minst ett aktivt program i organisationen.")})
    changed = _set_facts(newcomer, facts, NEWCOMER_FACTS)
    if {"target_group", "birth_year"} & set(changed):  # she may have grown past 20 since: that is no mistake
        facts_rules.check_target_group(newcomer.target_group, newcomer.birth_year, today=timezone.localdate())
    _validated(newcomer)
    newcomer.save()
    if _programmes_changed(newcomer, programmes):
        changed.append("programmes")
    newcomer.programmes.set(programmes)
    audit_record(
        user=by,
        action=AuditEvent.Action.CHANGE,
        purpose=AuditEvent.Purpose.CASE,
        subjects=[newcomer],
        detail="edited: " + (", ".join(changed) or "nothing"),
    )
    return newcomer


@transaction.atomic
def newcomer_withdraw_consent(*, newcomer: Newcomer, by: User) -> Newcomer:
    """The newcomer withdraws consent: out of matching at once.

    Pending proposals are declined and open matches end, freeing the volunteers' places.
    """
    newcomer = Newcomer.objects.select_for_update().get(pk=newcomer.pk)
    if newcomer.consent_withdrawn_at is not None:
        raise ValidationError({"__all__": _("Samtycket är redan återkallat.")})
    now = timezone.now()
    reason = _("Samtycket återkallades.")
    Proposal.objects.filter(newcomer=newcomer, state=Proposal.State.PENDING).update(
        state=Proposal.State.DECLINED, decided_by=by, decided_at=now, decline_reason=reason
    )
    for match in Match.objects.filter(newcomer=newcomer).exclude(state=Match.State.ENDED):
        match_end(match=match, by=by, reason=Match.EndReason.OTHER, note=reason, newcomer_returns=False)
    Newcomer.objects.filter(pk=newcomer.pk).update(
        consent_withdrawn_at=now, status=Newcomer.Status.INACTIVE, updated_at=now
    )
    newcomer.refresh_from_db()
    audit_record(
        user=by,
        action=AuditEvent.Action.CHANGE,
        purpose=AuditEvent.Purpose.CASE,
        subjects=[newcomer],
        detail="consent withdrawn",
    )
    return newcomer


def _forget_free_text(*, newcomer_id: int | None = None, volunteer_id: int | None = None) -> None:
    """Free text about a person's matches goes with the person: follow-up notes and the check-ins'
    answers and concerns, what the meetings were, end notes, reasons for declining; and the
    organisation's finished export files, which may hold her row."""
    people: QuerySet[Newcomer] | QuerySet[Volunteer]
    if newcomer_id:
        matches = Match.objects.filter(newcomer_id=newcomer_id)
        proposals = Proposal.objects.filter(newcomer_id=newcomer_id)
        people = Newcomer.objects.filter(pk=newcomer_id)
    elif volunteer_id:
        matches = Match.objects.filter(volunteer_id=volunteer_id)
        proposals = Proposal.objects.filter(volunteer_id=volunteer_id)
        people = Volunteer.objects.filter(pk=volunteer_id)
    else:
        raise TypeError("_forget_free_text needs a newcomer_id or a volunteer_id")
    FollowUp.objects.filter(match__in=matches).update(
        notes="", activities="", concern="", volunteer_answers=[], newcomer_answers=[]
    )
    Meeting.objects.filter(match__in=matches).exclude(what="").update(what="")
    SmsMessage.objects.filter(match__in=matches).delete()  # the messages name both of them
    if newcomer_id:
        SmsMessage.objects.filter(newcomer_id=newcomer_id).delete()
    matches.exclude(end_note="").update(end_note="")
    proposals.exclude(decline_reason="").update(decline_reason="")
    _forget_in_proposals(proposals)
    person = people.get()  # the querysets above are lazy: each runs where it did before
    _forget_in_run_documents(person)
    _forget_in_imports(person)
    ExportFile.objects.filter(organisation_id=person.organisation_id).delete()  # made before: may hold her


# What a proposal's explanation may keep of an erased person: the part scores, which say how well
# two people fitted and nothing of who they were; not the languages, times, interests or distance.
SCORE_PARTS = ("language", "interests", "availability", "distance", "age", "waiting")


def _forget_in_proposals(proposals: QuerySet[Proposal]) -> None:
    for proposal in proposals.only("pk", "parts"):
        kept = {k: v for k, v in proposal.parts.items() if k in SCORE_PARTS and isinstance(v, int | float)}
        if kept != proposal.parts:
            Proposal.objects.filter(pk=proposal.pk).update(parts=kept)


def _forget_in_run_documents(person: Person) -> None:
    """An erased person leaves the documents of past runs: her record (birth year, languages,
    times, place...) out of the problem, her pairs and her reason out of the solution."""
    is_newcomer = isinstance(person, Newcomer)
    key = f"n{person.pk}" if is_newcomer else f"v{person.pk}"
    side = "newcomers" if is_newcomer else "volunteers"
    role = "newcomer" if is_newcomer else "volunteer"
    documents = RunDocuments.objects.filter(run__programme__organisation_id=person.organisation_id)
    for document in documents.iterator(chunk_size=4):
        problem, solution = document.problem or {}, document.solution or {}
        records = problem.get(side, [])
        if not any(r.get("id") == key for r in records):
            continue
        problem[side] = [r for r in records if r.get("id") != key]
        problem["locked"] = [pair for pair in problem.get("locked", []) if pair.get(role) != key]
        for record in problem.get("newcomers", []) + problem.get("volunteers", []):
            if key in record.get("exclude", []):
                record["exclude"] = [x for x in record["exclude"] if x != key]
        for name in ("matches", "unmatched"):
            solution[name] = [entry for entry in solution.get(name, []) if entry.get(role) != key]
        RunDocuments.objects.filter(pk=document.pk).update(problem=problem, solution=solution)


def _forget_in_imports(person: Person) -> None:
    """A checked spreadsheet not yet imported may hold her row: it goes (an applied one keeps
    its counts only)."""
    kind = ImportBatch.Kind.NEWCOMERS if isinstance(person, Newcomer) else ImportBatch.Kind.VOLUNTEERS
    refs = {f"{importing.OWN_REF}{person.pk}"} | ({person.external_ref} if person.external_ref else set())
    for batch in ImportBatch.objects.filter(organisation_id=person.organisation_id, kind=kind, applied_at__isnull=True):
        rows = [r for r in batch.rows if r.get("values", {}).get("external_ref") not in refs]
        if len(rows) != len(batch.rows):
            ImportBatch.objects.filter(pk=batch.pk).update(rows=rows)


@transaction.atomic
def newcomer_erase(*, newcomer: Newcomer, by: User | None, purpose: str = "case") -> Newcomer:
    """Erase a newcomer at their request: out of matching at once, and what identifies them is
    gone everywhere. Kept for the funder's statistics: organisation, programmes, target group,
    gender, birth decade, locality (a town, not an address), dates and the matches' states."""
    newcomer = Newcomer.objects.select_for_update().get(pk=newcomer.pk)
    if newcomer.erased_at is not None:
        raise ValidationError({"__all__": _("Uppgifterna är redan raderade.")})
    now = timezone.now()
    reason = _("Personen bad om att bli raderad.")
    Proposal.objects.filter(newcomer=newcomer, state=Proposal.State.PENDING).update(
        state=Proposal.State.DECLINED, decided_by=by, decided_at=now
    )
    PairLock.objects.filter(newcomer=newcomer).delete()
    for match in Match.objects.filter(newcomer=newcomer).exclude(state=Match.State.ENDED):
        match_end(match=match, by=by, reason=Match.EndReason.OTHER, note=str(reason), newcomer_returns=False)
    _forget_free_text(newcomer_id=newcomer.pk)
    Newcomer.objects.filter(pk=newcomer.pk).update(
        first_name=ERASED_NAME,
        last_name="",
        phone="",
        postcode="",
        latitude=None,
        longitude=None,
        birth_year=newcomer.birth_year // 10 * 10 if newcomer.birth_year else None,
        languages=[],
        interests=[],
        availability=[],
        household_children_ages=[],
        gender_preference="",
        needs="",
        pool_note="",
        interpreter_needed=False,
        interpreter_language="",
        consent_shareable=[],
        external_ref=None,
        consent_withdrawn_at=newcomer.consent_withdrawn_at or now,
        status=Newcomer.Status.INACTIVE,
        erased_at=now,
        updated_at=now,
    )
    newcomer.refresh_from_db()
    audit_record(user=by, action=AuditEvent.Action.ERASE, purpose=purpose, subjects=[newcomer])
    return newcomer


def person_data(person: Newcomer | Volunteer) -> dict[str, Any]:
    """Everything stored about a newcomer or volunteer, for their right of access (JSON-able)."""
    kind = person._meta.model_name
    assert kind is not None  # set on every model class ("newcomer", "volunteer")
    fields = {}
    for field in person._meta.concrete_fields:
        if field.name in (
            "id",
            "latitude",
            "longitude",
            "user",
            "registered_by",
            "consent_recorded_by",
            "organisation",
        ):
            continue
        value = getattr(person, field.attname)
        fields[field.name] = value.isoformat() if hasattr(value, "isoformat") else value
    matches = Match.objects.filter(**{kind: person}).select_related("programme").order_by("started_on")
    follow_ups = FollowUp.objects.filter(match__in=matches).select_related("match").order_by("due_on")
    data = {
        "format": "vanmatch.person/1",
        "kind": kind,
        "organisation": person.organisation.name,
        "programmes": [p.name for p in person.programmes.all()],
        "facts": fields,
        "matches": [
            {
                "programme": m.programme.name,
                "state": m.state,
                "started_on": m.started_on.isoformat(),
                "planned_end_on": m.planned_end_on.isoformat(),
                "ended_on": m.ended_on.isoformat() if m.ended_on else None,
                "end_reason": m.end_reason,
                "end_note": m.end_note,
            }
            for m in matches
        ],
        "follow_ups": [
            {
                "due_on": f.due_on.isoformat(),
                "label": f.title,
                "done_on": f.done_on.isoformat() if f.done_on else None,
                "outcome": f.outcome,
                "notes": f.notes,
                "meetings_since": f.meetings_since,
                "met_how": f.met_how,
                "activities": f.activities,
                # Her own answers only: the other side's are the other person's data. A concern
                # raised about someone's safety is the organisation's to disclose (its DPO), not here.
                "answers": f.volunteer_answers if kind == "volunteer" else f.newcomer_answers,
            }
            for f in follow_ups
        ],
        # The questions put to her and her answers (her side only), and every text message to and from her.
        "questions": [
            {
                "kind": q.kind,
                "asked_on": q.asked_on.isoformat(),
                "answered_at": q.answered_at.isoformat() if q.answered_at else None,
                "via": q.via,
                "answers": q.answers,
            }
            for q in Survey.objects.filter(match__in=matches, side=kind).order_by("asked_on", "id")
        ],
        "text_messages": [
            {"at": m.created_at.isoformat(), "direction": m.direction, "phone": m.phone, "body": m.body}
            for m in (SmsMessage.objects.filter(newcomer_id=person.pk) if kind == "newcomer" else [])
        ],
        "access": [
            {"at": e.at.isoformat(), "action": e.action, "purpose": e.purpose}
            for e in AuditEvent.objects.filter(subject_type=kind, subject_id=person.pk).order_by("at")
        ],
    }
    if kind == "volunteer":  # her screening: each step, why, and the notes of the interview, all hers to see
        data["screening"] = [
            {
                "at": e.at.isoformat(),
                "from_status": e.from_status,
                "to_status": e.to_status,
                "reason": e.reason,
                "notes": e.notes,
                "approved_for": [p.name for p in e.programmes.all()],
            }
            for e in ScreeningEvent.objects.filter(volunteer_id=person.pk)
            .prefetch_related("programmes")
            .order_by("at", "id")
        ]
    return data
