"""The befriending domain: programmes, the people in them, runs, proposals, matches, follow-ups.

Words as in shared/domain.md. Reads go through selectors/, writes through services/.
"""

from datetime import date

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from accounts.models import Organisation
from coordinator import validators


def one_year_after(day: date) -> date:
    """The same date a year later (28 February for 29 February)."""
    try:
        return day.replace(year=day.year + 1)
    except ValueError:
        return day.replace(year=day.year + 1, day=28)


def extract_holds(seen: date | None, until: date | None, on: date) -> bool:
    """Volunteer.background_checked for the two dates alone (the engine's pool reads rows, not
    model objects)."""
    return bool(seen and until and seen <= on <= until and until <= one_year_after(seen))


def default_follow_up_schedule() -> list[int]:
    # Days after the start of the first check-ins: two weeks and four weeks (MENTOR's Elements of
    # Effective Practice: twice in the first month). Then one every `follow_up_every_days`, and
    # the trial's end and the evaluation at the planned end are always added.
    return [14, 28]


def default_target_groups() -> list[str]:
    return ["nyanland", "asylsokande", "ensamkommande"]


class TargetGroup(models.TextChoices):
    NYANLAND = "nyanland", _("Nyanländ (uppehållstillstånd)")
    ASYLSOKANDE = "asylsokande", _("Asylsökande")
    ENSAMKOMMANDE = "ensamkommande", _("Ensamkommande barn")


class Gender(models.TextChoices):
    FEMALE = "female", _("Kvinna")
    MALE = "male", _("Man")
    OTHER = "other", _("Annat")


class GenderPreference(models.TextChoices):
    FEMALE = "female", _("En kvinna")
    MALE = "male", _("En man")


class SwedishLevel(models.TextChoices):
    NONE = "none", _("Ingen svenska ännu")
    BASIC = "basic", _("Grundläggande")
    INTERMEDIATE = "intermediate", _("Kan göra mig förstådd")
    FLUENT = "fluent", _("Flytande")
    NATIVE = "native", _("Modersmål")


class Programme(models.Model):
    class Kind(models.TextChoices):
        SPRAKVAN = "sprakvan", _("Språkvän")
        FLYKTINGGUIDE = "flyktingguide", _("Flyktingguide")
        VANFAMILJ = "vanfamilj", _("Vänfamilj")

    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="programmes")
    name = models.CharField(_("namn"), max_length=200)
    kind = models.CharField(_("typ"), max_length=20, choices=Kind.choices)
    description = models.TextField(_("beskrivning"), blank=True)
    planned_length_months = models.PositiveSmallIntegerField(_("planerad längd (månader)"), default=6)
    trial_months = models.PositiveSmallIntegerField(_("provperiod (månader)"), default=1)
    max_distance_km = models.FloatField(
        _("största avstånd (km)"), null=True, blank=True, default=25, help_text=_("Tomt betyder ingen gräns.")
    )
    weights = models.JSONField(
        _("vikter"), default=dict, blank=True, help_text=_("Tomt betyder motorns standardvikter för programtypen.")
    )
    follow_up_days = models.JSONField(
        _("första uppföljningarna (dagar efter start)"), default=default_follow_up_schedule, blank=True
    )
    quiet_after_weeks = models.PositiveSmallIntegerField(
        _("varna efter så här många veckor utan träff"),
        default=3,
        help_text=_(
            "En matchning utan antecknad träff så länge hamnar på listan över matchningar att hålla ögonen på."
        ),
    )
    follow_up_every_days = models.PositiveSmallIntegerField(
        _("sedan en uppföljning var … dag"),
        default=30,
        help_text=_("Efter de första uppföljningarna, till det planerade slutet. 0 betyder inga fler."),
    )
    target_groups = models.JSONField(_("målgrupper"), default=default_target_groups)
    nightly_matching = models.BooleanField(_("matcha varje natt"), default=False)
    retention_months = models.PositiveSmallIntegerField(
        _("spara uppgifter (månader)"),
        default=24,
        help_text=_("Så länge uppgifter om en person sparas efter hennes sista matchning, eller efter att hon slutat."),
    )
    stale_months = models.PositiveSmallIntegerField(
        _("inaktuell registrering (månader)"),
        default=12,
        help_text=_("En nyanländ som aldrig matchats och inte ändrats på så här länge raderas."),
    )
    active = models.BooleanField(_("aktivt"), default=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["organisation__name", "name"]
        verbose_name = _("program")
        verbose_name_plural = _("program")
        constraints = [
            models.UniqueConstraint(fields=["organisation", "name"], name="programme_unique_name"),
            models.CheckConstraint(
                condition=Q(max_distance_km__isnull=True) | Q(max_distance_km__gt=0), name="programme_distance_positive"
            ),
            models.CheckConstraint(condition=Q(planned_length_months__gte=1), name="programme_length_positive"),
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.organisation})"


class Person(models.Model):
    """What volunteers and newcomers both have: the facts the matching engine reads."""

    first_name = models.CharField(_("förnamn"), max_length=100, validators=[validators.validate_person_name])
    last_name = models.CharField(
        _("efternamn"), max_length=100, blank=True, validators=[validators.validate_person_name]
    )
    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+")
    programmes = models.ManyToManyField(Programme, related_name="+", blank=True, verbose_name=_("program"))
    # A stable key from an imported spreadsheet or the demo, so that loading it again updates.
    external_ref = models.CharField(_("extern referens"), max_length=100, null=True, blank=True)

    languages = models.JSONField(_("språk"), default=list, validators=[validators.validate_languages])
    swedish_level = models.CharField(
        _("svenska"), max_length=20, choices=SwedishLevel.choices, default=SwedishLevel.NONE
    )
    interests = models.JSONField(_("intressen"), default=list, blank=True, validators=[validators.validate_interests])
    availability = models.JSONField(_("tider"), default=list, blank=True, validators=[validators.validate_availability])
    postcode = models.CharField(_("postnummer"), max_length=6, blank=True, validators=[validators.validate_postcode])
    locality = models.CharField(_("ort"), max_length=100, blank=True)
    latitude = models.FloatField(null=True, blank=True)
    longitude = models.FloatField(null=True, blank=True)

    gender = models.CharField(_("kön"), max_length=10, choices=Gender.choices, blank=True)
    birth_year = models.PositiveSmallIntegerField(
        _("födelseår"), null=True, blank=True, validators=[validators.validate_birth_year]
    )
    gender_preference = models.CharField(_("vill träffa"), max_length=10, choices=GenderPreference.choices, blank=True)
    household_adults = models.PositiveSmallIntegerField(_("vuxna i hushållet"), default=1)
    household_children_ages = models.JSONField(
        _("barnens åldrar"), default=list, blank=True, validators=[validators.validate_children_ages]
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        abstract = True

    def __str__(self) -> str:
        return f"{self.first_name} {self.last_name}".strip()


class Volunteer(Person):
    class Status(models.TextChoices):
        APPLIED = "applied", _("Ansökt")
        INTERVIEWED = "interviewed", _("Intervjuad")
        APPROVED = "approved", _("Godkänd")
        REJECTED = "rejected", _("Ej godkänd")
        PAUSED = "paused", _("Pausad")
        WITHDRAWN = "withdrawn", _("Avslutad")

    # What a volunteer tells us about themself (services.volunteer_apply and _update set these).
    FACTS = (
        "first_name",
        "last_name",
        "phone",
        "birth_year",
        "gender",
        "languages",
        "swedish_level",
        "interests",
        "availability",
        "gender_preference",
        "wants_family",
        "wants_age_min",
        "wants_age_max",
        "capacity",
        "household_adults",
        "household_children_ages",
    )

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="volunteer"
    )
    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="volunteers")
    programmes = models.ManyToManyField(Programme, related_name="volunteers", blank=True, verbose_name=_("program"))
    email = models.EmailField(_("e-post"), blank=True)
    phone = models.CharField(_("telefon"), max_length=30, blank=True)
    status = models.CharField(_("status"), max_length=20, choices=Status.choices, default=Status.APPLIED)
    status_reason = models.TextField(_("motivering"), blank=True)
    capacity = models.PositiveSmallIntegerField(_("antal nyanlända"), default=1)
    # Kept by services.match_* under a row lock; the check constraint below is the last line.
    open_matches = models.PositiveSmallIntegerField(_("pågående matchningar"), default=0, editable=False)
    background_check_date = models.DateField(_("belastningsregister uppvisat"), null=True, blank=True)
    background_check_expires = models.DateField(_("utdraget gäller till"), null=True, blank=True)
    wants_family = models.BooleanField(_("vill träffa en familj"), null=True, blank=True)
    wants_age_min = models.PositiveSmallIntegerField(_("ålder från"), null=True, blank=True)
    wants_age_max = models.PositiveSmallIntegerField(_("ålder till"), null=True, blank=True)
    status_changed_at = models.DateTimeField(_("status ändrad"), null=True, blank=True)
    # The privacy notice the volunteer consented to (coordinator/privacy.py keeps every version).
    privacy_notice_version = models.CharField(_("integritetsmeddelande"), max_length=20, blank=True)
    privacy_consented_at = models.DateTimeField(_("samtycke lämnat"), null=True, blank=True)
    erasure_requested_at = models.DateTimeField(_("radering begärd"), null=True, blank=True)
    pool_note = models.TextField(_("inför nästa matchning"), blank=True)

    class Meta:
        ordering = ["first_name", "last_name", "id"]
        verbose_name = _("volontär")
        verbose_name_plural = _("volontärer")
        constraints = [
            models.CheckConstraint(condition=Q(capacity__gte=1) & Q(capacity__lte=10), name="volunteer_capacity_1_10"),
            models.CheckConstraint(
                condition=Q(open_matches__lte=F("capacity")), name="volunteer_open_matches_within_capacity"
            ),
            models.CheckConstraint(condition=Q(household_adults__gte=1), name="volunteer_household_adults"),
            models.UniqueConstraint(fields=["organisation", "external_ref"], name="volunteer_unique_external_ref"),
        ]
        indexes = [models.Index(fields=["organisation", "status"])]

    @property
    def is_matched(self) -> bool:
        return self.open_matches > 0

    def background_checked(self, on: date) -> bool:
        """Whether the volunteer's extract from the criminal records register holds on `on`: it
        was seen by then, it holds until a recorded date, and that date is at most a year after it
        was seen (an extract for work with children is valid one year). One with no end, or seen
        centuries ago, does not count."""
        return extract_holds(self.background_check_date, self.background_check_expires, on)


class Newcomer(Person):
    class Status(models.TextChoices):
        WAITING = "waiting", _("Väntar")
        MATCHED = "matched", _("Matchad")
        INACTIVE = "inactive", _("Inaktiv")

    class ConsentMethod(models.TextChoices):
        WRITTEN = "written", _("Skriftligt")
        ORAL_INTERPRETER = "oral_interpreter", _("Muntligt med tolk")
        ORAL = "oral", _("Muntligt")

    class ShareableFact(models.TextChoices):
        FIRST_NAME = "first_name", _("Förnamn")
        LANGUAGES = "languages", _("Språk")
        INTERESTS = "interests", _("Intressen")
        HOUSEHOLD = "household", _("Hushåll")
        AGE = "age", _("Ålder")
        LOCALITY = "locality", _("Ort")
        PHONE = "phone", _("Telefonnummer")

    # What a social worker registers (services.newcomer_register and _update set these).
    FACTS = (
        "first_name",
        "last_name",
        "phone",
        "birth_year",
        "gender",
        "target_group",
        "languages",
        "swedish_level",
        "interests",
        "availability",
        "gender_preference",
        "household_adults",
        "household_children_ages",
        "needs",
        "interpreter_needed",
        "interpreter_language",
        "consent_shareable",
    )

    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="newcomers")
    programmes = models.ManyToManyField(Programme, related_name="newcomers", blank=True, verbose_name=_("program"))
    registered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="registered_newcomers"
    )
    registered_on = models.DateField(_("registrerad"))
    phone = models.CharField(_("telefon"), max_length=30, blank=True)
    target_group = models.CharField(_("målgrupp"), max_length=20, choices=TargetGroup.choices)
    status = models.CharField(_("status"), max_length=20, choices=Status.choices, default=Status.WAITING)
    needs = models.TextField(
        _("behov och önskemål"), blank=True, help_text=_("Skriv inte om hälsa, religion eller etnicitet.")
    )
    interpreter_needed = models.BooleanField(_("behöver tolk"), default=False)
    interpreter_language = models.CharField(_("tolkspråk"), max_length=3, blank=True)

    consent_given_at = models.DateTimeField(_("samtycke lämnat"), null=True, blank=True)
    consent_method = models.CharField(
        _("hur samtycket lämnades"), max_length=20, choices=ConsentMethod.choices, blank=True
    )
    consent_recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    consent_withdrawn_at = models.DateTimeField(_("samtycke återkallat"), null=True, blank=True)
    # The privacy notice she was given before consenting (coordinator/privacy.py), and in which
    # language: read in it, or interpreted into it. Empty for consents recorded before notices
    # were versioned, and for imported records.
    consent_notice_version = models.CharField(_("integritetsmeddelandets version"), max_length=20, blank=True)
    consent_notice_language = models.CharField(_("integritetsmeddelandets språk"), max_length=3, blank=True)
    erased_at = models.DateTimeField(_("raderad"), null=True, blank=True)
    # Back in the pool after a match ended: first in line (her waiting counts as full) and a note
    # for whoever proposes her next match. Cleared when she is matched again.
    pool_priority = models.BooleanField(_("förtur till nästa matchning"), default=False)
    pool_note = models.TextField(_("inför nästa matchning"), blank=True)
    # She answered STOP: no more text messages, ever, unless she asks again.
    sms_stopped_at = models.DateTimeField(_("sms avböjda"), null=True, blank=True)
    consent_shareable = models.JSONField(
        _("får lämnas till volontären"),
        default=list,
        blank=True,
        help_text=_("Uppgifter som den nyanlände har samtyckt till att volontären får veta."),
    )

    class Meta:
        ordering = ["registered_on", "id"]
        verbose_name = _("nyanländ")
        verbose_name_plural = _("nyanlända")
        constraints = [
            models.CheckConstraint(condition=Q(household_adults__gte=1), name="newcomer_household_adults"),
            # Consent is recorded with when and how, or not at all.
            models.CheckConstraint(
                condition=Q(consent_given_at__isnull=True) | ~Q(consent_method=""), name="newcomer_consent_has_method"
            ),
            models.UniqueConstraint(fields=["organisation", "external_ref"], name="newcomer_unique_external_ref"),
        ]
        indexes = [models.Index(fields=["organisation", "status"])]

    @property
    def has_consent(self) -> bool:
        return self.consent_given_at is not None and self.consent_withdrawn_at is None

    @property
    def shareable_labels(self) -> list[str]:
        labels = dict(self.ShareableFact.choices)
        return [str(labels[fact]) for fact in self.consent_shareable if fact in labels]


class MatchingRun(models.Model):
    class Status(models.TextChoices):
        QUEUED = "queued", _("I kö")
        RUNNING = "running", _("Pågår")
        DONE = "done", _("Klar")
        FAILED = "failed", _("Misslyckades")

    class Trigger(models.TextChoices):
        MANUAL = "manual", _("Startad av en samordnare")
        NIGHTLY = "nightly", _("Nattlig körning")

    class Failure(models.TextChoices):
        TIME_LIMIT = "time_limit", _("Körningen tog längre tid än gränsen tillåter.")
        GAVE_UP = "gave_up", _("Bakgrundsarbetaren avbröts under körningen flera gånger.")
        ERROR = "error", _("Ett oväntat fel inträffade i beräkningen.")

    OPEN_STATUSES = (Status.QUEUED, Status.RUNNING)
    PHASES = ("reading", "encode", "pairs", "solve", "explain", "writing")

    programme = models.ForeignKey(Programme, on_delete=models.CASCADE, related_name="runs")
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    trigger = models.CharField(max_length=10, choices=Trigger.choices, default=Trigger.MANUAL)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.QUEUED)
    # Who is computing it: a claim token per delivery, so that only the latest delivery writes.
    claim = models.CharField(max_length=64, blank=True)
    attempts = models.PositiveSmallIntegerField(default=0)
    phase = models.CharField(max_length=20, blank=True, help_text=_("Vad arbetaren gör just nu."))
    phase_started_at = models.DateTimeField(null=True, blank=True)
    # Seconds the run may take, from the size of its pool when it was asked for (0: not set).
    time_limit = models.PositiveIntegerField(default=0)
    created_at = models.DateTimeField(auto_now_add=True)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    newcomers_count = models.PositiveIntegerField(default=0)
    volunteers_count = models.PositiveIntegerField(default=0)
    feasible_pairs = models.PositiveIntegerField(default=0)
    matched_count = models.PositiveIntegerField(default=0)
    stats = models.JSONField(default=dict, blank=True)
    failure = models.CharField(max_length=12, choices=Failure.choices, blank=True)
    error = models.TextField(blank=True, help_text=_("Tekniska detaljer om ett fel, för den som driftar tjänsten."))
    # What the dashboard shows of the solution, small enough to read with the row: each newcomer
    # left unmatched as [id, the engine's reason code], and what the pool lacks. The documents
    # themselves (megabytes at a region's size) are in RunDocuments.
    unmatched = models.JSONField(default=list, blank=True)
    gaps = models.JSONField(default=dict, blank=True)
    # What would match more of those left waiting (matching/whatif.py), worked out by the worker
    # after the run: None until then.
    what_if = models.JSONField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("matchningskörning")
        verbose_name_plural = _("matchningskörningar")
        indexes = [models.Index(fields=["programme", "-created_at"])]
        constraints = [
            # One run at a time per programme: a second press of the button finds the first.
            models.UniqueConstraint(
                fields=["programme"], condition=Q(status__in=["queued", "running"]), name="run_one_open_per_programme"
            )
        ]

    def __str__(self) -> str:
        return f"#{self.pk} {self.programme.name} ({self.get_status_display()})"

    def failure_message(self) -> str:
        """Why the run failed and what to do, in the reader's language (the technical detail,
        `error`, is for whoever runs the service)."""
        if self.failure == self.Failure.TIME_LIMIT and self.time_limit < 120:
            return ngettext(
                "Körningen tog längre tid än gränsen på %(seconds)s sekund. "
                "Försök igen; händer det igen, be den som driftar tjänsten "
                "höja gränsen (MATCHING_RUN_TIME_LIMIT_BASE).",
                "Körningen tog längre tid än gränsen på %(seconds)s sekunder. "
                "Försök igen; händer det igen, be den som driftar tjänsten "
                "höja gränsen (MATCHING_RUN_TIME_LIMIT_BASE).",
                self.time_limit,
            ) % {"seconds": self.time_limit}
        if self.failure == self.Failure.TIME_LIMIT:
            minutes = round(self.time_limit / 60)
            return ngettext(
                "Körningen tog längre tid än gränsen på %(minutes)s minut. "
                "Försök igen; händer det igen, be den som driftar tjänsten "
                "höja gränsen (MATCHING_RUN_TIME_LIMIT_MAX).",
                "Körningen tog längre tid än gränsen på %(minutes)s minuter. "
                "Försök igen; händer det igen, be den som driftar tjänsten "
                "höja gränsen (MATCHING_RUN_TIME_LIMIT_MAX).",
                minutes,
            ) % {"minutes": minutes}
        if self.failure == self.Failure.GAVE_UP:
            return str(
                _(
                    "Bakgrundsarbetaren avbröts under körningen flera gånger. Försök igen, och be den som "
                    "driftar tjänsten se efter arbetarens minne och logg."
                )
            )
        return str(
            _(
                "Ett oväntat fel inträffade i beräkningen. Felet finns i loggen; försök igen, och kontakta "
                "den som driftar tjänsten om det händer igen."
            )
        )


class RunDocuments(models.Model):
    """A run's input (vanmatch.problem/1) and output (vanmatch.solution/1), kept to download and
    reproduce the run. Tens of megabytes for a region: they live apart from the run's own row,
    which the dashboard, the proposal queue and every approval read, and are loaded only here."""

    run = models.OneToOneField(MatchingRun, on_delete=models.CASCADE, primary_key=True, related_name="documents")
    problem = models.JSONField(null=True, blank=True, help_text=_("Indata i formatet vanmatch.problem/1."))
    solution = models.JSONField(null=True, blank=True, help_text=_("Utdata i formatet vanmatch.solution/1."))

    class Meta:
        verbose_name = _("körningens dokument")
        verbose_name_plural = _("körningarnas dokument")

    def __str__(self) -> str:
        return f"#{self.run_id}"


class Proposal(models.Model):
    class State(models.TextChoices):
        PENDING = "pending", _("Väntar på beslut")
        APPROVED = "approved", _("Godkänt")
        DECLINED = "declined", _("Avböjt")
        SUPERSEDED = "superseded", _("Ersatt av en senare körning")

    run = models.ForeignKey(MatchingRun, on_delete=models.CASCADE, related_name="proposals")
    newcomer = models.ForeignKey(Newcomer, on_delete=models.CASCADE, related_name="proposals")
    volunteer = models.ForeignKey(Volunteer, on_delete=models.CASCADE, related_name="proposals")
    score = models.FloatField()
    parts = models.JSONField(default=dict, help_text=_("Poängens delar och fakta bakom dem."))
    state = models.CharField(max_length=10, choices=State.choices, default=State.PENDING)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    decline_reason = models.TextField(blank=True)
    # A re-run's proposal for a newcomer who had another one pending: the one it replaced (a
    # proposal the re-run makes again is kept as it was, and never replaced).
    replaces = models.ForeignKey(
        "self", on_delete=models.SET_NULL, null=True, blank=True, related_name="+", verbose_name=_("ersätter")
    )

    class Meta:
        ordering = ["-score", "id"]
        verbose_name = _("förslag")
        verbose_name_plural = _("förslag")
        constraints = [
            models.UniqueConstraint(fields=["run", "newcomer"], name="proposal_one_per_newcomer_per_run"),
            models.CheckConstraint(condition=Q(score__gt=0) & Q(score__lte=1), name="proposal_score_in_0_1"),
        ]

    def __str__(self) -> str:
        return f"{self.newcomer} & {self.volunteer} ({self.score:.2f})"


class Match(models.Model):
    class State(models.TextChoices):
        APPROVED = "approved", _("Godkänd")
        INTRODUCED = "introduced", _("Introduktion bokad")
        ACTIVE = "active", _("Aktiv")
        ENDED = "ended", _("Avslutad")

    class EndReason(models.TextChoices):
        COMPLETED = "completed", _("Genomförd")
        MOVED = "moved", _("Flyttat")
        NO_TIME = "no_time", _("Har inte tid")
        NO_CLICK = "no_click", _("Det klickade inte")
        SAFEGUARDING = "safeguarding", _("Oro för någons säkerhet")
        OTHER = "other", _("Annat")

    class WantedBy(models.TextChoices):
        VOLUNTEER = "volunteer", _("Volontären")
        NEWCOMER = "newcomer", _("Den nyanlände")
        BOTH = "both", _("Båda")
        COORDINATOR = "coordinator", _("Samordnaren")

    OPEN_STATES = (State.APPROVED, State.INTRODUCED, State.ACTIVE)

    programme = models.ForeignKey(Programme, on_delete=models.PROTECT, related_name="matches")
    newcomer = models.ForeignKey(Newcomer, on_delete=models.PROTECT, related_name="matches")
    volunteer = models.ForeignKey(Volunteer, on_delete=models.PROTECT, related_name="matches")
    proposal = models.OneToOneField(Proposal, on_delete=models.SET_NULL, null=True, blank=True, related_name="match")
    state = models.CharField(max_length=12, choices=State.choices, default=State.APPROVED)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    started_on = models.DateField(_("startdatum"))
    trial_ends_on = models.DateField(_("provperioden slutar"))
    planned_end_on = models.DateField(_("planerat slut"))
    intro_at = models.DateTimeField(_("introduktionsmöte"), null=True, blank=True)
    intro_place = models.CharField(_("plats"), max_length=200, blank=True)
    intro_coordinator_attends = models.BooleanField(_("samordnaren är med"), default=True)
    intro_booked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("bokat av"),
    )
    activated_on = models.DateField(_("aktiv sedan"), null=True, blank=True)
    extended_times = models.PositiveSmallIntegerField(_("förlängd"), default=0)
    ended_on = models.DateField(_("avslutad"), null=True, blank=True)
    end_reason = models.CharField(_("orsak"), max_length=20, choices=EndReason.choices, blank=True)
    end_note = models.TextField(_("kommentar"), blank=True)
    ended_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    ended_wanted_by = models.CharField(_("vem ville avsluta"), max_length=12, choices=WantedBy.choices, blank=True)

    class Meta:
        ordering = ["-started_on", "-id"]
        verbose_name = _("matchning")
        verbose_name_plural = _("matchningar")
        constraints = [
            models.UniqueConstraint(
                fields=["newcomer", "programme"],
                condition=~Q(state="ended"),
                name="match_one_open_per_newcomer_and_programme",
            ),
            models.CheckConstraint(
                condition=Q(state="ended", ended_on__isnull=False, end_reason__gt="") | ~Q(state="ended"),
                name="match_ended_has_date_and_reason",
            ),
            models.CheckConstraint(condition=Q(planned_end_on__gte=F("started_on")), name="match_end_after_start"),
        ]
        indexes = [models.Index(fields=["programme", "state"]), models.Index(fields=["volunteer", "state"])]

    def __str__(self) -> str:
        return f"{self.newcomer} & {self.volunteer}"

    @property
    def is_open(self) -> bool:
        return self.state != self.State.ENDED


class FollowUp(models.Model):
    class Outcome(models.TextChoices):
        GOING_WELL = "going_well", _("Går bra")
        NEEDS_SUPPORT = "needs_support", _("Behöver stöd")
        NOT_MEETING = "not_meeting", _("Träffas inte")
        END = "end", _("Bör avslutas")

    class Kind(models.TextChoices):
        CHECK_IN = "check_in", _("Uppföljning")
        TRIAL_END = "trial_end", _("Provperioden slutar")
        PLANNED_END = "planned_end", _("Utvärdering vid planerat slut")

    class MetHow(models.TextChoices):
        IN_PERSON = "in_person", _("Träffats")
        VIDEO = "video", _("Video")
        PHONE = "phone", _("Telefon")
        MESSAGES = "messages", _("Meddelanden")

    match = models.ForeignKey(Match, on_delete=models.CASCADE, related_name="follow_ups")
    due_on = models.DateField(_("datum"))
    kind = models.CharField(max_length=12, choices=Kind.choices, default=Kind.CHECK_IN)
    label = models.CharField(_("vad"), max_length=100, blank=True)  # before `kind`: kept as written
    done_on = models.DateField(_("genomförd"), null=True, blank=True)
    outcome = models.CharField(_("utfall"), max_length=20, choices=Outcome.choices, blank=True)
    notes = models.TextField(
        _("anteckningar"), blank=True, help_text=_("Skriv inte om hälsa, religion eller etnicitet.")
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    # The check-in's standard questions, the same every time so that answers can be compared.
    meetings_since = models.PositiveSmallIntegerField(_("träffar sedan förra uppföljningen"), null=True, blank=True)
    met_how = models.JSONField(_("hur de har hörts"), default=list, blank=True)
    activities = models.TextField(_("vad de har gjort"), blank=True)
    # The relationship questions (coordinator.relationship), 1-5 each, asked of each side; empty if not asked.
    volunteer_answers = models.JSONField(_("volontärens svar"), default=list, blank=True)
    newcomer_answers = models.JSONField(_("den nyanländes svar"), default=list, blank=True)
    concern = models.TextField(_("oro"), blank=True)
    safeguarding = models.BooleanField(_("oro för någons säkerhet"), default=False)

    class Meta:
        ordering = ["due_on", "id"]
        verbose_name = _("uppföljning")
        verbose_name_plural = _("uppföljningar")
        constraints = [
            models.CheckConstraint(
                condition=Q(done_on__isnull=True) | ~Q(outcome=""), name="follow_up_done_has_outcome"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.title} ({self.match})"

    @property
    def title(self) -> str:
        """What this follow-up is, in the reader's language (made from its kind, never stored)."""
        from django.utils.translation import gettext

        if self.kind != self.Kind.CHECK_IN:
            return str(self.get_kind_display())
        days = (self.due_on - self.match.started_on).days
        return gettext("Uppföljning efter %(days)s dagar") % {"days": days}

    @property
    def is_overdue(self) -> bool:
        from django.utils import timezone

        return self.done_on is None and self.due_on < timezone.localdate()


class ScreeningEvent(models.Model):
    """One step of a volunteer's screening: who moved them from which status to which, and why."""

    volunteer = models.ForeignKey(Volunteer, on_delete=models.CASCADE, related_name="screening_events")
    from_status = models.CharField(max_length=20, choices=Volunteer.Status.choices)
    to_status = models.CharField(max_length=20, choices=Volunteer.Status.choices)
    reason = models.TextField(_("motivering"), blank=True)
    notes = models.TextField(_("anteckningar från samtalet"), blank=True)
    # The programmes an approval is for (she is matched only in these).
    programmes = models.ManyToManyField("Programme", blank=True, related_name="+", verbose_name=_("godkänd för"))
    by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-at", "-id"]
        verbose_name = _("granskningssteg")
        verbose_name_plural = _("granskningssteg")

    def __str__(self) -> str:
        return f"{self.volunteer}: {self.from_status} → {self.to_status}"


class PairLock(models.Model):
    """A pair a coordinator holds before a run: the engine keeps the volunteer's place for this
    newcomer and matches everyone else around it. Approving it makes the match."""

    programme = models.ForeignKey(Programme, on_delete=models.CASCADE, related_name="locks")
    newcomer = models.ForeignKey(Newcomer, on_delete=models.CASCADE, related_name="locks")
    volunteer = models.ForeignKey(Volunteer, on_delete=models.CASCADE, related_name="locks")
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at", "id"]
        verbose_name = _("låst par")
        verbose_name_plural = _("låsta par")
        constraints = [models.UniqueConstraint(fields=["programme", "newcomer"], name="lock_one_per_newcomer")]

    def __str__(self) -> str:
        return f"{self.newcomer} & {self.volunteer} ({self.programme.name})"


class Meeting(models.Model):
    """The two met (or talked): logged by the volunteer in one tap, by the coordinator, or from
    the newcomer's answer. What the at-risk list and the outcomes count."""

    class Source(models.TextChoices):
        VOLUNTEER = "volunteer", _("Volontären")
        COORDINATOR = "coordinator", _("Samordnaren")
        NEWCOMER = "newcomer", _("Den nyanlände")

    MINUTES = ((30, _("en halvtimme")), (60, _("en timme")), (120, _("två timmar")), (180, _("en halv dag eller mer")))

    match = models.ForeignKey(Match, on_delete=models.CASCADE, related_name="meetings")
    on = models.DateField(_("datum"))
    minutes = models.PositiveSmallIntegerField(_("ungefär hur länge"), choices=MINUTES, default=60)
    what = models.CharField(_("vad ni gjorde"), max_length=200, blank=True)
    source = models.CharField(max_length=12, choices=Source.choices)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-on", "-id"]
        verbose_name = _("träff")
        verbose_name_plural = _("träffar")
        indexes = [models.Index(fields=["match", "-on"])]

    def __str__(self) -> str:
        return f"{self.on} ({self.match_id})"


class ImportBatch(models.Model):
    """A checked spreadsheet waiting for the coordinator's go-ahead (and, after, what it did)."""

    class Kind(models.TextChoices):
        VOLUNTEERS = "volunteers", _("Volontärer")
        NEWCOMERS = "newcomers", _("Nyanlända")

    class Status(models.TextChoices):
        CHECKING = "checking", _("Kontrolleras")
        READY = "ready", _("Kontrollerad")
        FAILED = "failed", _("Gick inte att läsa")
        APPLYING = "applying", _("Importeras")
        APPLIED = "applied", _("Importerad")

    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="imports")
    # The file is checked by the worker (worker.tasks.import_check), never in a web request: it is
    # kept here until then, and dropped as soon as it has been read.
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.READY)
    content = models.BinaryField(null=True, blank=True, editable=False)
    error = models.TextField(blank=True)
    unknown_columns = models.JSONField(default=list, blank=True)
    kind = models.CharField(max_length=12, choices=Kind.choices)
    filename = models.CharField(max_length=200)
    rows = models.JSONField(default=list, help_text=_("Raderna som de kontrollerades: värden och fel."))
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    # The messages of the check are written in the language of the one who sent the file.
    language = models.CharField(max_length=10, blank=True)
    # The go-ahead: who gave it and whether bad rows are skipped; the worker writes the rows.
    applied_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    skip_bad = models.BooleanField(default=False)
    applied_at = models.DateTimeField(null=True, blank=True)
    created_count = models.PositiveIntegerField(default=0)
    updated_count = models.PositiveIntegerField(default=0)
    skipped_count = models.PositiveIntegerField(default=0)
    # How far the worker's check has come, for the page to show while it waits.
    rows_total = models.PositiveIntegerField(default=0)
    rows_done = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("import")
        verbose_name_plural = _("importer")

    def __str__(self) -> str:
        return f"{self.filename} ({self.get_kind_display()})"


class ApplicationDraft(models.Model):
    """A volunteer's application while she writes it, kept on the server so that a break, an
    idle log-out or another device loses nothing: the answers of each step she has finished, and
    what she has typed so far in the step she is on. Deleted when the application is sent, and
    by the nightly retention when it has not been touched for `KEPT_DAYS`."""

    KEPT_DAYS = 90

    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="application_draft")
    organisation = models.ForeignKey(
        Organisation,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        help_text=_("Organisationen hon valde innan hon skapade kontot."),
    )
    steps = models.JSONField(default=dict, help_text=_("Varje avklarat steg: fältens värden som listor."))
    current_step = models.CharField(max_length=20, blank=True)
    current = models.JSONField(default=dict, help_text=_("Det hon har skrivit i steget hon är på."))
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("påbörjad ansökan")
        verbose_name_plural = _("påbörjade ansökningar")

    def __str__(self) -> str:
        return f"{self.user_id}: {', '.join(self.steps) or '-'}"


class ExportFile(models.Model):
    """A spreadsheet of the organisation's people or matches, built by the worker
    (coordinator.services.exports) so that an export of any size leaves no request waiting,
    and kept for the one who asked for it to download for a day."""

    class Status(models.TextChoices):
        QUEUED = "queued", _("I kö")
        BUILDING = "building", _("Skapas")
        READY = "ready", _("Klar")
        FAILED = "failed", _("Gick inte att skapa")

    KEPT_HOURS = 24

    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="exports")
    what = models.CharField(max_length=12)  # volunteers, newcomers or matches
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.QUEUED)
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    # The headings are written in the language of the one who asked.
    language = models.CharField(max_length=10, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    rows_total = models.PositiveIntegerField(default=0)
    rows_done = models.PositiveIntegerField(default=0)
    content = models.BinaryField(null=True, blank=True, editable=False)
    # Who the file holds, as [type, id] pairs, for the audit trail of each download.
    subjects = models.JSONField(default=list, blank=True, editable=False)
    error = models.TextField(blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("exportfil")
        verbose_name_plural = _("exportfiler")

    def __str__(self) -> str:
        return f"{self.organisation} {self.what}.xlsx ({self.status})"


class Survey(models.Model):
    """A question put to one side of a match, and her answer: the weekly "did you meet?" to the
    newcomer by SMS, the relationship questions (coordinator.relationship) after week 4 and week
    12, and the two exit questions when the match ends. Asked by e-mail (volunteer) or SMS
    (newcomer), answered by a digit, by the short signed link in the message (no account), or
    recorded by her social worker (or, at the ending, by the coordinator)."""

    class Kind(models.TextChoices):
        MET = "met", _("Träffades ni den här veckan?")
        WEEK_4 = "week_4", _("Efter fyra veckor")
        WEEK_12 = "week_12", _("Efter tolv veckor")
        EXIT = "exit", _("När matchningen slutade")

    class Side(models.TextChoices):
        VOLUNTEER = "volunteer", _("Volontären")
        NEWCOMER = "newcomer", _("Den nyanlände")

    class Via(models.TextChoices):
        DIGIT = "digit", _("Svar med en siffra")
        LINK = "link", _("Svar via länken")
        STAFF = "staff", _("Antecknat av personal")  # her social worker, or the coordinator at the ending

    match = models.ForeignKey(Match, on_delete=models.CASCADE, related_name="surveys")
    kind = models.CharField(max_length=10, choices=Kind.choices)
    side = models.CharField(max_length=10, choices=Side.choices)
    asked_on = models.DateField(_("frågat"))
    language = models.CharField(max_length=3, blank=True)
    answered_at = models.DateTimeField(_("besvarat"), null=True, blank=True)
    via = models.CharField(max_length=6, choices=Via.choices, blank=True)
    # met: [1] yes or [2] no; week_4 and week_12: the five relationship answers, 1-5 each;
    # exit: [how well it worked 1-5, will they keep in touch 1 yes / 2 no / 3 do not know].
    answers = models.JSONField(default=list, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["-asked_on", "-id"]
        verbose_name = _("fråga till deltagare")
        verbose_name_plural = _("frågor till deltagare")
        constraints = [
            models.UniqueConstraint(fields=["match", "kind", "side", "asked_on"], name="survey_once_a_day"),
            models.CheckConstraint(condition=Q(answered_at__isnull=True) | ~Q(via=""), name="survey_answer_says_how"),
        ]
        indexes = [models.Index(fields=["match", "kind", "side"])]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} ({self.match_id}, {self.side})"


class SmsMessage(models.Model):
    """Every text message sent to a newcomer or received from her, kept with the match (erased
    with her, deleted with the match's other records by retention)."""

    class Direction(models.TextChoices):
        OUT = "out", _("Skickat")
        IN = "in", _("Mottaget")

    class Status(models.TextChoices):
        QUEUED = "queued", _("Köat")
        SENT = "sent", _("Skickat")
        FAILED = "failed", _("Misslyckades")
        RECEIVED = "received", _("Mottaget")

    newcomer = models.ForeignKey(Newcomer, on_delete=models.CASCADE, related_name="sms")
    match = models.ForeignKey(Match, on_delete=models.CASCADE, null=True, blank=True, related_name="sms")
    survey = models.ForeignKey(Survey, on_delete=models.SET_NULL, null=True, blank=True, related_name="sms")
    direction = models.CharField(max_length=3, choices=Direction.choices)
    phone = models.CharField(max_length=20)  # E.164
    body = models.TextField()
    language = models.CharField(max_length=3, blank=True)
    status = models.CharField(max_length=10, choices=Status.choices)
    provider_id = models.CharField(max_length=64, blank=True)
    error = models.CharField(max_length=200, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("sms")
        verbose_name_plural = _("sms")
        indexes = [models.Index(fields=["phone", "-created_at"]), models.Index(fields=["match", "-created_at"])]

    def __str__(self) -> str:
        return f"{self.direction} {self.phone} {self.created_at:%Y-%m-%d}"
