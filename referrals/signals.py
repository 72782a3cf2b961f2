"""Signals of the referral journey, sent inside the service's transaction.

Receivers (tasks and reminders, for one) write in the same transaction: if they fail,
the step fails with them, and nothing is half-saved.
"""

from django.dispatch import Signal

# referral=Referral, actor=User
referral_created = Signal()
# referral=Referral (after the step), event=ReferralEvent, actor=User
referral_transitioned = Signal()
