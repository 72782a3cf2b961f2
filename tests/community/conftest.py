import pytest


@pytest.fixture(autouse=True)
def community_reference_data(request):
    """Migration-seeded themes, levels and platforms, put back if a transactional test
    (a browser test) flushed the database before this one."""
    marker = request.node.get_closest_marker("django_db")
    if marker is None:
        return
    transactional = marker.kwargs.get("transaction", False)
    request.getfixturevalue("transactional_db" if transactional else "db")
    from community.reference import ensure_reference_data

    ensure_reference_data()
