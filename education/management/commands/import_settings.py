from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from education.services import ImportRowsError, register_import
from prevent_portal.ui.uploads import UploadError
from prevent_portal.ui.words import counted


class Command(BaseCommand):
    help = (
        "Import the register of settings from a GIAS establishment extract (or a CSV with "
        "urn,name,phase,district). Keeps the local authorities of the register; URN is the "
        "key, so importing again updates. All or nothing."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", type=Path, help="The CSV file")

    def handle(self, *args, file: Path, **options):
        try:
            data = file.read_bytes()
        except OSError as error:
            raise CommandError(f"Cannot read {file}: {error.strerror}") from error
        try:
            result = register_import(actor=None, data=data, filename=file.name)
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
                f"Register imported: {result.new} new, {result.updated} updated, "
                f"{result.unchanged} unchanged, {result.left_out} left out "
                f"(other local authorities), {result.no_district} with no matching district."
            )
        )
