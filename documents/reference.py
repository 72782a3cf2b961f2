"""The reference data of the documents app, for tests after a flush (and any fresh
database): the seven document types and the five letter templates.

The migrations seed the same rows from frozen copies of their own (0002 and 0003), as a
migration must not import the app's code. Idempotent: existing rows stay as they are.
"""

from documents.choices import DOCUMENT_TYPES

LETTER_TEMPLATES = [
    (
        "Consent request to a parent or carer",
        """{{ today }}

Our reference: {{ case_reference }}

Dear parent or carer of {{ person_name }},

Channel: a request for your consent

Channel is a voluntary programme, run by {{ partnership }} with its partners, that offers support to people who may be at risk of being drawn into harmful ideas. After the referral we received, the Channel panel agreed that {{ given_names }} could benefit from this support.

Because {{ given_names }} is under 18, we need your consent before any support begins. Taking part is voluntary, and you may withdraw your consent at any time.

{{ case_manager }} is the case manager and will contact you to talk this through and answer your questions. You can also reply to this letter, quoting the reference above.

Yours sincerely,

{{ sender_name }}
{{ partnership }}""",
    ),
    (
        "Invitation to a Channel panel (partner)",
        """{{ today }}

Our reference: {{ case_reference }}

Dear colleague,

Invitation to the Channel panel on {{ panel_date }}

You are invited to the multi-agency Channel panel on {{ panel_date }} to discuss case {{ case_reference }}. Please bring the information your organisation holds that is relevant to the case and that you may share under the partnership's information-sharing agreement.

The panel papers are OFFICIAL-SENSITIVE: please do not forward them. Let us know by return if you, or a colleague in your place, cannot attend.

Yours sincerely,

{{ sender_name }}
{{ partnership }}""",
    ),
    (
        "Channel support offered",
        """{{ today }}

Our reference: {{ case_reference }}

Dear {{ person_name }},

Channel: the support we can offer

The Channel panel met on {{ panel_date }} and agreed to offer you support through the Channel programme. Channel is voluntary and confidential.

Your case manager, {{ case_manager }}, will agree a support plan with you and arrange the support it sets out. If you have any questions, please contact us, quoting the reference above.

Yours sincerely,

{{ sender_name }}
{{ partnership }}""",
    ),
    (
        "Exit from Channel",
        """{{ today }}

Our reference: {{ case_reference }}

Dear {{ person_name }},

Leaving the Channel programme

The Channel panel reviewed your support on {{ panel_date }} and agreed that you have completed the Channel programme. Thank you for the time and effort you have put in.

We will contact you again in about six and twelve months' time to see how things are going. If you would like support before then, please contact {{ case_manager }}, quoting the reference above.

Yours sincerely,

{{ sender_name }}
{{ partnership }}""",
    ),
    (
        "Post-exit review",
        """{{ today }}

Our reference: {{ case_reference }}

Dear {{ person_name }},

Your Channel post-exit review

Some time has passed since you left the Channel programme. As we explained then, we would like to check how things are going. {{ case_manager }} will contact you in the next two weeks to arrange a short conversation.

The review is voluntary. If you would prefer not to take part, please let us know, quoting the reference above.

Yours sincerely,

{{ sender_name }}
{{ partnership }}""",
    ),
]


def load_reference(get_model) -> None:
    kinds = get_model("DocumentType")
    for position, (code, name) in enumerate(DOCUMENT_TYPES, start=1):
        kinds.objects.get_or_create(code=code, defaults={"name": name, "position": position})
    templates = get_model("LetterTemplate")
    for position, (title, body) in enumerate(LETTER_TEMPLATES, start=1):
        templates.objects.get_or_create(title=title, defaults={"body": body, "position": position})


def load_reference_models() -> None:
    from django.apps import apps

    load_reference(lambda name: apps.get_model("documents", name))
