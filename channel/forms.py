"""Forms of the Channel panel pages; they validate and clean, services save."""

import uuid

from crispy_forms_gds.helper import FormHelper
from crispy_forms_gds.layout import Size, Submit
from django import forms
from django.utils import timezone

from channel.choices import DECISIONS_FOR_STATUS, ONWARD_ROUTES, Attendance, Decision, MeetingStatus
from governance.forms import date_widget
from governance.models import Partner
from prevent_portal.accounts.models import User
from prevent_portal.accounts.roles import ROLE_PERMISSIONS, Perm


def _date_messages(label: str) -> dict:
    return {
        "required": f"Enter the {label}",
        "invalid": f"Enter the {label} as a real date, for example 31 3 2026",
    }


class PanelForm(forms.Form):
    submit_label = "Save"

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.use_required_attribute = False
        self.helper = FormHelper()
        self.helper.label_size = Size.SMALL
        self.helper.add_input(Submit("submit", self.submit_label))


def _user_label(user) -> str:
    return user.get_full_name() or user.username


def chair_choices():
    """Active users whose roles let them see cases (the panel chair must)."""
    roles = [role for role, perms in ROLE_PERMISSIONS.items() if Perm.CASES_VIEW in perms]
    return User.objects.filter(is_active=True, roles__role__in=roles).distinct()


class MeetingForm(PanelForm):
    submit_label = "Save the meeting"
    meeting_date = forms.DateField(
        label="Date of the meeting",
        widget=date_widget(),
        error_messages=_date_messages("date of the meeting"),
    )
    starts_at = forms.TimeField(
        label="Start time",
        required=False,
        widget=forms.TimeInput(
            attrs={"type": "time", "class": "govuk-input govuk-input--width-5"}, format="%H:%M"
        ),
        error_messages={"invalid": "Enter the start time as a time, for example 10:00"},
    )
    location = forms.CharField(
        label="Location", required=False, max_length=200, help_text="A room, or online"
    )
    chair = forms.ModelChoiceField(
        label="Chair",
        queryset=User.objects.none(),
        required=False,
        empty_label="Not decided yet",
    )
    token = forms.UUIDField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["chair"].queryset = chair_choices()
        self.fields["chair"].label_from_instance = _user_label
        if not self.is_bound:
            self.fields["token"].initial = uuid.uuid4()


class MeetingEditForm(MeetingForm):
    status = forms.ChoiceField(
        label="Status",
        choices=MeetingStatus.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Select the status of the meeting"},
    )
    version = forms.IntegerField(widget=forms.HiddenInput)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        del self.fields["token"]


class MinutesForm(PanelForm):
    submit_label = "Save the minutes"
    minutes = forms.CharField(
        label="Minutes",
        widget=forms.Textarea(attrs={"rows": 14}),
        max_length=50000,
        error_messages={"required": "Enter the minutes"},
        help_text="Refer to cases by their reference, not by name",
    )
    version = forms.IntegerField(widget=forms.HiddenInput)


class AttendeeForm(PanelForm):
    submit_label = "Add the attendee"
    name = forms.CharField(
        label="Representative's name",
        max_length=200,
        error_messages={"required": "Enter the representative's name"},
    )
    role = forms.CharField(label="Role", required=False, max_length=200)
    partner = forms.ModelChoiceField(
        label="Partner organisation",
        queryset=Partner.objects.filter(is_active=True),
        required=False,
        empty_label="None of these",
    )
    attendance = forms.ChoiceField(
        label="Attendance",
        choices=Attendance.choices,
        widget=forms.RadioSelect,
        initial=Attendance.PRESENT,
        error_messages={"required": "Select whether they were present or sent apologies"},
    )
    token = forms.UUIDField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if not self.is_bound:
            self.fields["token"].initial = uuid.uuid4()


class AgendaAddForm(PanelForm):
    submit_label = "Add to the agenda"
    referral = forms.ChoiceField(
        label="Case",
        error_messages={
            "required": "Select the case to add",
            "invalid_choice": "Select one of the cases listed",
        },
    )

    def __init__(self, *args, cases, show_identities: bool, **kwargs):
        super().__init__(*args, **kwargs)

        def label(case):
            who = case.person.full_name if show_identities else case.person.initials
            return f"{case.reference} – {who} – {case.get_status_display()}"

        self.cases = {str(case.pk): case for case in cases}
        self.fields["referral"].choices = [
            ("", "Select a case"),
            *((pk, label(case)) for pk, case in self.cases.items()),
        ]

    def clean_referral(self):
        return self.cases[self.cleaned_data["referral"]]


class DecisionForm(PanelForm):
    submit_label = "Record the decision"
    decision = forms.ChoiceField(
        label="The panel's decision",
        widget=forms.RadioSelect,
        error_messages={
            "required": "Select the panel's decision",
            "invalid_choice": "Select one of the decisions open for this case",
        },
    )
    onward_route = forms.ChoiceField(
        label="Onward route, if not adopted",
        choices=ONWARD_ROUTES,
        widget=forms.RadioSelect,
        required=False,
    )
    signposted_to = forms.CharField(
        label="Service signposted to",
        required=False,
        max_length=200,
        help_text="Only if the person was signposted to another service",
    )
    reason = forms.CharField(
        label="Reason for the decision",
        widget=forms.Textarea(attrs={"rows": 4}),
        max_length=4000,
        error_messages={"required": "Enter the reason for the decision"},
    )
    case_version = forms.IntegerField(widget=forms.HiddenInput)

    def __init__(self, *args, referral, **kwargs):
        super().__init__(*args, **kwargs)
        open_decisions = DECISIONS_FOR_STATUS.get(referral.status, ())
        self.fields["decision"].choices = [
            (value, Decision(value).label) for value in open_decisions
        ]
        self.fields["case_version"].initial = referral.version
        if Decision.NOT_ADOPT not in open_decisions:  # an adopted case under review
            del self.fields["onward_route"]
            del self.fields["signposted_to"]

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("decision") == Decision.NOT_ADOPT:
            route = cleaned.get("onward_route")
            if not route:
                self.add_error("onward_route", "Select the onward route for a case not adopted")
            elif route == "signposted" and not cleaned.get("signposted_to", "").strip():
                self.add_error("signposted_to", "Enter the service the person was signposted to")
        return cleaned


class ActionForm(PanelForm):
    submit_label = "Save the action"
    description = forms.CharField(
        label="Action",
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=4000,
        error_messages={"required": "Enter the action"},
    )
    owner = forms.CharField(
        label="Owner", max_length=200, error_messages={"required": "Enter who owns the action"}
    )
    due_on = forms.DateField(
        label="Due date", widget=date_widget(), error_messages=_date_messages("due date")
    )
    agenda_item = forms.ChoiceField(label="Case on the agenda", required=False)
    token = forms.UUIDField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, meeting, lines, **kwargs):
        super().__init__(*args, **kwargs)
        self.meeting = meeting
        self.items = {str(line.item.pk): line.item for line in lines}
        self.fields["agenda_item"].choices = [
            ("", "Not about one case"),
            *((str(line.item.pk), line.reference) for line in lines),
        ]
        if not self.is_bound:
            self.fields["token"].initial = uuid.uuid4()

    def clean_agenda_item(self):
        value = self.cleaned_data["agenda_item"]
        return self.items.get(value) if value else None

    def clean_due_on(self):
        due = self.cleaned_data["due_on"]
        if due < self.meeting.meeting_date:
            raise forms.ValidationError("The due date must be on or after the date of the meeting")
        return due


class ActionEditForm(ActionForm):
    done_on = forms.DateField(
        label="Date done",
        required=False,
        widget=date_widget(),
        help_text="Leave empty while the action is open",
        error_messages=_date_messages("date done"),
    )
    version = forms.IntegerField(widget=forms.HiddenInput)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        del self.fields["token"]
        del self.fields["agenda_item"]

    def clean_done_on(self):
        done = self.cleaned_data["done_on"]
        if done and done > timezone.localdate():
            raise forms.ValidationError("The date done must be today or in the past")
        return done


class AgendaOrderForm(forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput)
