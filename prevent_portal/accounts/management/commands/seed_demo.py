import base64
import importlib
import os

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django_otp.plugins.otp_totp.models import TOTPDevice

from prevent_portal.accounts.mfa import DEVICE_NAME, devices_delete
from prevent_portal.accounts.models import AccountChange, User
from prevent_portal.accounts.roles import CASE_ROLES, Role
from prevent_portal.accounts.services import user_set_roles, user_update
from prevent_portal.audit.models import AuditEvent
from prevent_portal.audit.services import audit_record

# Published on purpose (README): demo accounts only, refused unless DEBUG is on.
DEFAULT_DEMO_PASSWORD = "demo-password-2026"  # noqa: S105

DEMO_DATA_APPS = [
    "governance",
    "training",
    "education",
    "community",
    "referrals",
    "channel",
    "vaf",
    "casework",
    "worklist",
    "documents",
    "disclosures",
    "reporting",
]

# Published on purpose too (README): every demo user's authenticator app holds this one
# secret, so that the demo works with any TOTP app. Demo accounts only, like the password.
DEMO_TOTP_SECRET = "PREVENTPORTALDEMOTOTPSECRETKEY23"  # noqa: S105

# One invented person per role (usernames are the role codes), and a second Channel
# coordinator without the identity grant, who sees every case with the names masked.
DEMO_USERS = [
    # username, first name, last name, role, may see identities, subject access
    ("coordinator", "Robin", "Ashdown", Role.COORDINATOR, True, True),
    ("chair", "Morgan", "Feltham", Role.CHAIR, True, False),
    ("channel", "Jordan", "Kestrel", Role.CHANNEL, True, False),
    ("channel2", "Riley", "Sandpiper", Role.CHANNEL, False, False),
    ("education", "Sam", "Larkfield", Role.EDUCATION, False, False),
    ("community", "Alex", "Brambling", Role.COMMUNITY, False, False),
    ("support", "Charlie", "Wren", Role.SUPPORT, False, False),
    ("board", "Avery", "Hollowmere", Role.BOARD, False, False),
    ("admin", "Taylor", "Quillon", Role.ADMIN, False, False),
]


def _demo_pending_change() -> None:
    """A change of access waiting for approval, so that the Access approvals page has one
    to decide: the administrator proposes the Channel coordinator role (without the
    identity grant) for the Education Officer. Left alone while one waits."""
    education = User.objects.get(username="education")
    if AccountChange.objects.filter(
        user=education, kind=AccountChange.Kind.ACCESS, status=AccountChange.Status.PROPOSED
    ).exists():
        return
    user_update(
        actor=User.objects.get(username="admin"),
        user=education,
        version=education.version,
        roles=[*education.role_codes, Role.CHANNEL],
        first_name=education.first_name,
        last_name=education.last_name,
        email=education.email,
        organisation=education.organisation,
        can_see_identities=education.can_see_identities,
        can_make_subject_access=education.can_make_subject_access,
    )


def _label(role: str, identities: bool) -> str:
    label = Role(role).label
    return (
        f"{label}, without the identity grant" if role in CASE_ROLES and not identities else label
    )


def _demo_totp(user: User) -> None:
    """One confirmed authenticator with the published demo secret (and no recovery codes)."""
    key = base64.b32decode(DEMO_TOTP_SECRET).hex()
    device = TOTPDevice.objects.filter(user=user, confirmed=True).first()
    if device is not None and device.key == key:
        return
    devices_delete(user)
    TOTPDevice.objects.create(user=user, name=DEVICE_NAME, key=key, confirmed=True)


class Command(BaseCommand):
    help = "Create one demo user per role, with invented names (development and demos only)."

    def add_arguments(self, parser):
        parser.add_argument(
            "--force", action="store_true", help="Run even though DEBUG is off (never in live)."
        )

    def handle(self, *args, force: bool, **options):
        if not settings.DEBUG and not force:
            raise CommandError(
                "seed_demo creates accounts with a published password: it runs only with "
                "DEBUG on. Use --force if you really mean it (never on a live system)."
            )
        password = os.environ.get("DEMO_PASSWORD") or DEFAULT_DEMO_PASSWORD
        with transaction.atomic():
            for username, first, last, role, identities, subject_access in DEMO_USERS:
                user, created = User.objects.get_or_create(username=username)
                user.first_name, user.last_name = first, last
                user.email = f"{username}@example.invalid"
                user.can_see_identities = identities
                user.can_make_subject_access = subject_access
                user.is_active = True
                user.set_password(password)
                user.save()
                user_set_roles(actor=None, user=user, roles=[role])
                _demo_totp(user)
            _demo_pending_change()
            # Each app may offer invented demo data in <app>/demo.py: seed(stdout), idempotent.
            for app in DEMO_DATA_APPS:
                try:
                    module = importlib.import_module(f"{app}.demo")
                except ModuleNotFoundError as error:
                    if error.name != f"{app}.demo":
                        raise  # a real import error inside the module
                    continue
                module.seed(stdout=self.stdout)
            audit_record(
                actor=None,
                actor_username="system",
                verb=AuditEvent.Verb.SEED,
                summary="Created or refreshed the demo users and demo data",
            )
        width = max(len(u[0]) for u in DEMO_USERS)
        self.stdout.write(self.style.SUCCESS("Demo users ready. Sign in at http://127.0.0.1:8000"))
        for username, _first, _last, role, identities, _s in DEMO_USERS:
            self.stdout.write(f"  {username.ljust(width)}  {_label(role, identities)}")
        self.stdout.write(f"Password for every demo user: {password}")
        self.stdout.write(f"Demo TOTP secret: {DEMO_TOTP_SECRET}")
