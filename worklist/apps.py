from django.apps import AppConfig


class WorklistConfig(AppConfig):
    name = "worklist"
    verbose_name = "Tasks and reminders"

    def ready(self):
        from referrals.signals import referral_created, referral_transitioned
        from worklist import receivers

        referral_created.connect(
            receivers.on_referral_created, dispatch_uid="worklist.on_referral_created"
        )
        referral_transitioned.connect(
            receivers.on_referral_transitioned, dispatch_uid="worklist.on_referral_transitioned"
        )
