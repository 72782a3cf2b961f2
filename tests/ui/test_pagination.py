import pytest

from prevent_portal.ui.pagination import CountedPaginator
from training.models import TrainingSession

pytestmark = pytest.mark.django_db


def test_counted_paginator_uses_the_count_it_is_given(django_assert_num_queries):
    paginator = CountedPaginator(TrainingSession.objects.order_by("pk"), 25, count=60)
    with django_assert_num_queries(0):
        assert paginator.count == 60
        assert paginator.num_pages == 3
    assert paginator.get_page(9).number == 3  # out of range: the last page
