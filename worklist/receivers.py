"""Receivers of the referral journey's signals (connected in WorklistConfig.ready()).

They run inside the transaction of the step that sent the signal: a failure here fails
the step, so a case never moves on without its tasks (referrals/signals.py).
"""

from worklist.services import tasks_for_receipt, tasks_for_step


def on_referral_created(sender, *, referral, actor, **kwargs):
    tasks_for_receipt(referral=referral, actor=actor)


def on_referral_transitioned(sender, *, referral, event, actor, **kwargs):
    tasks_for_step(referral=referral, event=event, actor=actor)
