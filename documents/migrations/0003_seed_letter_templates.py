"""The five letter templates as first seeded, frozen here: a migration never imports the
app's code. Supervisors edit them afterwards (documents/views.py); documents/reference.py
holds the same rows for tests after a flush."""

from django.db import migrations

LETTER_TEMPLATES = [
    (
        "Consent request to a parent or carer",
        "{{ today }}\n\nOur reference: {{ case_reference }}\n\nDear parent or carer of {{ person_name }},\n\nChannel: a request for your consent\n\nChannel is a voluntary programme, run by {{ partnership }} with its partners, that offers support to people who may be at risk of being drawn into harmful ideas. After the referral we received, the Channel panel agreed that {{ given_names }} could benefit from this support.\n\nBecause {{ given_names }} is under 18, we need your consent before any support begins. Taking part is voluntary, and you may withdraw your consent at any time.\n\n{{ case_manager }} is the case manager and will contact you to talk this through and answer your questions. You can also reply to this letter, quoting the reference above.\n\nYours sincerely,\n\n{{ sender_name }}\n{{ partnership }}",
    ),
    (
        "Invitation to a Channel panel (partner)",
        "{{ today }}\n\nOur reference: {{ case_reference }}\n\nDear colleague,\n\nInvitation to the Channel panel on {{ panel_date }}\n\nYou are invited to the multi-agency Channel panel on {{ panel_date }} to discuss case {{ case_reference }}. Please bring the information your organisation holds that is relevant to the case and that you may share under the partnership's information-sharing agreement.\n\nThe panel papers are OFFICIAL-SENSITIVE: please do not forward them. Let us know by return if you, or a colleague in your place, cannot attend.\n\nYours sincerely,\n\n{{ sender_name }}\n{{ partnership }}",
    ),
    (
        "Channel support offered",
        "{{ today }}\n\nOur reference: {{ case_reference }}\n\nDear {{ person_name }},\n\nChannel: the support we can offer\n\nThe Channel panel met on {{ panel_date }} and agreed to offer you support through the Channel programme. Channel is voluntary and confidential.\n\nYour case manager, {{ case_manager }}, will agree a support plan with you and arrange the support it sets out. If you have any questions, please contact us, quoting the reference above.\n\nYours sincerely,\n\n{{ sender_name }}\n{{ partnership }}",
    ),
    (
        "Exit from Channel",
        "{{ today }}\n\nOur reference: {{ case_reference }}\n\nDear {{ person_name }},\n\nLeaving the Channel programme\n\nThe Channel panel reviewed your support on {{ panel_date }} and agreed that you have completed the Channel programme. Thank you for the time and effort you have put in.\n\nWe will contact you again in about six and twelve months' time to see how things are going. If you would like support before then, please contact {{ case_manager }}, quoting the reference above.\n\nYours sincerely,\n\n{{ sender_name }}\n{{ partnership }}",
    ),
    (
        "Post-exit review",
        "{{ today }}\n\nOur reference: {{ case_reference }}\n\nDear {{ person_name }},\n\nYour Channel post-exit review\n\nSome time has passed since you left the Channel programme. As we explained then, we would like to check how things are going. {{ case_manager }} will contact you in the next two weeks to arrange a short conversation.\n\nThe review is voluntary. If you would prefer not to take part, please let us know, quoting the reference above.\n\nYours sincerely,\n\n{{ sender_name }}\n{{ partnership }}",
    ),
]


def seed(apps, schema_editor):
    model = apps.get_model("documents", "LetterTemplate")
    for position, (title, body) in enumerate(LETTER_TEMPLATES, start=1):
        model.objects.get_or_create(title=title, defaults={"body": body, "position": position})


class Migration(migrations.Migration):
    dependencies = [("documents", "0002_seed_document_types")]

    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
