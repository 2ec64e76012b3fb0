from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from mentorcraft.core.forms import form_add_service_errors
from mentorcraft.core.ids import parse_id
from mentorcraft.core.pagination import paginate
from mentorcraft.matching import selectors, services
from mentorcraft.matching.eligibility import programme_eligibility
from mentorcraft.matching.forms import ManualMatchForm, RunForm
from mentorcraft.matching.models import PairRule
from mentorcraft.matching.reasons import for_participants
from mentorcraft.mentorships.models import Mentorship
from mentorcraft.mentorships.services import mentorship_create
from mentorcraft.people.models import User
from mentorcraft.programmes.models import Role
from mentorcraft.programmes.selectors import programme_get_for_role


@login_required
def workspace(request: HttpRequest, pk: int) -> HttpResponse:
    """Eligibility, weights, and the runs so far, side by side."""
    programme = selectors.matching_programme_for_user(request.user, pk)
    settings = services.matching_settings_for(programme)
    form = RunForm(request.POST or None, weights=settings.effective_weights())
    if request.method == "POST" and form.is_valid():
        try:
            run = services.match_run_start(
                programme=programme,
                by=request.user,
                mode=form.cleaned_data["mode"],
                weights=form.weights(),
            )
        except ValidationError as exc:
            form_add_service_errors(form, exc)
        else:
            messages.success(request, "The match run has started.")
            return redirect("matching:run", pk=run.pk)
    eligibility = programme_eligibility(programme)
    return render(
        request,
        "matching/workspace.html",
        {
            "programme": programme,
            "form": form,
            "eligibility": eligibility,
            "blocked": paginate(request, eligibility.blocked(), param="blocked_page"),
            "runs": selectors.runs_for_programme(programme)[:8],
            "offer_counts": selectors.offer_counts(programme),
            "settings": settings,
        },
    )


@login_required
def run_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """A run's proposals a page at a time, weakest first, with their rules; its unmatched
    mentees; one form to swap a mentee's mentor (and lock the new pair)."""
    run = selectors.match_run_get_for_user(request.user, pk)
    context = {
        "run": run,
        "programme": run.programme,
        "offer_expiry_days": services.matching_settings_for(run.programme).offer_expiry_days,
    }
    if run.is_finished:
        rules = selectors.rules_for_programme(run.programme)
        locked_to = {mentee: mentor for (mentee, mentor), kind in rules.items() if kind == "lock"}
        page = paginate(request, selectors.proposals_for_run(run))
        for proposal in page:
            proposal.rule = rules.get((proposal.mentee_id, proposal.mentor_id))
            # A rule made after the run (a swap, a forbid) overrides this proposal: it is not
            # published as it stands; a re-run makes the pairs the rules now say.
            swapped = locked_to.get(proposal.mentee_id)
            proposal.overridden = proposal.rule == "forbid" or (
                swapped is not None and swapped != proposal.mentor_id
            )
            proposal.swapped_to = swapped if proposal.overridden else None
        unmatched = paginate(request, selectors.unmatched_for_run(run), param="unmatched_page")
        names = _names([*unmatched, *page])
        for entry in unmatched:
            entry.alternative_rows = [
                (names.get(a["mentor"], "?"), a["score"], a["reasons"]) for a in entry.alternatives
            ]
        for proposal in page:
            proposal.swapped_name = names.get(proposal.swapped_to, "")
        context.update(
            page=page,
            unmatched=unmatched,
            mentors=selectors.eligible_mentors(run.programme),
            swap_mentee=request.GET.get("swap", ""),
            publishable=sum(1 for proposal in page if not proposal.overridden),
        )
    template = "matching/_run_progress.html" if request.htmx else "matching/run_detail.html"
    if request.htmx and run.is_finished:
        # Finished while the page was polling: reload the whole page to show the proposals.
        response = HttpResponse(status=204)
        response["HX-Refresh"] = "true"
        return response
    return render(request, template, context)


def _names(rows: list) -> dict[int, str]:
    """The names of the mentors that unmatched mentees' alternatives and swaps point to."""
    ids = {a["mentor"] for u in rows for a in getattr(u, "alternatives", [])}
    ids |= {p.swapped_to for p in rows if getattr(p, "swapped_to", None)}
    return {u.pk: u.display_name for u in User.objects.filter(pk__in=ids).select_related("profile")}


@login_required
@require_POST
def pair_rule(request: HttpRequest, pk: int) -> HttpResponse:
    """Lock or forbid a proposed pair, or clear the rule; back to the run it came from."""
    run = selectors.match_run_get_for_user(request.user, pk)
    mentee = get_object_or_404(User, pk=parse_id(request.POST.get("mentee"), "person"))
    mentor = get_object_or_404(User, pk=parse_id(request.POST.get("mentor"), "person"))
    kind = request.POST.get("kind", "")
    try:
        if kind == "clear":
            rule = get_object_or_404(
                PairRule, programme=run.programme, mentee=mentee, mentor=mentor
            )
            services.pair_rule_clear(rule=rule, by=request.user)
            messages.success(request, "Rule removed.")
        else:
            services.pair_rule_set(
                programme=run.programme, by=request.user, mentee=mentee, mentor=mentor, kind=kind
            )
            verb = "locked: it will be kept" if kind == "lock" else "forbidden: it will not be made"
            messages.success(
                request, f"{mentee.display_name} with {mentor.display_name} is {verb} in new runs."
            )
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    return redirect("matching:run", pk=run.pk)


@login_required
@require_POST
def rerun(request: HttpRequest, pk: int) -> HttpResponse:
    """Run again with the same mode and weights, keeping every lock and forbid."""
    run = selectors.match_run_get_for_user(request.user, pk)
    new = services.match_run_start(
        programme=run.programme, by=request.user, mode=run.mode, weights=run.weights
    )
    messages.success(request, "A new run has started with your locks and forbidden pairs.")
    return redirect("matching:run", pk=new.pk)


@login_required
@require_POST
def publish(request: HttpRequest, pk: int) -> HttpResponse:
    """The chosen proposals become offers; both people are told, with the reasons."""
    run = selectors.match_run_get_for_user(request.user, pk)
    if request.POST.get("all") == "1":
        chosen = list(run.proposals.values_list("pk", flat=True))
    else:
        chosen = [parse_id(x, "proposal") for x in request.POST.getlist("proposal")]
    try:
        outcome = services.offers_publish(
            run=run,
            by=request.user,
            proposal_ids=chosen,
            show_reasons=request.POST.get("show_reasons") == "on",
        )
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
        return redirect("matching:run", pk=run.pk)
    sent = len(outcome.offers)
    messages.success(
        request, f"{sent} offer{'' if sent == 1 else 's'} sent; both people were emailed."
    )
    for skipped in outcome.skipped:
        messages.warning(request, f"Not sent: {skipped}.")
    return redirect("matching:workspace", pk=run.programme_id)


@login_required
def offers(request: HttpRequest) -> HttpResponse:
    """A participant's offers: answer the open ones, see the others."""
    page = paginate(request, selectors.offers_for_person(request.user), per_page=20)
    # Once both accepted, the offer leads to the mentorship it started (one query a page).
    accepted = [o for o in page if o.status == o.Status.ACCEPTED]
    started = {
        (m.programme_id, m.mentor_id, m.mentee_id): m
        for m in Mentorship.objects.filter(
            mentee_id__in={o.mentee_id for o in accepted},
            mentor_id__in={o.mentor_id for o in accepted},
        ).order_by("pk")
    }
    for offer in page:
        offer.other = offer.mentor if offer.mentee_id == request.user.pk else offer.mentee
        offer.mentorship = started.get((offer.programme_id, offer.mentor_id, offer.mentee_id))
    return render(request, "matching/offers.html", {"offers": page, "page": page})


@login_required
@require_POST
def offer_respond(request: HttpRequest, pk: int) -> HttpResponse:
    offer = selectors.offer_get_for_user(request.user, pk)
    accept = request.POST.get("answer") == "accept"
    try:
        offer = services.offer_respond(
            offer=offer, by=request.user, accept=accept, reason=request.POST.get("reason", "")
        )
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        if offer.status == offer.Status.ACCEPTED:
            messages.success(request, "You both accepted: your mentorship has started.")
        elif accept:
            messages.success(request, "Thank you. We are waiting for the other person's answer.")
        else:
            messages.success(request, "You declined. The coordinator has been told.")
    return redirect("matching:offers")


@login_required
@require_POST
def availability(request: HttpRequest, pk: int) -> HttpResponse:
    """A mentor marks themselves unavailable (or available again) for matching."""
    programme = programme_get_for_role(
        request.user, pk, {Role.MENTOR}, "Only the programme's mentors set their availability."
    )
    unavailable = request.POST.get("unavailable") == "1"
    try:
        services.mentor_set_availability(
            programme=programme,
            mentor=request.user,
            unavailable=unavailable,
            note=request.POST.get("note", ""),
        )
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(
            request,
            "You are out of matching until you say otherwise."
            if unavailable
            else "You are available for matching again.",
        )
    return redirect(programme)


MY_REQUESTS_SHOWN = 10


@login_required
def find_mentor(request: HttpRequest, pk: int) -> HttpResponse:
    """Self-match: a mentee reads recommended mentors, with reasons, and asks one."""
    programme = programme_get_for_role(
        request.user, pk, {Role.MENTEE}, "Only the programme's mentees look for a mentor here."
    )
    settings = services.matching_settings_for(programme)
    error_for, typed = None, ""
    if request.method == "POST":
        if not settings.self_match:
            raise PermissionDenied("This programme does not use self-match.")
        mentor = get_object_or_404(User, pk=parse_id(request.POST.get("mentor"), "person"))
        typed = request.POST.get("note", "")
        try:
            services.match_request_create(
                programme=programme, mentee=request.user, mentor=mentor, note=typed
            )
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
            error_for = mentor.pk
        else:
            messages.success(request, f"Your request has gone to {mentor.display_name}.")
            return redirect("matching:find_mentor", pk=programme.pk)
    recommended = (
        services.recommendations_for(programme, request.user) if settings.self_match else []
    )
    for pair in recommended:  # a mentee reads what speaks for a mentor, not the concerns
        pair.strengths = for_participants(pair.reasons)
    names = {
        u.pk: u
        for u in User.objects.filter(pk__in=[int(p.mentor) for p in recommended]).select_related(
            "profile"
        )
    }
    return render(
        request,
        "matching/find_mentor.html",
        {
            "programme": programme,
            "settings": settings,
            "recommended": [(names[int(p.mentor)], p) for p in recommended],
            # The open ones and the latest answers; the requests page has them all.
            "my_requests": selectors.requests_for_person(request.user).filter(
                programme=programme, mentee=request.user
            )[:MY_REQUESTS_SHOWN],
            "error_for": error_for,
            "typed": typed,
        },
        status=400 if error_for else 200,
    )


@login_required
def requests_page(request: HttpRequest) -> HttpResponse:
    page = paginate(request, selectors.requests_for_person(request.user), per_page=20)
    return render(request, "matching/requests.html", {"requests": page, "page": page})


@login_required
@require_POST
def request_respond(request: HttpRequest, pk: int) -> HttpResponse:
    match_request = selectors.match_request_get_for_user(request.user, pk)
    action = request.POST.get("answer")
    try:
        if action == "withdraw":
            services.match_request_withdraw(request=match_request, by=request.user)
            messages.success(request, "Request withdrawn.")
        else:
            services.match_request_respond(
                request=match_request,
                by=request.user,
                accept=action == "accept",
                reason=request.POST.get("reason", ""),
            )
            messages.success(
                request,
                "You accepted: the mentorship has started."
                if action == "accept"
                else "You declined; the mentee has been told.",
            )
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    return redirect("matching:requests")


@login_required
@require_POST
def settings_update(request: HttpRequest, pk: int) -> HttpResponse:
    programme = selectors.matching_programme_for_user(request.user, pk)
    try:
        services.matching_settings_update(
            programme=programme,
            by=request.user,
            self_match=request.POST.get("self_match") == "on",
            max_open_requests=int(request.POST.get("max_open_requests", 2)),
            offer_expiry_days=int(request.POST.get("offer_expiry_days", 7)),
        )
    except (ValidationError, ValueError) as exc:
        text = " ".join(exc.messages) if isinstance(exc, ValidationError) else "Give whole numbers."
        messages.error(request, f"Settings not saved: {text}")
    else:
        messages.success(request, "Matching settings saved.")
    return redirect("matching:workspace", pk=programme.pk)


@login_required
def manual_pair(request: HttpRequest, pk: int) -> HttpResponse:
    """Make a pair by hand, with the matching rules (refused) and soft warnings (confirmed)."""
    programme = selectors.matching_programme_for_user(request.user, pk)
    form = ManualMatchForm(
        request.POST or None,
        mentors=selectors.accepted_people(programme, Role.MENTOR),
        mentees=selectors.mentees_without_a_mentor(programme),
    )
    check = None
    if request.method == "POST" and form.is_valid():
        mentor, mentee = form.cleaned_data["mentor"], form.cleaned_data["mentee"]
        problem, reasons, warnings = services.pair_check(programme, mentee, mentor)
        limit, more_warnings = services.manual_pair_limits(programme, mentee, mentor)
        warnings = [*warnings, *more_warnings]
        check = {"problem": problem or limit, "reasons": reasons, "warnings": warnings}
        # Hard rules first: nobody confirms warnings only to be refused on the second submit.
        if limit:
            form.add_error("mentor", f"This pair cannot be made: {limit}.")
        elif problem:
            form.add_error(None, f"This pair breaks a matching rule: {problem}.")
        elif warnings and not form.cleaned_data["confirm"]:
            form.add_error("confirm", "Tick this to make the pair despite the warnings.")
        else:
            try:
                mentorship_create(
                    programme=programme,
                    mentor=mentor,
                    mentee=mentee,
                    by=request.user,
                    note=form.cleaned_data["note"],
                )
            except ValidationError as exc:
                form_add_service_errors(form, exc)
            else:
                messages.success(
                    request, f"{mentor.display_name} is now mentoring {mentee.display_name}."
                )
                return redirect("mentorships:programme", pk=programme.pk)
    return render(
        request,
        "matching/manual_pair.html",
        {"programme": programme, "form": form, "check": check},
        status=400 if request.method == "POST" else 200,
    )
