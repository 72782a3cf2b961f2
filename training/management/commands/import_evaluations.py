from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from prevent_portal.ui.words import counted
from training.importers import ImportRowsError, UploadError, evaluations_import


class Command(BaseCommand):
    help = (
        "Import evaluations from a CSV file (columns session, met_expectations, "
        "value_to_role, comment, optional quotable). All rows or none."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", type=Path)

    def handle(self, *args, file: Path, **options):
        try:
            data = file.read_bytes()
        except OSError as error:
            raise CommandError(f"Cannot read {file}: {error.strerror}") from error
        try:
            count = evaluations_import(actor=None, data=data, filename=file.name)
        except ImportRowsError as error:
            for problem in error.errors:
                self.stderr.write(str(problem))
            raise CommandError(str(error)) from error
        except UploadError as error:
            raise CommandError(f"{error}: nothing was imported") from error
        self.stdout.write(self.style.SUCCESS(f"Imported {counted(count, 'evaluation')}."))
