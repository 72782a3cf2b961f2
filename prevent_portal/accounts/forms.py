from django import forms
from django.contrib.auth.forms import AuthenticationForm


class SignInForm(AuthenticationForm):
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
