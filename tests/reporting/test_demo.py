import pytest

from reporting.demo import seed
from reporting.models import ReportEdition

pytestmark = pytest.mark.django_db


def test_the_demo_edition_is_seeded_once():
    seed()
    seed()
    edition = ReportEdition.objects.get()
    assert edition.status == "draft"
    assert "Prevent coordinator" in edition.introduction
