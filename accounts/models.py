"""Users, organisations and the roles people have in them."""

from django.contrib.auth.models import AbstractUser, UserManager
from django.db import models
from django.db.models.functions import Lower
from django.utils.translation import gettext_lazy as _


class VanmatchUserManager(UserManager):
    def get_by_natural_key(self, username):
        # Log in with the e-mail address in any letter case.
        return self.get(**{f"{self.model.USERNAME_FIELD}__iexact": username})


class User(AbstractUser):
    """A person who logs in: staff of an organisation, or a volunteer.

    Newcomers never log in; a social worker registers them.
    """

    email = models.EmailField(_("e-post"), unique=True)
    preferred_language = models.CharField(
        _("språk"), max_length=5, choices=[("sv", "Svenska"), ("en", "English")], default="sv"
    )

    objects = VanmatchUserManager()

    class Meta:
        verbose_name = _("användare")
        verbose_name_plural = _("användare")
        constraints = [models.UniqueConstraint(Lower("email"), name="user_email_unique_ci")]

    def __str__(self) -> str:
        return self.get_full_name() or self.email


class Organisation(models.Model):
    class Kind(models.TextChoices):
        MUNICIPALITY = "municipality", _("Kommun")
        CIVIL_SOCIETY = "civil_society", _("Civilsamhällesorganisation")

    name = models.CharField(_("namn"), max_length=200, unique=True)
    slug = models.SlugField(_("kortnamn"), max_length=80, unique=True)
    kind = models.CharField(_("typ"), max_length=20, choices=Kind.choices)
    municipality_code = models.CharField(
        _("kommunkod"), max_length=4, blank=True, help_text=_("SCB:s fyrsiffriga kommunkod, för kommuner.")
    )
    # Social workers see their own newcomers; with this set they also see those of
    # colleagues in the same unit (issue 4).
    social_workers_share_unit = models.BooleanField(_("socialsekreterare ser enhetens nyanlända"), default=False)
    # Shown to would-be volunteers (/bli-volontar/) and to volunteers (Mitt uppdrag): where the
    # organisation works and the named person to call.
    area = models.CharField(
        _("var ni finns"), max_length=200, blank=True, help_text=_("Till exempel: Ekerö kommun, eller Jämtlands län.")
    )
    contact_name = models.CharField(_("kontaktperson för volontärer"), max_length=200, blank=True)
    contact_phone = models.CharField(_("telefon"), max_length=30, blank=True)
    contact_email = models.EmailField(_("e-post"), blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("organisation")
        verbose_name_plural = _("organisationer")

    def __str__(self) -> str:
        return self.name


class Role(models.TextChoices):
    ORG_ADMIN = "org_admin", _("Organisationsadministratör")
    COORDINATOR = "coordinator", _("Samordnare")
    SOCIAL_WORKER = "social_worker", _("Socialsekreterare")
    VOLUNTEER = "volunteer", _("Volontär")
    DATA_PROTECTION_OFFICER = "dpo", _("Dataskyddsombud")


class Membership(models.Model):
    """A user's role in one organisation. One user may hold several roles."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="memberships")
    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="memberships")
    role = models.CharField(_("roll"), max_length=20, choices=Role.choices)
    unit = models.CharField(_("enhet"), max_length=120, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("medlemskap")
        verbose_name_plural = _("medlemskap")
        constraints = [models.UniqueConstraint(fields=["user", "organisation", "role"], name="membership_unique_role")]
        indexes = [models.Index(fields=["organisation", "role"])]

    def __str__(self) -> str:
        return f"{self.user} — {self.get_role_display()} ({self.organisation})"


class Invitation(models.Model):
    """An organisation admin's invitation to join as coordinator, social worker or admin.

    The link in the e-mail carries a random token; only its SHA-256 is stored, so a copy
    of the database does not let anyone accept an invitation.
    """

    ROLE_CHOICES = [
        (Role.COORDINATOR, Role.COORDINATOR.label),
        (Role.SOCIAL_WORKER, Role.SOCIAL_WORKER.label),
        (Role.ORG_ADMIN, Role.ORG_ADMIN.label),
        (Role.DATA_PROTECTION_OFFICER, Role.DATA_PROTECTION_OFFICER.label),
    ]
    VALID_DAYS = 14

    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="invitations")
    email = models.EmailField(_("e-post"))
    role = models.CharField(_("roll"), max_length=20, choices=ROLE_CHOICES)
    unit = models.CharField(
        _("enhet"), max_length=120, blank=True, help_text=_("För socialsekreterare: den enhet de arbetar på.")
    )
    token_hash = models.CharField(max_length=64, unique=True, editable=False)
    invited_by = models.ForeignKey(User, on_delete=models.SET_NULL, null=True, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    expires_at = models.DateTimeField()
    accepted_at = models.DateTimeField(null=True, blank=True)
    accepted_by = models.ForeignKey(User, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    revoked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("inbjudan")
        verbose_name_plural = _("inbjudningar")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(role__in=["coordinator", "social_worker", "org_admin", "dpo"]),
                name="invitation_staff_role",
            )
        ]

    def __str__(self) -> str:
        return f"{self.email} → {self.organisation} ({self.get_role_display()})"

    def state(self, now) -> str:
        if self.accepted_at:
            return "accepted"
        if self.revoked_at:
            return "revoked"
        if self.expires_at <= now:
            return "expired"
        return "pending"


class AuditQuerySet(models.QuerySet):
    def update(self, **kwargs):
        raise PermissionError("the audit trail is append-only")

    def delete(self):
        raise PermissionError("the audit trail is append-only")


class AuditEvent(models.Model):
    """Who read, changed, exported or erased a person's record, when, and why. Append-only: the
    model refuses updates and deletes, and on PostgreSQL a trigger refuses them too."""

    class Action(models.TextChoices):
        VIEW = "view", _("Läste")
        CREATE = "create", _("Registrerade")
        CHANGE = "change", _("Ändrade")
        EXPORT = "export", _("Exporterade")
        ERASE = "erase", _("Raderade")

    class Purpose(models.TextChoices):
        CASE = "case", _("Följa ärendet")
        SCREENING = "screening", _("Granskning av volontär")
        MATCHING = "matching", _("Matchning")
        FOLLOW_UP = "follow_up", _("Uppföljning av matchning")
        EXPORT = "export", _("Export")
        OWN = "own", _("Egna uppgifter")
        API = "api", _("Via API")
        RETENTION = "retention", _("Gallring när lagringstiden gått ut")
        IMPORT = "import", _("Import av ett kalkylark")
        ADMIN = "admin", _("Plattformens drift (Django-admin)")

    at = models.DateTimeField(auto_now_add=True, db_index=True)
    # No database constraint and no cascade: deleting an account or organisation leaves its rows alone.
    user = models.ForeignKey(User, on_delete=models.DO_NOTHING, db_constraint=False, null=True, related_name="+")
    user_label = models.CharField(max_length=254, help_text=_("Vem, även om kontot tas bort."))
    organisation = models.ForeignKey(
        Organisation, on_delete=models.DO_NOTHING, db_constraint=False, null=True, related_name="+"
    )
    action = models.CharField(max_length=10, choices=Action.choices)
    purpose = models.CharField(max_length=12, choices=Purpose.choices)
    subject_type = models.CharField(max_length=12)  # newcomer, volunteer
    subject_id = models.PositiveBigIntegerField()
    detail = models.CharField(max_length=200, blank=True)

    objects = AuditQuerySet.as_manager()

    class Meta:
        ordering = ["-at", "-id"]
        verbose_name = _("loggpost")
        verbose_name_plural = _("granskningslogg")
        indexes = [
            models.Index(fields=["subject_type", "subject_id", "-at"]),
            models.Index(fields=["organisation", "-at"]),
        ]
        default_permissions = ("view",)

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.user_label} {self.action} {self.subject_type}#{self.subject_id}"

    def save(self, *args, **kwargs):
        if self.pk is not None:
            raise PermissionError("the audit trail is append-only")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise PermissionError("the audit trail is append-only")


class SecondFactorFailures(models.Model):
    """Wrong codes from an authenticator app in a row, for one account, whichever way they came
    (the web's code step, an API token, reauthentication): counted in the database so that every
    web process sees them, and locked like failed passwords (accounts/two_factor.py)."""

    user = models.OneToOneField(User, on_delete=models.CASCADE, primary_key=True, related_name="+")
    count = models.PositiveSmallIntegerField(default=0)
    last_failed_at = models.DateTimeField()
    locked_until = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("felaktiga koder")
        verbose_name_plural = _("felaktiga koder")

    def __str__(self) -> str:
        return f"{self.user_id}: {self.count}"
