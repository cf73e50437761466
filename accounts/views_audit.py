"""The audit trail, searched by coordinators and the data protection officer. (A person's own
access report is in coordinator/views/rights.py.)"""

from django import forms
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.shortcuts import render
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_GET

from accounts import permissions
from accounts.models import AuditEvent


class AuditSearchForm(forms.Form):
    subject_type = forms.ChoiceField(
        label=_("Vem"),
        required=False,
        choices=[("", _("Alla")), ("newcomer", _("Nyanländ")), ("volunteer", _("Volontär"))],
    )
    subject_id = forms.IntegerField(label=_("Nummer"), required=False, min_value=1)
    user = forms.CharField(label=_("Användarens e-post"), required=False, max_length=254)
    action = forms.ChoiceField(label=_("Vad"), required=False, choices=[("", _("Allt")), *AuditEvent.Action.choices])
    start = forms.DateField(label=_("Från"), required=False, widget=forms.DateInput(attrs={"type": "date"}))
    end = forms.DateField(label=_("Till"), required=False, widget=forms.DateInput(attrs={"type": "date"}))


@login_required
@require_GET
def audit_search(request):
    events = permissions.audit_events_visible(request.user)
    if not request.user.is_superuser and not permissions.organisation_ids(request.user, permissions.AUDIT_ROLES):
        raise PermissionDenied
    form = AuditSearchForm(request.GET or None)
    if form.is_valid():
        d = form.cleaned_data
        if d["subject_type"]:
            events = events.filter(subject_type=d["subject_type"])
        if d["subject_id"]:
            events = events.filter(subject_id=d["subject_id"])
        if d["user"]:
            events = events.filter(user_label__icontains=d["user"].strip())
        if d["action"]:
            events = events.filter(action=d["action"])
        if d["start"]:
            events = events.filter(at__date__gte=d["start"])
        if d["end"]:
            events = events.filter(at__date__lte=d["end"])
    page = Paginator(events.order_by("-at", "-id"), 100).get_page(request.GET.get("sida"))
    query = request.GET.copy()
    query.pop("sida", None)
    return render(
        request,
        "audit/search.html",
        {"form": form, "page": page, "events": page.object_list, "query": query.urlencode()},
    )
