"""The private storage of uploaded and generated files (STORAGES["documents"]).

By default a directory of the server's file system (DOCUMENTS_ROOT), outside the
static files and with no URL: files leave it only through a download view that has
checked who is asking. Several servers share an S3-compatible bucket instead
(docs/deployment.md). Stored names are random; the original name is data on the row.
"""

import uuid
from pathlib import Path

from django.conf import settings
from django.core.checks import Error, register
from django.core.files.base import ContentFile
from django.core.files.storage import FileSystemStorage, storages
from django.utils import timezone

STORAGE_ALIAS = "documents"


class PrivateFileSystemStorage(FileSystemStorage):
    """A file system storage that has no URL: nothing in it can be linked to."""

    def url(self, name):
        raise NotImplementedError("Private files have no URL: serve them with a download view")


def documents_storage():
    return storages[STORAGE_ALIAS]


def new_stored_name() -> str:
    """A random name under a folder per month (keeps folders small); no extension and
    nothing of the original name, so a stored name says nothing about its content."""
    return f"{timezone.now():%Y/%m}/{uuid.uuid4().hex}"


def store(data: bytes) -> str:
    """Save `data` under a new random name; return that name."""
    storage = documents_storage()
    name = new_stored_name()
    saved = storage.save(name, ContentFile(data))
    if saved != name:  # a clash of 128 random bits: never in practice, but never reuse
        storage.delete(saved)
        raise RuntimeError("Stored name clash")
    return saved


def read_stored(name: str) -> bytes:
    with documents_storage().open(name, "rb") as stored:
        return stored.read()


def delete_stored(name: str) -> None:
    documents_storage().delete(name)


def exists(name: str) -> bool:
    return documents_storage().exists(name)


@register()
def documents_storage_is_private(app_configs=None, **kwargs):
    """The documents directory must not be one that a static handler serves."""
    config = settings.STORAGES.get(STORAGE_ALIAS)
    if config is None:
        return [Error("STORAGES has no 'documents' storage", id="files.E001")]
    location = (config.get("OPTIONS") or {}).get("location")
    if location is None:
        return []  # not a file system storage (an object store)
    where = Path(location).resolve()
    served = [Path(path).resolve() for path in settings.STATICFILES_DIRS]
    for setting in ("STATIC_ROOT", "MEDIA_ROOT"):
        if getattr(settings, setting, None):
            served.append(Path(getattr(settings, setting)).resolve())
    for root in served:
        if where == root or where.is_relative_to(root) or root.is_relative_to(where):
            return [
                Error(
                    f"The documents storage ({where}) overlaps a served directory ({root})",
                    hint="Set DOCUMENTS_ROOT to a directory of its own",
                    id="files.E002",
                )
            ]
    return []
