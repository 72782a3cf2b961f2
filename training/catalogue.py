"""The reference training offer (docs/domain.md §2), loaded by a data migration.

Idempotent: courses are matched by title, so loading twice changes nothing, and courses
that staff have edited or added are left alone.
"""

F2F, VIRTUAL, WEBINAR = "face_to_face", "virtual", "webinar"

REFERENCE_OFFER = [
    {
        "title": "Prevent Awareness",
        "duration": "1 hour",
        "formats": [F2F, VIRTUAL],
        "capacity": 40,
        "description": (
            "An introduction to the Prevent duty: what radicalisation is, how to recognise "
            "someone who may be vulnerable to it, and how to share a concern."
        ),
        "topics": "The Prevent duty\nSigns of vulnerability\nMaking a referral\nChannel",
    },
    {
        "title": "Prevent and Radicalisation",
        "duration": "2–3 hours (workshop)",
        "formats": [F2F, VIRTUAL],
        "capacity": 30,
        "description": (
            "A workshop for practitioners: current ideologies, the process of "
            "radicalisation, case studies and the local referral pathway."
        ),
        "topics": "Ideologies\nThe radicalisation process\nCase studies\nLocal referral pathway",
    },
    {
        "title": "Extreme Identities Online",
        "duration": "2 hours (workshop)",
        "formats": [F2F, VIRTUAL],
        "capacity": 30,
        "description": (
            "How extremist groups build identity and belonging online, and how to talk "
            "with young people about what they see."
        ),
        "topics": "Online communities\nMemes and language\nTalking with young people",
    },
    {
        "title": "Extremist exploitation of Covid-19",
        "duration": "1 hour",
        "formats": [WEBINAR],
        "capacity": 200,
        "description": "How extremists used the pandemic and conspiracy theories to recruit.",
        "topics": "Conspiracy theories\nDisinformation\nRecruitment narratives",
    },
    {
        "title": "Extremist use of online gaming",
        "duration": "45 minutes",
        "formats": [WEBINAR],
        "capacity": 200,
        "description": "Gaming platforms and chat services as a route to extremist content.",
        "topics": "Gaming platforms\nChat and streaming\nSafeguarding online",
    },
    {
        "title": "Incels: online subculture of misogyny",
        "duration": "45 minutes",
        "formats": [WEBINAR],
        "capacity": 200,
        "description": "The incel subculture, its language and its links to violence.",
        "topics": "Incel ideology\nMisogyny online\nRisk and safeguarding",
    },
    {
        "title": "School massacre ideology",
        "duration": "45 minutes",
        "formats": [WEBINAR],
        "capacity": 200,
        "description": (
            "Fascination with school massacres and mass-casualty violence: what it looks "
            "like and how to respond."
        ),
        "topics": "Online fandoms\nWarning signs\nResponding in education settings",
    },
]


def load_catalogue(course_model) -> int:
    """Create the reference courses that do not exist yet; returns how many were made.

    Takes the model as an argument so that a migration can pass its historical model.
    """
    created = 0
    taken = set(course_model.objects.values_list("position", flat=True))
    for position, row in enumerate(REFERENCE_OFFER, start=1):
        if course_model.objects.filter(title__iexact=row["title"]).exists():
            continue
        while position in taken:
            position += 100
        course_model.objects.create(position=position, status="available", **row)
        taken.add(position)
        created += 1
    return created
