from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from education.services import ImportRowsError, outreach_import
from prevent_portal.accounts.models import User
from prevent_portal.accounts.roles import Perm, has_perm
from prevent_portal.ui.uploads import UploadError
from prevent_portal.ui.words import counted


class Command(BaseCommand):
    help = (
        "Import outreach sessions from CSV (date, audience, settings, attendees, format, "
        "topic, optional notes). All or nothing; rows already imported are skipped."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", type=Path, help="The CSV file")
        parser.add_argument(
            "--peo", required=True, help="Username of the PEO who delivered the sessions"
        )

    def handle(self, *args, file: Path, peo: str, **options):
        officer = User.objects.filter(username=peo, is_active=True).first()
        if officer is None:
            raise CommandError(f"No active user called {peo!r}")
        if not has_perm(officer, Perm.EDUCATION_MANAGE):
            raise CommandError(f"{peo!r} may not record education outreach")
        try:
            data = file.read_bytes()
        except OSError as error:
            raise CommandError(f"Cannot read {file}: {error.strerror}") from error
        try:
            result = outreach_import(actor=None, peo=officer, data=data, filename=file.name)
        except UploadError as error:
            raise CommandError(str(error)) from error
        except ImportRowsError as error:
            for line, message in error.errors:
                self.stderr.write(f"Line {line}: {message}")
            raise CommandError(
                f"{counted(len(error.errors), 'row')} with errors: nothing imported"
            ) from error
        self.stdout.write(
            self.style.SUCCESS(
                f"{result.created} outreach sessions imported "
                f"({result.already_imported} already imported)."
            )
        )
