from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from community.services import IMPORT_COLUMNS, ImportRowsError, incidents_import
from prevent_portal.ui.uploads import UploadError
from prevent_portal.ui.words import counted


class Command(BaseCommand):
    help = (
        "Import incidents from a CSV file with the columns "
        + ",".join(IMPORT_COLUMNS)
        + ". All or nothing: any bad row stops the import and is listed with its line number."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", type=Path)

    def handle(self, *args, file: Path, **options):
        try:
            data = file.read_bytes()
        except OSError as error:
            raise CommandError(f"Cannot read {file}: {error.strerror}") from error
        try:
            result = incidents_import(actor=None, data=data, filename=file.name)
        except UploadError as error:
            raise CommandError(str(error)) from error
        except ImportRowsError as error:
            for line, message in error.errors:
                self.stderr.write(f"Line {line}: {message}")
            raise CommandError(
                f"{counted(len(error.errors), 'row')} with errors: nothing imported"
            ) from None
        self.stdout.write(self.style.SUCCESS(f"Imported {result.created} incidents"))
