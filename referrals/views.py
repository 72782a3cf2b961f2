"""Referral pages. Every response carries Cache-Control: no-store (personal data)."""

from functools import wraps
from uuid import UUID

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from prevent_portal.accounts.permissions import permission_required
from prevent_portal.accounts.roles import Perm, has_perm
from referrals import intake as journeys
from referrals.case_pages import case_context, disposal_of, load_case, uuid_or_404
from referrals.choices import PersonAware
from referrals.filters import ReferralFilter
from referrals.forms import SearchForm, TransitionForm, step_fields_html
from referrals.matching import person_match_lookup
from referrals.models import Person, Referral
from referrals.selectors import (
    access_log,
    earlier_referrals,
    list_rows,
    match_review_of,
    may_confirm_matches,
    people_with_their_cases,
    referral_for_case_page,
    referral_timeline,
    referrals_for_list_page,
    referrals_search,
    referrals_visible_to,
)
from referrals.services import (
    ConcernData,
    PersonData,
    ReferralError,
    ReferrerData,
    StaleVersionError,
    referral_create,
    referral_record_view,
    referral_transition,
)
from referrals.transitions import is_final

SEARCH_KEY = "referrals.search"
CASES = ("Cases", "referrals:index")


def case_view(perm):
    """The permission check, and Cache-Control: no-store on the response."""

    def decorator(view):
        @wraps(view)
        @never_cache
        @permission_required(perm)
        def wrapped(request, *args, **kwargs):
            return view(request, *args, **kwargs)

        return wrapped

    return decorator


def _crumbs(*pairs):
    return [(label, reverse(name) if name else "") for label, name in pairs]


@case_view(Perm.CASES_VIEW)
def index(request):
    """The case list. Searches arrive by POST and are kept in the session, so that a
    name typed into the search never appears in a URL or a server log."""
    if request.method == "POST":
        search = SearchForm(request.POST)
        text = search.cleaned_data["q"].strip() if search.is_valid() else ""
        if "clear" in request.POST or not text:
            request.session.pop(SEARCH_KEY, None)
        else:
            request.session[SEARCH_KEY] = text
        return redirect("referrals:index")
    show_identities = request.user.can_see_identities
    referral_filter = ReferralFilter(
        request.GET or None, queryset=referrals_for_list_page(request.user)
    )
    if request.GET and not referral_filter.is_valid():
        referrals = Referral.objects.none()
    else:
        referrals = referral_filter.qs
    searched = request.session.get(SEARCH_KEY, "")
    referrals = referrals_search(referrals, searched, by_name=show_identities)
    page = Paginator(referrals, 25).get_page(request.GET.get("page"))
    page.object_list = list_rows(page.object_list)
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "referrals/referral_list.html",
        {
            "filter": referral_filter,
            "page": page,
            "query": query.urlencode(),
            "search_form": SearchForm(initial={"q": searched}),
            "searched": searched,
            "show_identities": show_identities,
            "can_manage": has_perm(request.user, Perm.CASES_MANAGE),
            "can_supervise": has_perm(request.user, Perm.CASES_SUPERVISE),
        },
    )


@case_view(Perm.CASES_VIEW)
def referral_detail(request, pk):
    """The case page. A POST records the next step of the journey (case managers only);
    a GET never changes the case."""
    referral = referral_for_case_page(request.user, uuid_or_404(pk))
    if referral is None:
        raise Http404("No such case")
    can_manage = has_perm(request.user, Perm.CASES_MANAGE)
    form = None
    disposal = disposal_of(referral)
    disposed = disposal is not None
    if request.method == "POST":
        if not can_manage or disposed:
            raise PermissionDenied
        form = TransitionForm(request.POST, referral=referral)
        if _record_step(request, referral, form):
            return redirect("referrals:referral-detail", pk=referral.pk)
    elif can_manage and not disposed and not is_final(referral.status):
        form = TransitionForm(referral=referral, initial={"occurred_on": None})
    referral_record_view(actor=request.user, referral=referral)
    supervises = has_perm(request.user, Perm.CASES_SUPERVISE)
    return render(
        request,
        "referrals/referral_detail.html",
        case_context(
            request,
            referral,
            "case",
            person=referral.person,
            earlier=earlier_referrals(request.user, referral),
            timeline=referral_timeline(referral),
            step_form=form,
            step_fields=step_fields_html(form) if form is not None else "",
            is_final=is_final(referral.status),
            disposal=disposal,
            edit_urls=_edit_urls(request.user, referral, can_manage, supervises),
            # A possible earlier record waits to be confirmed: said to all, linked for those
            # who may confirm it (referrals/matching.py).
            match_review=match_review_of(referral),
            can_confirm_match=may_confirm_matches(request.user),
        ),
    )


ACCESS_LOG_PAGE_SIZE = 50


@case_view(Perm.CASES_SUPERVISE)
@require_GET
def case_access_log(request, pk):
    """The Access log section of a case (supervisors): who opened or changed it, newest
    first, 50 to a page. Opening it is itself recorded, like any section."""
    referral = load_case(request, pk, section="Access log")
    page = Paginator(access_log(referral), ACCESS_LOG_PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "referrals/access_log.html",
        case_context(request, referral, "access-log", page=page),
    )


def _edit_urls(user, referral, can_manage: bool, supervises: bool) -> dict:
    """The "Change" links of the case page, each only for users who may use it."""

    def url(name, allowed):
        return reverse(f"referrals:{name}", kwargs={"pk": referral.pk}) if allowed else ""

    urls = {
        "referral": url("referral-edit", can_manage),
        "person": url("person-edit", can_manage and user.can_see_identities),
        "case_manager": url("case-manager-edit", supervises),
    }
    return urls | {"any": any(urls.values())}


def _conflict(form, referral, problem) -> None:
    # Keep what was typed, but against the version now shown: a second try can work.
    form.data = form.data.copy()
    form.data["version"] = str(referral.version)
    form.add_error(None, str(problem))


def _record_step(request, referral, form) -> bool:
    """Record the step from a valid form; False (errors on the form) otherwise."""
    if form.data.get("version") != str(referral.version):
        # Someone else changed the case: say so, rather than that the chosen step (offered
        # from the old status) is no longer allowed.
        form.is_valid()
        form.errors.clear()
        _conflict(form, referral, StaleVersionError())
        return False
    if not form.is_valid():
        return False
    data = form.cleaned_data
    try:
        referral_transition(
            actor=request.user,
            referral=referral,
            to_status=data["to_status"],
            reason=data["reason"],
            occurred_on=data["occurred_on"],
            expected_version=data["version"],
            signposted_to=data["signposted_to"],
        )
    except StaleVersionError as problem:
        _conflict(form, referral, problem)
        return False
    except ReferralError as problem:
        form.add_error(None, str(problem))
        return False
    messages.success(request, f"Recorded: {referral.get_status_display()}")
    return True


# -- Intake -------------------------------------------------------------------------


@case_view(Perm.CASES_MANAGE)
def intake_start(request):
    if request.method == "POST":
        journey = journeys.Journey.start(request.session)
        return redirect(journey.next_url())
    return render(
        request, "referrals/intake_start.html", {"crumbs": _crumbs(CASES, ("New referral", None))}
    )


def _no_journey(request):
    # 200, not a redirect: an expired or never-started journey says so and offers a start.
    return render(request, "referrals/intake_missing.html")


def _intake_step(request, slug):
    journey = journeys.Journey(request.session)
    if not journey.exists:
        return _no_journey(request)
    step = journeys.STEP_BY_SLUG[slug]
    form = journey.form(slug, request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        journey.save(slug, form)
        if slug == "person":
            person = form.cleaned_data
            journey.record_lookup(
                person_match_lookup(
                    actor=request.user,
                    given_names=person["given_names"],
                    family_name=person["family_name"],
                    date_of_birth=person["date_of_birth"],
                )
            )
        return redirect(journey.next_url())
    context = {"form": form, "step": step, "back_url": journey.back_url(slug)}
    if slug == "match":
        lookup = journey.lookup()
        # Only people the user may be shown, with only the cases they may open; of the
        # others, only that they exist (referrals/matching.py).
        context["matches"] = people_with_their_cases(request.user, lookup.shown if lookup else [])
        context["not_shown"] = bool(lookup and lookup.not_shown)
        template = "referrals/intake_match.html"
    else:
        template = "referrals/intake_step.html"
    return render(request, template, context)


def _step_view(slug):
    @case_view(Perm.CASES_MANAGE)
    def view(request):
        return _intake_step(request, slug)

    view.__name__ = f"intake_{slug.replace('-', '_')}"
    return view


intake_person = _step_view("person")
intake_match = _step_view("match")
intake_person_details = _step_view("person-details")
intake_referrer = _step_view("referrer")
intake_concern_types = _step_view("concern-types")
intake_concerns = _step_view("concerns")
intake_received = _step_view("received")


def _answers(journey):
    """Every page's cleaned answers; None (and the page to go back to) if one is missing."""
    answers = {}
    for step in journey.applicable():
        cleaned = journey.cleaned(step.slug)
        if cleaned is None or (step.slug == "person" and journey.lookup() is None):
            return None, step
        answers[step.slug] = cleaned
    return answers, None


def _existing_person(request, journey) -> Person | None:
    """The person on record the user chose at the match page: one they may be shown."""
    chosen = journey.existing_person_id()
    if chosen is None:
        return None
    person = next(iter(people_with_their_cases(request.user, [chosen])), None)
    if person is None:
        raise ReferralError("The person chosen is no longer one you may see: start again")
    return person


def _create_from(request, journey, answers):
    person_answers = answers["person"]
    existing = _existing_person(request, journey)
    details = answers.get("person-details", {})
    referrer = answers["referrer"]
    types = answers["concern-types"]
    concern_text = answers["concerns"]
    received = answers["received"]
    return referral_create(
        actor=request.user,
        person=existing,
        person_data=None
        if existing
        else PersonData(
            given_names=person_answers["given_names"].strip(),
            family_name=person_answers["family_name"].strip(),
            date_of_birth=person_answers["date_of_birth"],
            approximate_age=person_answers["approximate_age"],
            sex=person_answers["sex"],
            **details,
        ),
        referrer=ReferrerData(**referrer),
        concern=ConcernData(types=list(types["types"]), primary=types["primary"], **concern_text),
        date_received=received["date_received"],
        person_aware=received["person_aware"],
        police_reference=received["police_reference"],
        intake_token=UUID(journey.token),
        # Found and not shown: a review asks someone who may see them to confirm.
        match_candidates=[] if existing else journey.not_shown(),
    )


def _date(value):
    return f"{value:%-d %B %Y}" if value else ""


def _check_sections(answers, existing, *, show_identities, not_shown=False):
    """(heading, [(question, answer, page slug)]) for the check-your-answers page."""
    person = answers["person"]
    if person["date_of_birth"]:
        age = ("Date of birth", _date(person["date_of_birth"]), "person")
    else:
        age = ("Approximate age", str(person["approximate_age"] or "Not known"), "person")
    rows = [
        ("Name", f"{person['given_names']} {person['family_name']}", "person"),
        age,
        ("Sex", person["sex"].name, "person"),
    ]
    if existing is not None:
        who = existing.full_name if show_identities else f"{existing.initials} (name hidden)"
        rows.append(("Earlier record", f"The same person as {who}, already on record", "match"))
    else:
        details = answers["person-details"]
        if "match" in answers and not_shown:
            rows.append(
                (
                    "Earlier record",
                    "A new person, marked for a supervisor or a user with the identity grant "
                    "to check against a possible match",
                    "match",
                )
            )
        elif "match" in answers:
            rows.append(("Earlier record", "A new person", "match"))
        rows += [
            ("Address", details["address"], "person-details"),
            ("District", details["district"].name if details["district"] else "", "person-details"),
            ("Nationality", details["nationality"], "person-details"),
            ("First language", details["first_language"], "person-details"),
            ("Education or employment setting", details["setting"], "person-details"),
        ]
    referrer = answers["referrer"]
    types = answers["concern-types"]
    concerns = answers["concerns"]
    received = answers["received"]
    return [
        ("The person", rows),
        (
            "The referrer",
            [
                ("Name", referrer["name"], "referrer"),
                ("Role", referrer["role"], "referrer"),
                ("Organisation", referrer["organisation"], "referrer"),
                ("Sector of referral", referrer["sector"].name, "referrer"),
                ("Contact details", referrer["contact"], "referrer"),
            ],
        ),
        (
            "The concerns",
            [
                ("Types of concern", "\n".join(t.name for t in types["types"]), "concern-types"),
                ("Main type of concern", types["primary"].name, "concern-types"),
                ("Describe the concerns", concerns["concerns"], "concerns"),
                ("Complex needs", concerns["complex_needs"], "concerns"),
                ("Other information", concerns["other_information"], "concerns"),
            ],
        ),
        (
            "The referral",
            [
                ("Date received", _date(received["date_received"]), "received"),
                (
                    "Does the person know of the referral?",
                    dict(PersonAware.choices)[received["person_aware"]],
                    "received",
                ),
                ("Police or national reference", received["police_reference"], "received"),
            ],
        ),
    ]


@case_view(Perm.CASES_MANAGE)
def intake_check(request):
    if request.method == "POST":
        # A second submission of a journey already completed: show what the first made.
        token = request.POST.get("token", "")
        try:
            done = referrals_visible_to(request.user).filter(intake_token=UUID(token)).first()
        except ValueError:
            done = None
        if done is not None:
            return redirect("referrals:referral-detail", pk=done.pk)
    journey = journeys.Journey(request.session)
    if not journey.exists:
        return _no_journey(request)
    answers, missing = _answers(journey)
    if answers is None:
        return redirect(journeys.url_for(missing.slug))
    error = None
    if request.method == "POST" and request.POST.get("token") == journey.token:
        try:
            referral = _create_from(request, journey, answers)
        except ReferralError as problem:
            error = str(problem)
        else:
            journey.end()
            messages.success(request, f"Referral {referral.reference} recorded")
            return redirect("referrals:referral-detail", pk=referral.pk)
    try:
        existing = _existing_person(request, journey)
    except ReferralError:
        journey.forget("match")  # no longer one they may see: ask again
        return redirect(journeys.url_for("match"))
    return render(
        request,
        "referrals/intake_check.html",
        {
            "sections": _check_sections(
                answers,
                existing,
                show_identities=request.user.can_see_identities,
                not_shown=bool(journey.not_shown()),
            ),
            "token": journey.token,
            "error": error,
            "show_identities": request.user.can_see_identities,
            "back_url": journey.back_url("check"),
        },
    )
