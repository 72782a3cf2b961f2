"""The reference training offer as first seeded, frozen here: a migration never imports the
app's code. training/catalogue.py holds the same offer for tests after a flush.
Courses are matched by title, so courses staff have edited or added are left alone."""

from django.db import migrations

REFERENCE_OFFER = [
    {
        "title": "Prevent Awareness",
        "duration": "1 hour",
        "formats": ["face_to_face", "virtual"],
        "capacity": 40,
        "description": "An introduction to the Prevent duty: what radicalisation is, how "
        "to recognise someone who may be vulnerable to it, and how to share "
        "a concern.",
        "topics": "The Prevent duty\nSigns of vulnerability\nMaking a referral\nChannel",
    },
    {
        "title": "Prevent and Radicalisation",
        "duration": "2–3 hours (workshop)",
        "formats": ["face_to_face", "virtual"],
        "capacity": 30,
        "description": "A workshop for practitioners: current ideologies, the process of "
        "radicalisation, case studies and the local referral pathway.",
        "topics": "Ideologies\nThe radicalisation process\nCase studies\nLocal referral pathway",
    },
    {
        "title": "Extreme Identities Online",
        "duration": "2 hours (workshop)",
        "formats": ["face_to_face", "virtual"],
        "capacity": 30,
        "description": "How extremist groups build identity and belonging online, and how "
        "to talk with young people about what they see.",
        "topics": "Online communities\nMemes and language\nTalking with young people",
    },
    {
        "title": "Extremist exploitation of Covid-19",
        "duration": "1 hour",
        "formats": ["webinar"],
        "capacity": 200,
        "description": "How extremists used the pandemic and conspiracy theories to recruit.",
        "topics": "Conspiracy theories\nDisinformation\nRecruitment narratives",
    },
    {
        "title": "Extremist use of online gaming",
        "duration": "45 minutes",
        "formats": ["webinar"],
        "capacity": 200,
        "description": "Gaming platforms and chat services as a route to extremist content.",
        "topics": "Gaming platforms\nChat and streaming\nSafeguarding online",
    },
    {
        "title": "Incels: online subculture of misogyny",
        "duration": "45 minutes",
        "formats": ["webinar"],
        "capacity": 200,
        "description": "The incel subculture, its language and its links to violence.",
        "topics": "Incel ideology\nMisogyny online\nRisk and safeguarding",
    },
    {
        "title": "School massacre ideology",
        "duration": "45 minutes",
        "formats": ["webinar"],
        "capacity": 200,
        "description": "Fascination with school massacres and mass-casualty violence: what "
        "it looks like and how to respond.",
        "topics": "Online fandoms\nWarning signs\nResponding in education settings",
    },
]


def seed(apps, schema_editor):
    course_model = apps.get_model("training", "Course")
    taken = set(course_model.objects.values_list("position", flat=True))
    for position, row in enumerate(REFERENCE_OFFER, start=1):
        if course_model.objects.filter(title__iexact=row["title"]).exists():
            continue
        while position in taken:
            position += 100
        course_model.objects.create(position=position, status="available", **row)
        taken.add(position)


class Migration(migrations.Migration):
    dependencies = [("training", "0001_initial")]

    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
