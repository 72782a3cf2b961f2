"""Real concurrency on PostgreSQL (docs/security.md §24): references stay unique and a
status step is recorded once when several people act at the same moment.

Each thread has its own database connection (Django opens one per thread), and a barrier
lets them all start their transactions together. SQLite serialises writers, so these run
on PostgreSQL only (the CI's second pass).
"""

import threading
from datetime import date

import pytest
from django.db import connection, connections, transaction

from referrals.models import Referral, ReferralEvent, ReferralStatus
from referrals.services import StaleVersionError, referral_transition
from tests.referrals.conftest import new_referral

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(connection.vendor != "postgresql", reason="needs PostgreSQL's row locks"),
]

THREADS = 6


def run_together(work, count: int) -> list:
    """Run `work(i)` in `count` threads that start at once; the results or exceptions."""
    barrier = threading.Barrier(count)
    results: list = [None] * count

    def run(i):
        try:
            barrier.wait(timeout=30)
            results[i] = work(i)
        except Exception as error:  # noqa: BLE001 (the test inspects what each thread met)
            results[i] = error
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run, args=(i,)) for i in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    return results


def test_referrals_made_at_the_same_moment_get_distinct_consecutive_references(reference_data):
    def make(i):
        with transaction.atomic():
            return new_referral(given=f"Parallel{i}", family="Madeupson").reference

    references = run_together(make, THREADS)
    assert all(isinstance(reference, str) for reference in references), references
    assert len(set(references)) == THREADS
    numbers = sorted(int(reference.rsplit("-", 1)[1]) for reference in references)
    assert numbers == list(range(numbers[0], numbers[0] + THREADS))
    assert Referral.objects.count() == THREADS


def test_the_same_step_taken_twice_at_once_is_recorded_once(reference_data):
    referral = new_referral()
    version = referral.version

    def step(i):
        with transaction.atomic():
            return referral_transition(
                actor=None,
                referral=referral,
                to_status=ReferralStatus.POLICE_GATEWAY,
                reason="Sent on by the invented duty desk",
                occurred_on=date(2026, 3, 3),
                expected_version=version,
            )

    results = run_together(step, THREADS)
    recorded = [r for r in results if isinstance(r, ReferralEvent)]
    refused = [r for r in results if isinstance(r, StaleVersionError)]
    assert len(recorded) == 1, results
    assert len(refused) == THREADS - 1, results
    referral.refresh_from_db()
    assert referral.status == ReferralStatus.POLICE_GATEWAY
    assert referral.version == version + 1
    assert referral.events.filter(to_status=ReferralStatus.POLICE_GATEWAY).count() == 1
