from crispy_forms_gds.choices import Choice
from crispy_forms_gds.helper import FormHelper
from crispy_forms_gds.layout import Size, Submit
from django import forms
from django.contrib.auth import forms as auth_forms

from prevent_portal.accounts.models import User
from prevent_portal.accounts.roles import ROLE_DESCRIPTIONS, Role


class SignInForm(auth_forms.AuthenticationForm):
    """Sign-in with GOV.UK wording. The same message whether or not the account exists."""

    error_messages = {
        "invalid_login": "Enter a correct username and password",
        "inactive": "Enter a correct username and password",
    }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["username"].error_messages["required"] = "Enter your username"
        self.fields["password"].error_messages["required"] = "Enter your password"
        self.fields["username"].widget.attrs.update(
            {"class": "govuk-input govuk-!-width-one-half", "spellcheck": "false"}
        )
        self.fields["password"].widget = forms.PasswordInput(
            attrs={
                "class": "govuk-input govuk-!-width-one-half",
                "autocomplete": "current-password",
            }
        )


class _Govuk:
    """crispy-forms-gds rendering, GOV.UK required messages, no browser validation."""

    submit_label = "Continue"
    use_required_attribute = False
    required_messages: dict[str, str] = {}

    def _govuk(self):
        self.helper = FormHelper()
        self.helper.label_size = Size.SMALL
        self.helper.add_input(Submit("submit", self.submit_label))
        for name, message in self.required_messages.items():
            self.fields[name].error_messages["required"] = message


class PasswordResetForm(_Govuk, auth_forms.PasswordResetForm):
    submit_label = "Send the link"
    required_messages = {"email": "Enter your email address"}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["email"].label = "Email address"
        self.fields["email"].error_messages["invalid"] = (
            "Enter an email address in the correct format, like name@example.org"
        )
        self._govuk()


class SetPasswordForm(_Govuk, auth_forms.SetPasswordForm):
    """A new password, twice. Paste is allowed; no composition rules (docs/security.md §8)."""

    submit_label = "Save the new password"
    required_messages = {
        "new_password1": "Enter a new password",
        "new_password2": "Enter the new password again",
    }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["new_password1"].label = "New password"
        self.fields[
            "new_password1"
        ].help_text = "At least 12 characters. A few unrelated words make a strong password."
        self.fields["new_password2"].label = "Confirm the new password"
        self.fields["new_password2"].help_text = ""
        self.error_messages["password_mismatch"] = "The two passwords do not match"  # noqa: S105
        self._govuk()


class PasswordChangeForm(SetPasswordForm, auth_forms.PasswordChangeForm):
    required_messages = {
        **SetPasswordForm.required_messages,
        "old_password": "Enter your current password",
    }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["old_password"].label = "Current password"
        self.error_messages["password_incorrect"] = "Your current password is not correct"  # noqa: S105
        self.fields = {
            name: self.fields[name] for name in ("old_password", "new_password1", "new_password2")
        }


class UserForm(_Govuk, forms.Form):
    """An administrator's view of one user: details, roles and the two personal grants."""

    submit_label = "Save"
    required_messages = {
        "first_name": "Enter the first name",
        "last_name": "Enter the last name",
        "email": "Enter the email address",
        "roles": "Select at least one role",
    }

    username = forms.RegexField(
        regex=r"^[\w.@+-]+\Z",
        max_length=150,
        help_text="Letters, digits and . @ + - _ only. It cannot be changed later.",
        error_messages={
            "required": "Enter a username",
            "invalid": "Enter a username using only letters, digits and . @ + - _",
        },
    )
    first_name = forms.CharField(max_length=150)
    last_name = forms.CharField(max_length=150)
    email = forms.EmailField(
        label="Email address",
        help_text="Password links are sent here.",
        error_messages={
            "invalid": "Enter an email address in the correct format, like name@example.org"
        },
    )
    organisation = forms.CharField(max_length=200, required=False)
    roles = forms.MultipleChoiceField(
        choices=[Choice(role.value, role.label, hint=ROLE_DESCRIPTIONS[role]) for role in Role],
        widget=forms.CheckboxSelectMultiple,
        help_text="Each role gives what its line says; a user with several has them all.",
    )
    can_see_identities = forms.BooleanField(
        label="May see identities in case records",
        required=False,
        help_text=(
            "Shows the person's name, date of birth and address on the cases the roles "
            "open. Without it they show as initials and Hidden."
        ),
    )
    can_make_subject_access = forms.BooleanField(
        label="May produce subject access bundles",
        required=False,
        help_text="Gathers everything held about one person for a subject access request.",
    )
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, instance: User | None = None, **kwargs):
        if instance is not None:
            kwargs.setdefault(
                "initial",
                {
                    "username": instance.username,
                    **{
                        name: getattr(instance, name)
                        for name in (
                            "first_name",
                            "last_name",
                            "email",
                            "organisation",
                            "can_see_identities",
                            "can_make_subject_access",
                            "version",
                        )
                    },
                    "roles": instance.role_codes,
                },
            )
        super().__init__(*args, **kwargs)
        self.instance = instance
        if instance is not None:
            del self.fields["username"]
        self._govuk()

    def profile(self) -> dict:
        data = dict(self.cleaned_data)
        for name in ("username", "roles", "version"):
            data.pop(name, None)
        return data


class MfaCodeForm(_Govuk, forms.Form):
    """One code: six digits from the authenticator app, or (when signing in) a recovery
    code. Whether it is right is for the view to check against the user's devices."""

    code = forms.CharField(max_length=16, strip=True)
    required_messages = {"code": "Enter the code"}

    def __init__(self, *args, label: str, hint: str = "", **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["code"].label = label
        self.fields["code"].help_text = hint
        self.fields["code"].widget.attrs.update(
            {
                "class": "govuk-input govuk-input--width-10",
                "autocomplete": "one-time-code",
                "spellcheck": "false",
                "autocapitalize": "none",
            }
        )
        self._govuk()

    def clean_code(self):
        # Spaces are allowed for readability ("123 456").
        return "".join(self.cleaned_data["code"].split())
