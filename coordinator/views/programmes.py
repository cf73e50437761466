"""A coordinator's programme: dashboard, matching runs, the proposal queue, pairing by hand."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse, JsonResponse, QueryDict
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.html import format_html
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from accounts import permissions as account_permissions
from accounts.audit import audit_read, audit_record
from accounts.models import AuditEvent as A
from accounts.shared.forms import refusals_as_messages, refusals_at_fields
from coordinator import explain, forms, permissions, selectors, services
from coordinator.models import Match, MatchingRun, PairLock, Programme, Proposal, RunDocuments
from coordinator.selectors.waiting import how_to_read
from coordinator.services import runs
from matching.format import dumps

UNMATCHED_SHOWN = 25  # the dashboard names this many of those left unmatched, and counts the rest


@login_required
@require_GET
def programme_dashboard(request, pk: int):
    programme = selectors.programme_for_staff(user=request.user, pk=pk)
    today = timezone.localdate()
    context = {
        "programme": programme,
        "today": today,
        **selectors.programme_dashboard(programme=programme, today=today),
        "who_waits": selectors.waiting_by_group(programmes=[programme], today=today),
        "waiting_how_to_read": how_to_read(),
    }
    run = context["latest_run"]
    if run is not None and run.status == MatchingRun.Status.DONE:
        context["unmatched"] = [
            {**u, "words": explain.unmatched_in_words(u["code"])}
            for u in selectors.unmatched_of_run(run, limit=UNMATCHED_SHOWN)
        ]
        context["unmatched_total"] = len(run.unmatched)
        context["gaps"] = explain.gaps_in_words(run.gaps)
        if isinstance(run.what_if, list):
            named = selectors.volunteers_named_in(programme=programme, what_if=run.what_if)
            context["what_if"] = explain.what_if_in_words(run.what_if, {f"v{v.pk}": str(v) for v in named})
            context["what_if_named"] = named
            context["what_if_none"] = not run.what_if and bool(run.unmatched)
        else:
            context["what_if_pending"] = selectors.what_if_pending(run)
            context["what_if_failed"] = (run.what_if or {}).get("failed", "")
    shown = [n for n, _days, _again in context["longest_waiting"]]
    shown += [u["newcomer"] for u in context.get("unmatched", [])]
    for match in [f.match for f in context["follow_ups"]] + context["ending"] + [r.match for r in context["at_risk"]]:
        shown += [match.newcomer, match.volunteer]
    shown += context.get("what_if_named", [])
    audit_read(user=request.user, purpose=A.Purpose.MATCHING, subjects=shown)
    return render(request, "programmes/dashboard.html", context)


@login_required
@require_GET
def programme_outcomes(request, pk: int):
    """How long the programme's matches last, how many end early and why, how often the two
    meet, how long newcomers wait: figures, no person named."""
    programme = selectors.programme_for_staff(user=request.user, pk=pk)
    outcomes = selectors.programme_outcomes(programme=programme)
    context = {
        "programme": programme,
        "scope_name": programme.name,
        "o": outcomes,
        "chart": outcomes_chart(outcomes),
        "predictors": selectors.predictors(programme=programme),
    }
    return render(request, "programmes/outcomes.html", context)


def outcomes_chart(outcomes: dict) -> dict:
    """The survival curve's drawing: a year from the start, drawn on the server."""
    horizon = 365
    return {
        "width": 600,
        "height": 240,
        "days": horizon,
        "path": selectors.curve_path(outcomes["curve"]["steps"], width=600, height=240, days=horizon),
        "ticks": [{"day": d, "x": round(d / horizon * 600, 1)} for d in (0, 90, 182, 273, 365)],
    }


@login_required
@require_POST
def run_start(request, pk: int):
    programme = selectors.programme_for_staff(user=request.user, pk=pk)
    run = runs.run_request(programme=programme, by=request.user)
    if run.requested_by_id != request.user.pk or run.status != MatchingRun.Status.QUEUED:
        messages.info(request, _("En matchning pågår redan för programmet."))
    return redirect(f"{reverse('programme_dashboard', args=[programme.pk])}#run")


def _run_of(request, pk: int, run_pk: int) -> MatchingRun:
    programme = selectors.programme_for_staff(user=request.user, pk=pk)
    return get_object_or_404(MatchingRun.objects.defer("unmatched", "gaps"), programme=programme, pk=run_pk)


@never_cache
@login_required
@require_GET
def run_status(request, pk: int, run_pk: int):
    """The run's state as JSON, for the dashboard to follow it without a reload."""
    run = _run_of(request, pk, run_pk)
    return JsonResponse(
        {
            "status": run.status,
            "status_label": str(run.get_status_display()),
            "phase": run.phase,
            "step": MatchingRun.PHASES.index(run.phase) + 1 if run.phase in MatchingRun.PHASES else 0,
            "steps": len(MatchingRun.PHASES),
            "phase_seconds": round((timezone.now() - run.phase_started_at).total_seconds())
            if run.phase and run.phase_started_at
            else 0,
            "seconds": round((timezone.now() - run.started_at).total_seconds()) if run.started_at else 0,
            "limit_seconds": run.time_limit,
            "matched": run.matched_count,
            "newcomers": run.newcomers_count,
            "error": run.failure_message() if run.status == MatchingRun.Status.FAILED else "",
            "queue": reverse("proposal_queue", args=[pk]),
        }
    )


@login_required
@require_GET
def run_download(request, pk: int, run_pk: int, document: str):
    """The run's input (vanmatch.problem/1) or output (vanmatch.solution/1), to reproduce it
    with `python -m matching solve`."""
    programme = selectors.programme_for_staff(user=request.user, pk=pk)
    if document not in ("problem", "solution"):
        raise Http404
    # Only the document asked for is read and decoded: a region's problem alone is 14 MB.
    documents = get_object_or_404(
        RunDocuments.objects.only("run_id", document),
        run__programme=programme,
        run__pk=run_pk,
        run__status=MatchingRun.Status.DONE,
    )
    permissions.require_recent_password(request, purpose="export")
    body = getattr(documents, document) or {}
    audit_record(
        user=request.user,
        action=A.Action.EXPORT,
        purpose=A.Purpose.MATCHING,
        subjects=selectors.document_subjects(body, programme.organisation_id),
        detail=f"run {documents.run_id}",
    )
    response = HttpResponse(dumps(body), content_type="application/json; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="run-{documents.run_id}-{document}.json"'
    return response


QUEUE_KEYS = ("sida", *forms.QueueFilterForm.base_fields)


def _queue_query(data) -> QueryDict:
    """Only the queue's own parameters (its page and filters), from a GET or a decision's
    hidden `tillbaka` field."""
    query = QueryDict(mutable=True)
    for key in QUEUE_KEYS:
        if data.get(key):
            query[key] = data[key]
    return query


def _queue_page(request, programme, query: QueryDict, *, declining: tuple | None = None, status: int = 200):
    filter_form = forms.QueueFilterForm(query)
    queue = selectors.proposal_queue(programme=programme, page=query.get("sida"), filters=filter_form.filters())
    shown = [x for p in [*queue["proposals"], *queue["locks"]] for x in (p.newcomer, p.volunteer)]
    shown += [p.replaces.volunteer for p in queue["proposals"] if p.replaces is not None]  # "förut föreslogs X"
    audit_read(user=request.user, purpose=A.Purpose.MATCHING, subjects=shown)
    declining_pk, declining_form = declining or (None, None)
    comparing = request.GET.get("jamfor", "")
    comparing_pk = int(comparing) if comparing.isdecimal() else None
    cards = [
        {
            "proposal": p,
            "parts": explain.parts_in_words(p.parts),
            "distance": p.parts.get("distance_km"),
            "decline_form": declining_form if p.pk == declining_pk else forms.DeclineForm(auto_id=f"decline-{p.pk}-%s"),
            "comparing": p.pk == comparing_pk,  # the full comparison is on the page only when asked for
        }
        for p in queue["proposals"]
    ]
    paging = query.copy()
    paging.pop("sida", None)
    return render(
        request,
        "programmes/queue.html",
        {
            "programme": programme,
            "cards": cards,
            "page": queue["page"],
            "locks": queue["locks"],
            "run": queue["run"],
            "filter_form": filter_form,
            "filtered": bool(filter_form.filters()),
            "here": query.urlencode(),
            "paging": paging.urlencode(),
        },
        status=status,
    )


@login_required
@require_GET
def proposal_queue(request, pk: int):
    programme = selectors.programme_for_staff(user=request.user, pk=pk)
    return _queue_page(request, programme, _queue_query(request.GET))


def _queue_at(request, pk: int, anchor: str = "") -> str:
    """The queue where the coordinator was (its page and filters), so that a decision keeps
    her place."""
    query = _queue_query(QueryDict(request.POST.get("tillbaka", "")))
    url = reverse("proposal_queue", args=[pk])
    return f"{url}?{query.urlencode()}{anchor}" if query else f"{url}{anchor}"


def _proposal_of(request, pk: int, proposal_pk: int) -> Proposal:
    programme = selectors.programme_for_staff(user=request.user, pk=pk)
    return get_object_or_404(
        Proposal.objects.select_related("newcomer", "volunteer"), run__programme=programme, pk=proposal_pk
    )


@login_required
@require_POST
def proposal_approve(request, pk: int, proposal_pk: int):
    proposal = _proposal_of(request, pk, proposal_pk)
    with refusals_as_messages(request) as outcome:
        match = services.proposal_approve(proposal=proposal, by=request.user)
    if outcome.refused:
        return redirect(_queue_at(request, pk))
    # She stays in the queue, with the next proposal in view; the match is a link away.
    messages.success(
        request,
        format_html(
            '{} <a href="{}">{}</a>',
            _("%(newcomer)s och %(volunteer)s är matchade.")
            % {"newcomer": proposal.newcomer, "volunteer": proposal.volunteer},
            reverse("match_detail", args=[match.pk]),
            _("Boka det första mötet"),
        ),
    )
    return redirect(_queue_at(request, pk, "#queue"))


@login_required
@require_POST
def proposal_decline(request, pk: int, proposal_pk: int):
    proposal = _proposal_of(request, pk, proposal_pk)
    form = forms.DeclineForm(request.POST, auto_id=f"decline-{proposal.pk}-%s")
    if form.is_valid():
        with refusals_as_messages(request) as outcome:
            services.proposal_decline(proposal=proposal, by=request.user, reason=form.cleaned_data["reason"])
        if outcome.ok:
            messages.success(request, _("Förslaget är avböjt; paret föreslås inte igen."))
        # Refused (decided by a colleague meanwhile): the reason is said at the top of the queue.
        return redirect(_queue_at(request, pk, "#queue"))
    # The missing reason is shown in the open form, at its field, where she was.
    query = _queue_query(QueryDict(request.POST.get("tillbaka", "")))
    programme = selectors.programme_for_staff(user=request.user, pk=pk)
    return _queue_page(request, programme, query, declining=(proposal.pk, form), status=400)


@login_required
@require_http_methods(["GET", "POST"])
def pair_by_hand(request, pk: int):
    """Match two people now, or lock the pair before a run; every hard rule is checked."""
    programme = selectors.programme_for_staff(user=request.user, pk=pk)
    search = forms.PairSearchForm(request.GET)
    queries = search.cleaned_data if search.is_valid() else {}
    chosen = tuple(_id_or_none(request.POST.get(name)) for name in ("newcomer", "volunteer"))
    pool = selectors.pool_for_manual_match(
        programme=programme,
        newcomer_query=queries.get("nyanland", ""),
        volunteer_query=queries.get("volontar", ""),
        chosen=chosen,
    )
    audit_read(user=request.user, purpose=A.Purpose.MATCHING, subjects=[*pool["newcomers"], *pool["volunteers"]])
    form = forms.PairForm(
        request.POST if request.method == "POST" else None,
        eligible_newcomers=pool["eligible_newcomers"],
        eligible_volunteers=pool["eligible_volunteers"],
        newcomers=pool["newcomers"],
        volunteers=pool["volunteers"],
    )
    if request.method == "POST" and form.is_valid():
        newcomer, volunteer = form.cleaned_data["newcomer"], form.cleaned_data["volunteer"]
        with refusals_at_fields(form) as outcome:
            if request.POST.get("lock"):
                runs.pair_lock(programme=programme, newcomer=newcomer, volunteer=volunteer, by=request.user)
            else:
                match = services.match_create_by_hand(
                    programme=programme, newcomer=newcomer, volunteer=volunteer, by=request.user
                )
        if outcome.ok:
            if request.POST.get("lock"):
                messages.success(request, _("Paret är låst till nästa matchning."))
                return redirect("proposal_queue", pk=pk)
            messages.success(
                request,
                _("%(newcomer)s och %(volunteer)s är matchade.") % {"newcomer": newcomer, "volunteer": volunteer},
            )
            return redirect("match_detail", pk=match.pk)
    status = 400 if request.method == "POST" else 200
    context = {"programme": programme, "form": form, "search": search, **pool}
    return render(request, "programmes/pair.html", context, status=status)


def _id_or_none(value: str | None) -> int | None:
    return int(value) if value and value.isdecimal() else None


@login_required
@require_POST
def lock_decide(request, pk: int, lock_pk: int):
    programme = selectors.programme_for_staff(user=request.user, pk=pk)
    lock = get_object_or_404(PairLock, programme=programme, pk=lock_pk)
    if request.POST.get("approve"):
        with refusals_as_messages(request) as outcome:
            match = services.lock_approve(lock=lock, by=request.user)
        if outcome.refused:
            return redirect("proposal_queue", pk=pk)
        return redirect("match_detail", pk=match.pk)
    runs.pair_unlock(lock=lock, by=request.user)
    messages.success(request, _("Låset är borttaget."))
    return redirect("proposal_queue", pk=pk)


@login_required
@require_GET
def match_list(request, pk: int):
    programme = selectors.programme_for_staff(user=request.user, pk=pk)
    state = request.GET.get("state") or ""
    if state not in Match.State.values:
        state = ""
    page = Paginator(selectors.matches_of_programme(programme=programme, state=state or None), 50).get_page(
        request.GET.get("sida")
    )
    shown = [person for m in page.object_list for person in (m.newcomer, m.volunteer)]
    audit_read(user=request.user, purpose=A.Purpose.FOLLOW_UP, subjects=shown)
    return render(
        request,
        "programmes/matches.html",
        {
            "programme": programme,
            "page": page,
            "matches": page.object_list,
            "state": state,
            "states": Match.State.choices,
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def programme_edit(request, slug: str, pk: int | None = None):
    """An organisation admin creates or changes one of the organisation's programmes."""
    organisation = get_object_or_404(account_permissions.organisations_administered(request.user), slug=slug)
    programme = (
        get_object_or_404(permissions.programmes_manageable(request.user), organisation=organisation, pk=pk)
        if pk
        else Programme(organisation=organisation)
    )
    form = forms.ProgrammeForm(request.POST if request.method == "POST" else None, instance=programme)
    if request.method == "POST" and form.is_valid():
        with refusals_at_fields(form) as outcome:
            services.programme_save(
                programme=form.instance, by=request.user, follow_up_days=form.cleaned_data["follow_up_days_text"]
            )
        if outcome.ok:
            messages.success(request, _("Programmet %(name)s är sparat.") % {"name": form.instance.name})
            return redirect("organisation_detail", slug=slug)
    status = 400 if request.method == "POST" else 200
    return render(
        request,
        "organisation/programme_form.html",
        {"form": form, "organisation": organisation, "programme": programme},
        status=status,
    )


PEOPLE_KINDS = {"nyanlanda": "newcomers", "volontarer": "volunteers"}


@login_required
@require_GET
def programme_people(request, pk: int, kind: str):
    """The programme's newcomers or volunteers: looked up, filtered, a page at a time."""
    programme = selectors.programme_for_staff(user=request.user, pk=pk)
    if kind not in PEOPLE_KINDS:
        raise Http404
    form = forms.PeopleFilterForm(request.GET, kind=PEOPLE_KINDS[kind])
    filters = form.filters()
    people = selectors.programme_people(
        programme=programme,
        kind=PEOPLE_KINDS[kind],
        query=filters.pop("q", ""),
        filters=filters,
        page=request.GET.get("sida"),
    )
    audit_read(user=request.user, purpose=A.Purpose.MATCHING, subjects=list(people.object_list))
    paging = request.GET.copy()
    paging.pop("sida", None)
    return render(
        request,
        "programmes/people.html",
        {
            "programme": programme,
            "kind": kind,
            "newcomers": kind == "nyanlanda",
            "form": form,
            "people": people,
            "paging": paging.urlencode(),
        },
    )


@login_required
@require_GET
def programme_newcomer(request, pk: int, newcomer_pk: int):
    """One newcomer as the programme's coordinator sees her: read only (her social worker keeps
    her facts), with what it takes to match her and to reach her social worker."""
    programme = selectors.programme_for_staff(user=request.user, pk=pk)
    seen = selectors.programme_newcomer(programme=programme, pk=newcomer_pk)
    newcomer = seen["newcomer"]
    audit_record(user=request.user, action=A.Action.VIEW, purpose=A.Purpose.MATCHING, subjects=[newcomer])
    return render(
        request,
        "programmes/newcomer.html",
        {
            "programme": programme,
            **seen,
            "facts": selectors.describe_newcomer(newcomer),
            "shared_with_volunteer": selectors.newcomer_seen_by(newcomer)["facts"],
        },
    )
