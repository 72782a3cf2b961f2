import itertools
from datetime import date

import pytest

from education.choices import AUDIENCE_CATEGORIES, DEFAULT_LOCAL_AUTHORITIES
from education.models import AudienceCategory, OutreachSession, RegisterLocalAuthority, Setting
from governance.models import District

_urns = itertools.count(800001)


@pytest.fixture(autouse=True)
def _seeded_reference(db):
    """The rows migration 0002 seeds; a transactional test elsewhere may have flushed them."""
    for position, name in enumerate(AUDIENCE_CATEGORIES, start=1):
        AudienceCategory.objects.get_or_create(name=name, defaults={"position": position})
    for name in DEFAULT_LOCAL_AUTHORITIES:
        RegisterLocalAuthority.objects.get_or_create(name=name)


@pytest.fixture
def make_setting(reference_data):
    def build(name: str, district: str | None = "Ashford", *, is_open=True, urn=None, **extra):
        return Setting.objects.create(
            urn=urn or next(_urns),
            name=name,
            district=District.objects.get(name=district) if district else None,
            is_open=is_open,
            status="Open" if is_open else "Closed",
            **extra,
        )

    return build


@pytest.fixture
def make_session(persona):
    def build(when: date, audience: str, settings, attendees: int, *, peo=None, **extra):
        session = OutreachSession.objects.create(
            date=when,
            peo=peo or persona("education"),
            audience=AudienceCategory.objects.get(name=audience),
            attendees=attendees,
            format=extra.pop("format", "face_to_face"),
            topic=extra.pop("topic", "Prevent duty refresher"),
            **extra,
        )
        session.settings.set(settings)
        return session

    return build
