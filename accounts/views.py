"""Organisation admins: their staff and invitations (their programmes are edited in
coordinator/views/programmes.py). Anyone: accepting an invitation, and the page that asks her to
look in her e-mail after signing up."""

from allauth.account.internal.stagekit import clear_login, unstash_login
from allauth.account.utils import has_verified_email
from allauth.account.views import EmailVerificationSentView
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import Resolver404, resolve
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from accounts import api_tokens as tokens
from accounts import forms, permissions, selectors, services
from accounts.models import Invitation, Membership
from accounts.shared.errors import error_json
from accounts.shared.forms import refusals_as_messages, refusals_at_fields


class VerificationSentView(EmailVerificationSentView):
    """ "Look in your e-mail", after signing up. Reloaded once she has confirmed her address in
    another browser (the link opened on her computer), it no longer asks her to look: it sends her
    to log in, here too, and on with her application."""

    def get(self, request, *args, **kwargs):
        pending = unstash_login(request, peek=True)
        if pending is not None and has_verified_email(pending.user, pending.email):
            clear_login(request)
            messages.success(request, _("Din e-postadress är bekräftad. Logga in för att fortsätta med ansökan."))
            return redirect("account_login")
        return super().get(request, *args, **kwargs)


def _administered(user, slug: str):
    return get_object_or_404(permissions.organisations_administered(user), slug=slug)


@login_required
@require_GET
def download_ready(request):
    """Where the password page leads before a download (accounts.permissions.require_recent_password):
    it starts the download and stays in view, with a way back. Only our own addresses."""
    file = request.GET.get("fil", "")
    if not file:
        return redirect("home")
    if not file.startswith("/") or not url_has_allowed_host_and_scheme(file, allowed_hosts={request.get_host()}):
        raise Http404
    try:
        resolve(file.split("?")[0])
    except Resolver404:
        raise Http404 from None
    back, back_label = ("/", _("Till startsidan"))
    if file.startswith("/organisation/") or file.startswith("/program/"):
        back, back_label = "/data/", _("Tillbaka till Data och rapport")
    if "/exportfiler/" in file:
        back = file.rsplit("/exportfiler/", 1)[0] + "/exportfiler/"
        back_label = _("Tillbaka till dina exportfiler")
    if file.startswith("/mitt-uppdrag/"):
        back, back_label = "/mitt-uppdrag/", _("Tillbaka till Mitt uppdrag")
    return render(request, "account/download_ready.html", {"file": file, "back": back, "back_label": back_label})


@login_required
@require_GET
def organisation_list(request):
    organisations = list(permissions.organisations_administered(request.user))
    if not organisations:
        raise PermissionDenied
    if len(organisations) == 1:
        return redirect("organisation_detail", slug=organisations[0].slug)
    return render(request, "organisation/list.html", {"organisations": organisations})


def _organisation_page(request, organisation, invite_form=None, contact_form=None, status=200):
    return render(
        request,
        "organisation/detail.html",
        {
            "organisation": organisation,
            **selectors.organisation_admin_overview(organisation=organisation),
            "invite_form": invite_form or forms.InvitationForm(),
            "contact_form": contact_form or forms.OrganisationContactForm(instance=organisation),
            "now": timezone.now(),
        },
        status=status,
    )


@login_required
@require_GET
def organisation_detail(request, slug: str):
    return _organisation_page(request, _administered(request.user, slug))


@login_required
@require_POST
def invitation_create(request, slug: str):
    organisation = _administered(request.user, slug)
    form = forms.InvitationForm(request.POST)
    if form.is_valid():
        with refusals_at_fields(form) as outcome:
            invitation, _token = services.invitation_create(
                organisation=organisation,
                by=request.user,
                email=form.cleaned_data["email"],
                role=form.cleaned_data["role"],
                unit=form.cleaned_data["unit"],
            )
        if outcome.ok:
            messages.success(request, _("En inbjudan är skickad till %(email)s.") % {"email": invitation.email})
            return redirect("organisation_detail", slug=slug)
    return _organisation_page(request, organisation, invite_form=form, status=400)


@login_required
@require_POST
def invitation_revoke(request, slug: str, pk: int):
    organisation = _administered(request.user, slug)
    invitation = get_object_or_404(Invitation, organisation=organisation, pk=pk)
    with refusals_as_messages(request) as outcome:
        services.invitation_revoke(invitation=invitation, by=request.user)
    if outcome.ok:
        messages.success(request, _("Inbjudan till %(email)s är återkallad.") % {"email": invitation.email})
    return redirect("organisation_detail", slug=slug)


@login_required
@require_POST
def organisation_contact(request, slug: str):
    organisation = _administered(request.user, slug)
    form = forms.OrganisationContactForm(request.POST, instance=organisation)
    if form.is_valid():
        with refusals_at_fields(form) as outcome:
            services.organisation_set_contact(organisation=organisation, by=request.user, **form.cleaned_data)
        if outcome.ok:
            messages.success(request, _("Kontaktuppgifterna för volontärer är sparade."))
            return redirect("organisation_detail", slug=slug)
    organisation.refresh_from_db()
    return _organisation_page(request, organisation, contact_form=form, status=400)


@login_required
@require_POST
def invitation_resend(request, slug: str, pk: int):
    organisation = _administered(request.user, slug)
    invitation = get_object_or_404(Invitation, organisation=organisation, pk=pk)
    with refusals_as_messages(request) as outcome:
        services.invitation_resend(invitation=invitation, by=request.user)
    if outcome.ok:
        messages.success(
            request,
            _("Inbjudan till %(email)s är skickad igen, med en ny länk. Den förra länken fungerar inte längre.")
            % {"email": invitation.email},
        )
    return redirect("organisation_detail", slug=slug)


@login_required
@require_POST
def membership_remove(request, slug: str, pk: int):
    organisation = _administered(request.user, slug)
    membership = get_object_or_404(Membership.objects.select_related("user"), organisation=organisation, pk=pk)
    with refusals_as_messages(request) as outcome:
        services.membership_remove(membership=membership, by=request.user)
    if outcome.ok:
        messages.success(
            request,
            _("%(name)s är inte längre %(role)s.")
            % {"name": membership.user, "role": membership.get_role_display().lower()},
        )
    return redirect("organisation_detail", slug=slug)


@require_http_methods(["GET", "POST"])
def invitation_accept(request, token: str):
    invitation = services.invitation_by_token(token)
    if invitation is None:
        return render(request, "organisation/invitation_invalid.html", status=404)
    logged_in = request.user.is_authenticated
    form = (
        None
        if logged_in
        else forms.InvitationAcceptForm(request.POST if request.method == "POST" else None, email=invitation.email)
    )
    if request.method == "POST" and (logged_in or form.is_valid()):
        with refusals_at_fields(form) if form is not None else refusals_as_messages(request) as outcome:
            if logged_in:
                services.invitation_accept(token=token, user=request.user)
            else:
                membership = services.invitation_accept(
                    token=token,
                    first_name=form.cleaned_data["first_name"],
                    last_name=form.cleaned_data["last_name"],
                    password=form.cleaned_data["password1"],
                )
                login(request, membership.user, backend="django.contrib.auth.backends.ModelBackend")
        if outcome.ok:
            messages.success(
                request,
                _("Välkommen till %(org)s som %(role)s!")
                % {"org": invitation.organisation, "role": invitation.get_role_display().lower()},
            )
            return redirect("home")
    status = 400 if request.method == "POST" else 200
    return render(
        request, "organisation/invitation_accept.html", {"invitation": invitation, "form": form}, status=status
    )


def locked_out(request, original_response=None, credentials=None):
    """What django-axes answers once an account is locked out from an address: a page saying
    how long, or the API's error shape. 429, as for any other limit."""
    minutes = int(settings.AXES_COOLOFF_TIME.total_seconds() // 60)
    message = _(
        "För många misslyckade inloggningar. Kontot är spärrat från den här adressen i %(minutes)s minuter. "
        "Har du glömt lösenordet kan du återställa det."
    ) % {"minutes": minutes}
    if request.path.startswith("/api/"):
        return error_json(message, code=429)
    return render(request, "account/locked_out.html", {"message": message}, status=429)


@login_required
@require_http_methods(["GET", "POST"])
def api_tokens(request):
    """The user's own API tokens: when each was made and expires, and a way to revoke one or all."""
    if request.method == "POST":
        key = request.POST.get("token_key") or None
        count = tokens.tokens_revoke(user=request.user, why="revoked by its owner", token_key=key)
        if count:
            messages.success(request, _("Nyckeln är återkallad.") if key else _("Alla dina nycklar är återkallade."))
        return redirect("api_tokens")
    return render(
        request,
        "account/api_tokens.html",
        {"tokens": tokens.tokens_of(user=request.user), "days": settings.VANMATCH_API_TOKEN_DAYS},
    )
