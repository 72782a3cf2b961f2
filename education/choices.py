"""Reference enumerations of the education app."""

from django.db import models


class SessionFormat(models.TextChoices):
    FACE_TO_FACE = "face_to_face", "Face-to-face"
    VIRTUAL = "virtual", "Virtual"
    WEBINAR = "webinar", "Webinar"
    ASSEMBLY = "assembly", "Assembly"
    WORKSHOP = "workshop", "Workshop"


class EnquiryStatus(models.TextChoices):
    OPEN = "open", "Open"
    CLOSED = "closed", "Closed"


class EnquiryKind(models.TextChoices):
    ADVICE = "advice", "Advice"
    ONE_TO_ONE = "one_to_one", "1-to-1 work"


# The audience categories of the annual report (docs/domain.md §3), in report order. The
# data migration 0002 seeds them; staff may rename or retire them later.
AUDIENCE_CATEGORIES = (
    "Primary school staff",
    "Secondary school staff",
    "SEN setting staff",
    "PRU staff",
    "Primary school students",
    "Secondary school students",
    "SEN setting students",
    "Parents and carers",
    "LA education staff",
)

# The local authorities (GIAS `LA (name)`) whose establishments the partnership keeps in
# its register. Seeded into RegisterLocalAuthority by the data migration 0002; another
# partnership edits that table, not this code.
DEFAULT_LOCAL_AUTHORITIES = ("Kent", "Medway")
