import pytest


@pytest.fixture
def documents_location(settings, tmp_path):
    """A folder of its own for this test's stored files, to look at what is on disk."""
    settings.STORAGES = {
        **settings.STORAGES,
        "documents": {**settings.STORAGES["documents"], "OPTIONS": {"location": tmp_path}},
    }
    return tmp_path
