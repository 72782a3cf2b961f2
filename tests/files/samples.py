"""Small files of every kind, made in code (no binaries in the repository)."""

import functools
import io
import struct
import zipfile

FREE, END, FAT_SECTOR, NO_STREAM = 0xFFFFFFFF, 0xFFFFFFFE, 0xFFFFFFFD, 0xFFFFFFFF
# The class id of an Outlook message's root storage.
OUTLOOK_MESSAGE = bytes.fromhex("0b0d020000000000c000000000000046")


@functools.cache  # WeasyPrint takes a moment: the URL walks make many of these
def pdf_bytes(text: str = "Invented referral form") -> bytes:
    from weasyprint import HTML

    return HTML(string=f"<p>{text}</p>").write_pdf()


@functools.cache
def docx_bytes(text: str = "Invented provider report") -> bytes:
    from docx import Document

    document = Document()
    document.add_paragraph(text)
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def xlsx_bytes() -> bytes:
    from openpyxl import Workbook

    book = Workbook()
    book.active["A1"] = "Invented"
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def odt_bytes() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        # First and uncompressed, as the format requires.
        archive.writestr(zipfile.ZipInfo("mimetype"), "application/vnd.oasis.opendocument.text")
        archive.writestr("content.xml", '<?xml version="1.0"?><office:document-content/>')
        archive.writestr("META-INF/manifest.xml", '<?xml version="1.0"?><manifest/>')
    return buffer.getvalue()


def zip_bytes(entries: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in entries.items():
            archive.writestr(name, data)
    return buffer.getvalue()


def encrypted_zip(data: bytes) -> bytes:
    """A ZIP whose every entry claims to be encrypted (general purpose flag bit 0), as a
    password-protected archive renamed .docx is."""
    raw = bytearray(data)
    for signature, offset in ((b"PK\x03\x04", 6), (b"PK\x01\x02", 8)):
        start = 0
        while (found := raw.find(signature, start)) != -1:
            flags = struct.unpack_from("<H", raw, found + offset)[0]
            struct.pack_into("<H", raw, found + offset, flags | 0x1)
            start = found + 4
    return bytes(raw)


PNG = bytes.fromhex(
    "89504e470d0a1a0a0000000d49484452000000010000000108060000001f15c489"
    "0000000d4944415478da63f8cfc0f01f0005000201e0f8fa6e0000000049454e44ae426082"
)
JPEG = bytes.fromhex("ffd8ffe000104a46494600010100000100010000ffdb0043") + bytes(65) + b"\xff\xd9"
TEXT = "Notes of an invented phone call.\nSecond line, café.\n".encode()
EML = (
    b"From: invented.sender@example.invalid\r\nTo: team@example.invalid\r\n"
    b"Subject: Invented referral\r\nDate: Mon, 2 Mar 2026 10:00:00 +0000\r\n"
    b"MIME-Version: 1.0\r\n\r\nAn invented email body.\r\n"
)
HTML = b"<!DOCTYPE html><html><body><script>alert(document.cookie)</script></body></html>"
SVG = b'<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>'


def compound_file(streams: dict[str, bytes], *, root_class: bytes = bytes(16)) -> bytes:
    """A minimal Compound File Binary (OLE2) container, version 3, with the given streams
    (each padded to at least 4096 bytes, so no mini stream is needed)."""
    sector = 512
    names = list(streams)
    datas = [streams[name].ljust(4096, b"\0") for name in names]
    fat = [FAT_SECTOR, END]  # sector 0 holds the FAT, sector 1 the directory
    starts = []
    for data in datas:
        count = -(-len(data) // sector)
        first = len(fat)
        starts.append(first)
        fat += [first + i + 1 for i in range(count - 1)] + [END]
    assert len(fat) <= sector // 4
    fat += [FREE] * (sector // 4 - len(fat))

    def entry(name, kind, child=NO_STREAM, right=NO_STREAM, start=END, size=0, clsid=bytes(16)):
        encoded = (name + "\0").encode("utf-16-le")
        return (
            encoded.ljust(64, b"\0")
            + struct.pack("<HBB", len(encoded), kind, 1)
            + struct.pack("<III", NO_STREAM, right, child)
            + clsid
            + bytes(4 + 16)
            + struct.pack("<IQ", start, size)
        )

    directory = entry("Root Entry", 5, child=1 if names else NO_STREAM, clsid=root_class)
    for number, (name, data) in enumerate(zip(names, datas, strict=True), start=1):
        right = number + 1 if number < len(names) else NO_STREAM
        directory += entry(name, 2, right=right, start=starts[number - 1], size=len(data))
    directory = directory.ljust(sector, b"\0")
    header = (
        bytes.fromhex("d0cf11e0a1b11ae1")
        + bytes(16)
        + struct.pack("<HHHHH", 0x3E, 3, 0xFFFE, 9, 6)
        + bytes(6)
        + struct.pack("<IIIIIIIII", 0, 1, 1, 0, 4096, END, 0, END, 0)
        + struct.pack("<I", 0)
        + struct.pack("<108I", *([FREE] * 108))
    )
    assert len(header) == sector
    body = struct.pack(f"<{sector // 4}I", *fat) + directory + b"".join(datas)
    return header + body


def encrypted_docx() -> bytes:
    """What Office saves for a password-protected DOCX: a compound file, not a ZIP."""
    return compound_file(
        {
            "EncryptionInfo": b"\x04\x00\x04\x00\x40\x00\x00\x00" + bytes(64),
            "EncryptedPackage": bytes(range(256)) * 16,
        }
    )


def outlook_message() -> bytes:
    return compound_file(
        {
            "__properties_version1.0": bytes(64),
            "__substg1.0_0037001F": "Invented subject".encode("utf-16-le"),
        },
        root_class=OUTLOOK_MESSAGE,
    )


def old_word_document() -> bytes:
    return compound_file({"WordDocument": bytes(512)})
