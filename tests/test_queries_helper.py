"""The query-budget helper fails with the SQL that grew, and passes when nothing did."""

import pytest

from prevent_portal.accounts.models import User
from tests.queries import Queries, assert_same_queries, counted


def test_equal_runs_pass_and_a_budget_is_kept(db):
    with counted() as one:
        list(User.objects.filter(pk=1))
    with counted() as other:
        list(User.objects.filter(pk=2))
    assert len(one) == len(other) == 1
    assert_same_queries(one, other, at_most=1)


def test_a_run_that_grew_fails_with_the_added_query():
    small = Queries(['SELECT "a" FROM "t" WHERE "id" = 1'])
    large = Queries(['SELECT "a" FROM "t" WHERE "id" = 2', 'SELECT "b" FROM "u" WHERE "id" = 7'])
    with pytest.raises(pytest.fail.Exception) as failure:
        assert_same_queries(small, large)
    message = str(failure.value)
    assert "[1, 2]" in message
    assert '+SELECT "b" FROM "u" WHERE "id" = ?' in message
    # The same shape with other literals is not reported as a difference.
    assert '-SELECT "a"' not in message


def test_a_broken_budget_fails_even_when_the_sizes_agree():
    runs = [Queries(["SELECT 1", "SELECT 2"]), Queries(["SELECT 3", "SELECT 4"])]
    with pytest.raises(pytest.fail.Exception, match=r"budget 1"):
        assert_same_queries(*runs, at_most=1)
