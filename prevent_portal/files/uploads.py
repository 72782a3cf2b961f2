"""Checking an uploaded file before anything of it is kept.

    checked = check_upload(form.cleaned_data["file"])   # FileRefused with a message
    stored_name = store(checked)                        # prevent_portal.files.storage

Order matters: the name and the size are checked first (the size from
`UploadedFile.size`, which Django knows before anything is read), then the bytes are
read once and their type decided from them (`types.detect`).
"""

import hashlib
import unicodedata
from dataclasses import dataclass
from pathlib import PurePosixPath

from django.conf import settings

from prevent_portal.files.types import ALLOWED_SUMMARY, FileKind, UnsupportedFile, detect

# A limit is said the one way every upload page says it (GOV.UK: "smaller than 20MB").
from prevent_portal.ui.uploads import size_label as limit_label

DEFAULT_MAX_BYTES = 20 * 1024 * 1024
MAX_NAME_LENGTH = 200
# Names Windows keeps for devices: a file saved under one cannot be opened there.
RESERVED_NAMES = {"con", "prn", "aux", "nul", *(f"com{n}" for n in range(1, 10))} | {
    f"lpt{n}" for n in range(1, 10)
}


class FileRefused(ValueError):
    """The file cannot be kept: the message is shown to the user as it is."""


@dataclass(frozen=True)
class CheckedFile:
    data: bytes
    kind: FileKind
    original_name: str
    size: int
    sha256: str

    @property
    def content_type(self) -> str:
        return self.kind.content_type


def max_upload_bytes() -> int:
    return int(getattr(settings, "DOCUMENT_MAX_UPLOAD_BYTES", DEFAULT_MAX_BYTES))


def size_label(size: int) -> str:
    """3.4 MB, 120 KB, 800 bytes."""
    if size >= 1024 * 1024:
        return f"{size / (1024 * 1024):.1f} MB".replace(".0 MB", " MB")
    if size >= 1024:
        return f"{round(size / 1024)} KB"
    return f"{size} byte{'s' if size != 1 else ''}"


def check_name(name: str) -> str:
    """The file's name as it will be kept, or FileRefused.

    Django's upload parser already drops path components and unprintable characters
    from names typed by a browser; this check is the kit's own, for every route a file
    may take (a command, the demo), and refuses rather than repairs."""
    name = (name or "").strip()
    if not name:
        raise FileRefused("The selected file must have a name")
    if "/" in name or "\\" in name or name in (".", "..") or ".." in PurePosixPath(name).parts:
        raise FileRefused("The file's name must not contain / or \\: rename the file")
    # Control characters (Cc) and invisible format characters (Cf, among them the
    # right-to-left override that makes "letter\u202efdp.exe" look like a PDF).
    if any(unicodedata.category(char) in ("Cc", "Cf", "Cs", "Co", "Cn") for char in name):
        raise FileRefused("The file's name must not contain control characters: rename the file")
    if len(name) > MAX_NAME_LENGTH:
        raise FileRefused(f"The file's name must be {MAX_NAME_LENGTH} characters or fewer")
    stem = name.split(".")[0].lower()
    if stem in RESERVED_NAMES or name.startswith("."):
        raise FileRefused("Rename the file: its name cannot be used")
    return name


def check_upload(upload, *, max_bytes: int | None = None) -> CheckedFile:
    """Check an UploadedFile (or anything with .name, .size and .read()/.chunks())."""
    limit = max_upload_bytes() if max_bytes is None else max_bytes
    name = check_name(getattr(upload, "name", ""))
    size = getattr(upload, "size", None)
    if size is None:
        raise FileRefused("Select a file")
    if size > limit:
        raise FileRefused(f"The selected file must be smaller than {limit_label(limit)}")
    if size == 0:
        raise FileRefused("The selected file is empty")
    data = b"".join(upload.chunks()) if hasattr(upload, "chunks") else upload.read()
    # The size Django was told may be wrong; the bytes are what counts.
    if len(data) > limit:
        raise FileRefused(f"The selected file must be smaller than {limit_label(limit)}")
    if not data:
        raise FileRefused("The selected file is empty")
    try:
        kind = detect(data)
    except UnsupportedFile as error:
        raise FileRefused(str(error)) from error
    extension = PurePosixPath(name).suffix.lower()
    if extension not in kind.extensions:
        expected = " or ".join(kind.extensions)
        raise FileRefused(
            f"The selected file is {kind.label}, but its name ends in "
            f"“{extension}”: rename it to end in {expected}"
            if extension
            else f"The file's name must end in {expected}; files may be {ALLOWED_SUMMARY}"
        )
    return CheckedFile(
        data=data,
        kind=kind,
        original_name=name,
        size=len(data),
        sha256=hashlib.sha256(data).hexdigest(),
    )
