"""Confirming a possible match that intake could not show (referrals/matching.py).

For a case manager with the identity grant who may see every case
(`selectors.may_confirm_matches`); 403 for anyone else. Every page carries
Cache-Control: no-store (names and dates of birth).
"""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse

from prevent_portal.accounts.roles import Perm
from referrals.case_pages import uuid_or_404
from referrals.forms import MatchReviewForm
from referrals.matching import (
    MatchReviewClosedError,
    MatchReviewError,
    match_review_record_view,
    match_review_resolve,
)
from referrals.selectors import (
    match_review_for,
    match_reviews_to_confirm,
    may_confirm_matches,
    people_with_their_cases,
)
from referrals.views import case_view

REVIEWS = ("Possible matches", "referrals:match-review-list")


def _confirmers_only(request) -> None:
    if not may_confirm_matches(request.user):
        raise PermissionDenied("Confirming a possible match needs the identity grant")


@case_view(Perm.CASES_MANAGE)
def match_review_list(request):
    """The possible matches still to confirm, oldest first, 25 to a page."""
    _confirmers_only(request)
    page = Paginator(match_reviews_to_confirm(request.user), 25).get_page(request.GET.get("page"))
    return render(
        request,
        "referrals/match_review_list.html",
        {
            "page": page,
            "query": "",
            "crumbs": [("Cases", reverse("referrals:index")), (REVIEWS[0], "")],
        },
    )


@case_view(Perm.CASES_MANAGE)
def match_review(request, pk):
    """GET: both records side by side; POST: the choice, then a confirmation page, then
    (POST with `confirm`) the answer is recorded. Every showing is audited."""
    _confirmers_only(request)
    review = match_review_for(request.user, uuid_or_404(pk))
    if review is None:
        raise Http404("No such possible match")
    candidates = people_with_their_cases(request.user, review.candidate_ids)
    form = MatchReviewForm(request.POST or None, candidates=candidates)
    template = "referrals/match_review.html"
    if request.method == "POST" and not review.is_open:
        form.is_valid()
        form.add_error(None, str(MatchReviewClosedError()))
    elif request.method == "POST" and form.is_valid():
        if form.cleaned_data["confirm"]:
            try:
                match_review_resolve(
                    actor=request.user, review=review, same_as=form.chosen_person()
                )
            except MatchReviewError as problem:
                form.add_error(None, str(problem))
            else:
                messages.success(
                    request, f"Possible match of {review.referral.reference} confirmed"
                )
                return redirect("referrals:referral-detail", pk=review.referral_id)
        else:
            template = "referrals/match_review_confirm.html"
    match_review_record_view(actor=request.user, review=review, candidates=candidates)
    return render(
        request,
        template,
        {
            "review": review,
            "person": review.referral.person,
            "candidates": candidates,
            "form": form,
            "chosen": form.chosen_person() if form.is_bound and form.is_valid() else None,
            "crumbs": [
                ("Cases", reverse("referrals:index")),
                (REVIEWS[0], reverse(REVIEWS[1])),
                (review.referral.reference, ""),
            ],
        },
    )
