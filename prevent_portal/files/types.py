"""What a file is, from its bytes alone: never from its name or the browser's claim.

libmagic (through python-magic) names the type; for the two container formats it
looks inside ourselves, because that is where the dangerous cases hide:

- ZIP (DOCX, XLSX, ODT): the archive must open, no entry may be encrypted, and the
  entries must be those of the format (libmagic decides from the first entries only);
- Compound File Binary, the OLE container (Outlook MSG, but also old Word and Excel,
  and every password-protected DOCX or XLSX, which Office saves as a CFB holding an
  "EncryptionInfo" stream): only an Outlook message is accepted.

See docs/adr/0006-stored-files.md for the choice of library and the allow-list.
"""

import io
import zipfile
import zlib
from dataclasses import dataclass

import magic

DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
ODT = "application/vnd.oasis.opendocument.text"
MSG = "application/vnd.ms-outlook"
EML = "message/rfc822"
PDF = "application/pdf"
PNG = "image/png"
JPEG = "image/jpeg"
TEXT = "text/plain"

CFB_SIGNATURE = bytes.fromhex("d0cf11e0a1b11ae1")
ZIP_SIGNATURE = b"PK\x03\x04"
# How much of a file libmagic is shown: its rules look at the start of a file.
MAGIC_BYTES = 1024 * 1024


@dataclass(frozen=True)
class FileKind:
    content_type: str
    label: str  # as a message names it: "a PDF"
    extensions: tuple[str, ...]  # the first is used when the portal names a file


# The allow-list: what may be uploaded anywhere in the portal.
ALLOWED: dict[str, FileKind] = {
    kind.content_type: kind
    for kind in (
        FileKind(PDF, "a PDF", (".pdf",)),
        FileKind(DOCX, "a Word document (DOCX)", (".docx",)),
        FileKind(XLSX, "an Excel spreadsheet (XLSX)", (".xlsx",)),
        FileKind(ODT, "an OpenDocument text (ODT)", (".odt",)),
        FileKind(PNG, "a PNG image", (".png",)),
        FileKind(JPEG, "a JPEG image", (".jpg", ".jpeg")),
        FileKind(TEXT, "a plain text file", (".txt",)),
        FileKind(EML, "an email (EML)", (".eml",)),
        FileKind(MSG, "an Outlook message (MSG)", (".msg",)),
    )
}
ALLOWED_EXTENSIONS = tuple(ext for kind in ALLOWED.values() for ext in kind.extensions)
ALLOWED_SUMMARY = "a PDF, DOCX, XLSX, ODT, PNG, JPEG, plain text, EML or MSG file"
# Markup that turns a "text" file into a web page when a browser opens it.
MARKUP = (b"<html", b"<script", b"<svg", b"<!doctype html", b"<iframe", b"<body")


class UnsupportedFile(ValueError):
    """The bytes are not one of the allowed types: the message is for the user."""


def _zip_kind(data: bytes, named: str) -> str:
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            entries = archive.infolist()
            names = {entry.filename for entry in entries}
            if any(entry.flag_bits & 0x1 for entry in entries):
                raise UnsupportedFile(
                    "The selected file is password-protected: remove the password and upload "
                    "it again"
                )
            mimetype = b""
            if "mimetype" in names:
                # Read no more than the format names, however large the entry claims to be.
                with archive.open("mimetype") as entry:
                    mimetype = entry.read(100).strip()
    except UnsupportedFile:
        raise
    except (
        zipfile.BadZipFile,
        zipfile.LargeZipFile,
        zlib.error,
        EOFError,
        KeyError,
        ValueError,
        NotImplementedError,
        RuntimeError,
    ) as error:
        raise UnsupportedFile("The selected file is damaged or is not a document") from error
    if "[Content_Types].xml" in names and "word/document.xml" in names:
        found = DOCX
    elif "[Content_Types].xml" in names and "xl/workbook.xml" in names:
        found = XLSX
    elif mimetype == ODT.encode() and "content.xml" in names:
        found = ODT
    else:
        raise UnsupportedFile(f"The selected file must be {ALLOWED_SUMMARY}, not a ZIP archive")
    if named in (DOCX, XLSX, ODT) and named != found:
        raise UnsupportedFile("The selected file is damaged or is not a document")
    return found


def _cfb_kind(data: bytes, named: str) -> str:
    # Directory entry names are UTF-16: an encrypted Office document has these streams.
    if named == "application/encrypted" or "EncryptionInfo".encode("utf-16-le") in data:
        raise UnsupportedFile(
            "The selected file is password-protected: remove the password and upload it again"
        )
    if named == MSG:
        return MSG
    raise UnsupportedFile(
        f"The selected file must be {ALLOWED_SUMMARY}: save older Word or Excel files "
        "as DOCX or XLSX first"
    )


def detect(data: bytes) -> FileKind:
    """The allowed kind of `data`, or UnsupportedFile with a message for the user."""
    named = magic.from_buffer(data[:MAGIC_BYTES], mime=True)
    if data.startswith(ZIP_SIGNATURE):
        content_type = _zip_kind(data, named)
    elif data.startswith(CFB_SIGNATURE):
        content_type = _cfb_kind(data, named)
    elif named in (DOCX, XLSX, ODT, MSG):
        # libmagic names a container only from its signature, checked above.
        raise UnsupportedFile("The selected file is damaged or is not a document")
    else:
        content_type = named
    if content_type == TEXT:
        head = data[:MAGIC_BYTES].lower()
        if any(tag in head for tag in MARKUP):
            raise UnsupportedFile(f"The selected file must be {ALLOWED_SUMMARY}, not a web page")
        try:
            data.decode("utf-8")
        except UnicodeDecodeError:
            try:
                data.decode("cp1252")
            except UnicodeDecodeError as error:
                raise UnsupportedFile("The selected text file must be saved as UTF-8") from error
    if content_type not in ALLOWED:
        what = {
            "text/html": "not a web page",
            "image/svg+xml": "not an SVG image",
            "application/zip": "not a ZIP archive",
            "application/x-dosexec": "not a program",
        }.get(content_type)
        raise UnsupportedFile(
            f"The selected file must be {ALLOWED_SUMMARY}" + (f", {what}" if what else "")
        )
    return ALLOWED[content_type]
