from django.core.management.base import BaseCommand, CommandError

from prevent_portal.audit.exporting import verify_lines


class Command(BaseCommand):
    help = (
        "Recompute the hash chain of a file written by export_audit; name the first line "
        "that was changed, removed, inserted or reordered. Exit status 1 if it is broken."
    )

    def add_arguments(self, parser):
        parser.add_argument("file")
        parser.add_argument(
            "--previous",
            help="The final hash of the export before this one: check the chain continues",
        )

    def handle(self, *args, **options):
        try:
            with open(options["file"], encoding="utf-8") as handle:
                result = verify_lines(handle, previous=options["previous"])
        except OSError as error:
            raise CommandError(f"Cannot read {options['file']}: {error.strerror}") from error
        if not result.ok:
            raise CommandError(f"Broken: {result.message}")
        self.stdout.write(f"OK: {result.message}; final hash {result.final_hash}")
