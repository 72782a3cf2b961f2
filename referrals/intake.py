"""The intake journey's state: kept in the session under one key, never in the URL.

Each page stores what was typed (the raw form data), so that every page can be shown
again as it was and the "check your answers" page can validate all of them together.
The journey carries a one-time token; the referral created from it records the token,
so a double submission of the last page finds that referral instead of creating another.

The likely-match lookup runs once each time the person page is answered (an audited
service, referrals/matching.py); its result is kept here as ids: the people the user may
be shown, and the others, which only a review of the new referral will see.
"""

import uuid
from dataclasses import dataclass

from django.urls import reverse

from referrals import forms as intake_forms
from referrals.matching import MatchLookup

SESSION_KEY = "referrals.intake"


@dataclass(frozen=True)
class Step:
    slug: str
    form_class: type
    title: str


STEPS = [
    Step("person", intake_forms.PersonForm, "About the person"),
    Step("match", intake_forms.MatchForm, "Has this person been referred before?"),
    Step("person-details", intake_forms.PersonDetailsForm, "The person's address and background"),
    Step("referrer", intake_forms.ReferrerForm, "Who made the referral"),
    Step("concern-types", intake_forms.ConcernTypesForm, "Types of concern"),
    Step("concerns", intake_forms.ConcernDetailsForm, "The concerns"),
    Step("received", intake_forms.ReceivedForm, "About the referral"),
]
STEP_BY_SLUG = {step.slug: step for step in STEPS}


def url_for(slug: str) -> str:
    return reverse(f"referrals:intake-{slug}")


class Journey:
    def __init__(self, session):
        self.session = session
        self.state = session.get(SESSION_KEY)

    @classmethod
    def start(cls, session) -> "Journey":
        session[SESSION_KEY] = {"token": str(uuid.uuid4()), "steps": {}}
        return cls(session)

    @property
    def exists(self) -> bool:
        return bool(self.state)

    @property
    def token(self) -> str:
        return self.state["token"]

    def end(self) -> None:
        self.session.pop(SESSION_KEY, None)

    def raw(self, slug: str) -> dict | None:
        return self.state["steps"].get(slug)

    def save(self, slug: str, form) -> None:
        data = {}
        for name, field in form.fields.items():
            value = form.data.getlist(name) if hasattr(form.data, "getlist") else None
            multiple = isinstance(field.widget, intake_forms.forms.CheckboxSelectMultiple)
            data[name] = value if multiple else (value[-1] if value else "")
        self.state["steps"][slug] = data
        if slug == "person":
            self.state["steps"].pop("match", None)  # new names: ask about matches again
            self.state.pop("matches", None)  # and look them up again (record_lookup)
        self.session.modified = True

    def forget(self, slug: str) -> None:
        self.state["steps"].pop(slug, None)
        self.session.modified = True

    def record_lookup(self, lookup: MatchLookup) -> None:
        self.state["matches"] = lookup.as_session()
        self.session.modified = True

    def lookup(self) -> MatchLookup | None:
        """The result of the lookup for the person as answered; None before it has run."""
        data = self.state.get("matches")
        return MatchLookup.from_session(data) if data is not None else None

    # -- forms ---------------------------------------------------------------------
    def form_kwargs(self, slug: str) -> dict:
        if slug == "match":
            lookup = self.lookup()
            return {"choices": [(pk, pk) for pk in (lookup.shown if lookup else [])]}
        if slug == "received":
            person = self.cleaned("person") or {}
            return {"date_of_birth": person.get("date_of_birth")}
        return {}

    def form(self, slug: str, data=None):
        step = STEP_BY_SLUG[slug]
        kwargs = self.form_kwargs(slug)
        if data is not None:
            return step.form_class(data, **kwargs)
        return step.form_class(initial=self.raw(slug) or {}, **kwargs)

    def cleaned(self, slug: str) -> dict | None:
        raw = self.raw(slug)
        if raw is None:
            return None
        form = STEP_BY_SLUG[slug].form_class(raw, **self.form_kwargs(slug))
        return form.cleaned_data if form.is_valid() else None

    # -- the route -----------------------------------------------------------------
    def not_shown(self) -> list[str]:
        """People found and not shown to the user: a new person is then reviewed."""
        lookup = self.lookup()
        return lookup.not_shown if lookup else []

    def existing_person_id(self) -> str | None:
        match = self.cleaned("match")
        if match and match["person"] != intake_forms.NEW_PERSON:
            return match["person"]
        return None

    def applicable(self) -> list[Step]:
        steps = []
        lookup = self.lookup()
        has_matches = lookup is not None and lookup.found
        existing = self.existing_person_id() if has_matches else None
        for step in STEPS:
            if step.slug == "match" and not has_matches:
                continue
            if step.slug == "person-details" and existing:
                continue
            steps.append(step)
        return steps

    def first_incomplete(self) -> Step | None:
        for step in self.applicable():
            if self.cleaned(step.slug) is None:
                return step
            if step.slug == "person" and self.lookup() is None:
                return step  # answered before the lookup was recorded: answer it again
        return None

    def next_url(self) -> str:
        step = self.first_incomplete()
        return url_for(step.slug) if step else reverse("referrals:intake-check")

    def back_url(self, slug: str) -> str:
        slugs = [step.slug for step in self.applicable()]
        if slug == "check":
            return url_for(slugs[-1])
        if slug in slugs and slugs.index(slug) > 0:
            return url_for(slugs[slugs.index(slug) - 1])
        return reverse("referrals:intake-start")
