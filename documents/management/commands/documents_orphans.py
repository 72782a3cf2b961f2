"""List (and with --delete remove) stored files that no document row names.

A file is stored before its row is written; a process that dies between the two leaves
the file behind (docs/adr/0006-stored-files.md). Files younger than --min-age-hours are
left alone: their row may still be on its way.
"""

from datetime import timedelta

from django.core.management.base import BaseCommand
from django.utils import timezone

from documents.models import Document
from prevent_portal.files.storage import documents_storage
from prevent_portal.ui.words import counted


def stored_names(storage, folder=""):
    folders, files = storage.listdir(folder)
    for name in files:
        yield f"{folder}/{name}" if folder else name
    for sub in folders:
        yield from stored_names(storage, f"{folder}/{sub}" if folder else sub)


class Command(BaseCommand):
    help = "List stored document files that no document names; --delete removes them."

    def add_arguments(self, parser):
        parser.add_argument("--delete", action="store_true", help="Remove the orphans found")
        parser.add_argument("--min-age-hours", type=int, default=24)

    def handle(self, *args, delete: bool, min_age_hours: int, **options):
        storage = documents_storage()
        cutoff = timezone.now() - timedelta(hours=min_age_hours)
        known = set(Document.objects.values_list("stored_name", flat=True))
        orphans = [
            name
            for name in stored_names(storage)
            if name not in known and storage.get_modified_time(name) < cutoff
        ]
        for name in orphans:
            if delete:
                storage.delete(name)
            self.stdout.write(("Removed " if delete else "Orphan ") + name)
        self.stdout.write(f"{counted(len(orphans), 'orphan file')}{' removed' if delete else ''}")
