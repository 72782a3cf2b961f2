from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from governance.models import Plan
from governance.selectors import current_plan
from governance.services import ImportRowsError, plan_actions_import
from prevent_portal.ui.uploads import UploadError
from prevent_portal.ui.words import counted


class Command(BaseCommand):
    help = (
        "Import the actions of an existing partnership plan from CSV (columns: reference, "
        "heading, description, owner, lead, due_date, status). All or nothing."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", type=Path, help="The CSV file")
        parser.add_argument(
            "--plan", help="The period of the plan, for example 2026–27 (default: current plan)"
        )

    def handle(self, *args, file: Path, plan: str | None, **options):
        target = Plan.objects.filter(title=plan).first() if plan else current_plan()
        if target is None:
            raise CommandError(f"No plan {plan!r}" if plan else "There is no partnership plan yet")
        try:
            data = file.read_bytes()
        except OSError as error:
            raise CommandError(f"Cannot read {file}: {error.strerror}") from error
        try:
            created = plan_actions_import(actor=None, plan=target, data=data, filename=file.name)
        except UploadError as error:
            raise CommandError(str(error)) from error
        except ImportRowsError as error:
            for line, message in error.errors:
                self.stderr.write(f"Line {line}: {message}")
            raise CommandError(
                f"{counted(len(error.errors), 'row')} with errors: nothing was imported"
            ) from error
        self.stdout.write(self.style.SUCCESS(f"Imported {created} actions into {target}."))
