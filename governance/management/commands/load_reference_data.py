from pathlib import Path

from django.core.management.base import BaseCommand

from governance.services import DEFAULT_REFERENCE_FILE, load_reference_data


class Command(BaseCommand):
    help = "Load the partnership, PEO areas, districts and partners (idempotent)."

    def add_arguments(self, parser):
        parser.add_argument(
            "--file",
            type=Path,
            default=DEFAULT_REFERENCE_FILE,
            help="JSON file of reference data (default: Kent and Medway).",
        )

    def handle(self, *args, file: Path, **options):
        created = load_reference_data(path=file)
        summary = ", ".join(f"{count} {kind.replace('_', ' ')}" for kind, count in created.items())
        self.stdout.write(self.style.SUCCESS(f"Reference data loaded (new: {summary})."))
