"""The account forms, labelled in the site's own words (Swedish first)."""

from allauth.account.forms import LoginForm, ResetPasswordForm, SignupForm
from allauth.core import context
from allauth.mfa.base.forms import AuthenticateForm, ReauthenticateForm
from allauth.mfa.totp.forms import ActivateTOTPForm
from allauth.mfa.totp.internal import auth as totp_auth
from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from accounts import two_factor
from accounts.models import Invitation, Organisation, Role, User
from accounts.validators import validate_person_name, validate_phone


class VanmatchLoginForm(LoginForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["login"].label = _("E-post")
        self.fields["login"].widget.attrs.pop("placeholder", None)
        self.fields["password"].label = _("Lösenord")
        self.fields["password"].widget.attrs.pop("placeholder", None)
        self.fields["password"].help_text = ""
        if "remember" in self.fields:
            self.fields["remember"].label = _("Kom ihåg mig på den här enheten")


class VanmatchSignupForm(SignupForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["email"].label = _("E-post")
        self.fields["email"].help_text = _("Vi skickar en länk hit som du klickar på för att bekräfta adressen.")
        self.fields["password1"].label = _("Lösenord")
        self.fields["password1"].help_text = _("Minst 12 tecken, inte bara siffror och inte ett vanligt lösenord.")
        self.fields["password2"].label = _("Lösenord igen")
        for field in self.fields.values():
            field.widget.attrs.pop("placeholder", None)


class VanmatchResetPasswordForm(ResetPasswordForm):
    """A reset link goes only to an account's verified primary address: an address added later
    (perhaps by someone at an unattended computer) cannot be used to take the account over."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["email"].label = _("E-post")
        self.fields["email"].widget.attrs.pop("placeholder", None)

    def clean_email(self) -> str:
        from allauth.account.models import EmailAddress

        email = super().clean_email()
        self.users = [
            u
            for u in self.users
            if EmailAddress.objects.filter(user=u, email__iexact=email, verified=True, primary=True).exists()
        ]
        return email


class LockingAuthenticateForm(AuthenticateForm):
    """The code step after the password: wrong codes count for the account in the database and
    lock it like wrong passwords (accounts/two_factor.py), whichever web process answers."""

    def clean_code(self) -> str:
        if two_factor.code_locked(self.user):
            raise ValidationError(two_factor.locked_message(), code="locked")
        demo = self.cleaned_data.get("code", "")
        app = two_factor.authenticator(self.user)
        if app is not None and two_factor.demo_code_passes(self.user, demo):
            app.user = self.user
            self.authenticator = app
            return demo
        try:
            code = super().clean_code()
        except ValidationError:
            two_factor.code_failed(self.user, request=context.request)
            if two_factor.code_locked(self.user):
                raise ValidationError(two_factor.locked_message(), code="locked") from None
            raise
        two_factor.code_succeeded(self.user)
        return code


class LockingReauthenticateForm(ReauthenticateForm, LockingAuthenticateForm):
    """Giving the code again before an export or erasure: counted and locked the same way."""


class PendingSecretActivateTOTPForm(ActivateTOTPForm):
    """Setting up an authenticator app, with the secret kept until the app is set up.

    allauth makes a new secret on every GET of the set-up page. A browser's own requests (the
    favicon, a prefetch, a second tab) then replace the secret the person has just scanned, and
    every code she types is refused. The pending secret lives in the session and changes only
    when an app has been set up with it (allauth clears it then) or the session ends."""

    def __init__(self, *args, **kwargs) -> None:
        self.user = kwargs.pop("user")
        forms.Form.__init__(self, *args, **kwargs)
        self.secret = totp_auth.get_totp_secret(regenerate=False)


class InvitationForm(forms.ModelForm):
    """An organisation admin invites a coordinator or a social worker."""

    class Meta:
        model = Invitation
        fields = ["email", "role", "unit"]
        widgets = {"email": forms.EmailInput(attrs={"autocomplete": "off"})}

    ROLE_DUTIES = {
        Role.COORDINATOR: _("granskar volontärer, matchar, följer upp matchningar och redovisar"),
        Role.SOCIAL_WORKER: _("registrerar nyanlända med deras samtycke och följer dem hon registrerat"),
        Role.ORG_ADMIN: _("bjuder in personal och ändrar program; ser allt samordnarna ser"),
        Role.DATA_PROTECTION_OFFICER: _("läser granskningsloggen: vem som läst och ändrat vad, och varför"),
    }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["role"].choices = [
            (role, f"{label} – {self.ROLE_DUTIES[role]}") for role, label in Invitation.ROLE_CHOICES
        ]
        self.fields["role"].widget = forms.RadioSelect(choices=self.fields["role"].choices)
        self.fields["role"].help_text = _(
            "Samordnare, administratörer och dataskyddsombud loggar in med tvåstegsverifiering."
        )


class OrganisationContactForm(forms.ModelForm):
    """Where the organisation works and whom a volunteer calls: shown on /bli-volontar/."""

    class Meta:
        model = Organisation
        fields = ["area", "contact_name", "contact_phone", "contact_email"]
        widgets = {
            "contact_phone": forms.TextInput(attrs={"inputmode": "tel", "autocomplete": "off"}),
            "contact_email": forms.EmailInput(attrs={"autocomplete": "off"}),
            "contact_name": forms.TextInput(attrs={"autocomplete": "off"}),
        }

    def clean_contact_name(self) -> str:
        name = self.cleaned_data["contact_name"].strip()
        validate_person_name(name)
        return name

    def clean_contact_phone(self) -> str:
        phone = self.cleaned_data["contact_phone"].strip()
        validate_phone(phone)
        return phone


class InvitationAcceptForm(forms.Form):
    """A new user sets their name and password when accepting an invitation."""

    first_name = forms.CharField(label=_("Förnamn"), max_length=100, validators=[validate_person_name])
    last_name = forms.CharField(label=_("Efternamn"), max_length=100, validators=[validate_person_name])
    password1 = forms.CharField(
        label=_("Lösenord"),
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        help_text=_("Minst 12 tecken, inte bara siffror och inte ett vanligt lösenord."),
    )
    password2 = forms.CharField(
        label=_("Lösenord igen"), widget=forms.PasswordInput(attrs={"autocomplete": "new-password"})
    )

    def __init__(self, *args, email: str = "", **kwargs):
        super().__init__(*args, **kwargs)
        self.email = email

    def clean_password1(self):
        from django.contrib.auth import password_validation

        password = self.cleaned_data["password1"]
        password_validation.validate_password(
            password, User(email=self.email, first_name=self.data.get("first_name", ""))
        )
        return password

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("password1") and cleaned.get("password1") != cleaned.get("password2"):
            self.add_error("password2", _("Lösenorden är inte lika."))
        return cleaned
