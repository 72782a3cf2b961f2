import pytest

from training.catalogue import load_catalogue
from training.models import Course


@pytest.fixture(autouse=True)
def _catalogue(db):
    """The courses migration 0002 seeds; a transactional test elsewhere may have flushed
    them (idempotent, so usually a no-op)."""
    load_catalogue(Course)
