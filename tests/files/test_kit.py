"""The file kit (prevent_portal/files): type from the bytes, the allow-list, size and
name checks, private storage, the download response (docs/security.md §20)."""

import pytest
from django.core.checks import Error
from django.core.files.uploadedfile import SimpleUploadedFile

from prevent_portal.files import storage, types
from prevent_portal.files.responses import download_response, safe_filename
from prevent_portal.files.uploads import FileRefused, check_name, check_upload
from tests.files import samples


def upload(name, data, claimed="application/pdf"):
    # The browser's claim is always "application/pdf" here: it must never count.
    return SimpleUploadedFile(name, data, content_type=claimed)


ACCEPTED = [
    ("form.pdf", samples.pdf_bytes, types.PDF),
    ("report.docx", samples.docx_bytes, types.DOCX),
    ("figures.xlsx", samples.xlsx_bytes, types.XLSX),
    ("notes.odt", samples.odt_bytes, types.ODT),
    ("photo.png", lambda: samples.PNG, types.PNG),
    ("photo.jpg", lambda: samples.JPEG, types.JPEG),
    ("photo.JPEG", lambda: samples.JPEG, types.JPEG),
    ("call.txt", lambda: samples.TEXT, types.TEXT),
    ("email.eml", lambda: samples.EML, types.EML),
    ("email.msg", samples.outlook_message, types.MSG),
]


@pytest.mark.parametrize(("name", "make", "expected"), ACCEPTED)
def test_each_allowed_kind_is_accepted_with_the_type_of_its_bytes(name, make, expected):
    data = make()
    checked = check_upload(upload(name, data))
    assert checked.content_type == expected
    assert checked.original_name == name
    assert checked.size == len(data)
    assert checked.data == data
    assert len(checked.sha256) == 64


REFUSED = [
    ("an HTML page renamed .pdf", "letter.pdf", lambda: samples.HTML, "not a web page"),
    ("an SVG renamed .pdf", "letter.pdf", lambda: samples.SVG, "not an SVG image"),
    ("HTML renamed .txt", "notes.txt", lambda: b"Hello\n<script>alert(1)</script>", "web page"),
    (
        "an encrypted ZIP as DOCX",
        "report.docx",
        lambda: samples.encrypted_zip(samples.docx_bytes()),
        "password-protected",
    ),
    (
        "a password-protected DOCX (a compound file)",
        "report.docx",
        samples.encrypted_docx,
        "password-protected",
    ),
    ("an old Word document", "report.doc", samples.old_word_document, "save older Word"),
    ("a plain ZIP renamed .docx", "report.docx", lambda: samples.zip_bytes({"a.txt": b"x"}), "ZIP"),
    ("a damaged DOCX", "report.docx", lambda: samples.docx_bytes()[:300], "damaged"),
    ("a PNG named .pdf", "form.pdf", lambda: samples.PNG, "rename it to end in .png"),
    ("a PDF without an extension", "form", samples.pdf_bytes, "must end in .pdf"),
    ("a program", "tool.pdf", lambda: b"MZ\x90\x00" + bytes(200), "must be a PDF"),
]


@pytest.mark.parametrize(("what", "name", "make", "message"), REFUSED, ids=[r[0] for r in REFUSED])
def test_it_refuses_what_is_not_on_the_allow_list(what, name, make, message):
    with pytest.raises(FileRefused) as refused:
        check_upload(upload(name, make()))
    assert message in str(refused.value)


def test_an_empty_file_is_refused():
    with pytest.raises(FileRefused, match="The selected file is empty"):
        check_upload(upload("form.pdf", b""))


class RawUpload:
    """A file with its name exactly as given (Django's UploadedFile would cut a path
    down to its last part): what reaches the kit from a command or another route."""

    def __init__(self, name, data):
        self.name, self.size, self.data = name, len(data), data

    def read(self):
        return self.data


class NeverRead:
    """An upload that says it is large and fails the test if it is ever read."""

    name = "huge.pdf"
    size = 20 * 1024 * 1024 + 1

    def chunks(self):
        raise AssertionError("the file was read before its size was checked")

    read = chunks


def test_the_size_is_checked_before_the_file_is_read(settings):
    settings.DOCUMENT_MAX_UPLOAD_BYTES = 20 * 1024 * 1024
    with pytest.raises(FileRefused, match="must be smaller than 20MB"):
        check_upload(NeverRead())


def test_the_limit_is_a_setting(settings):
    settings.DOCUMENT_MAX_UPLOAD_BYTES = 1024
    data = samples.pdf_bytes("x" * 3000)
    assert len(data) > 1024
    with pytest.raises(FileRefused, match="smaller than 1KB"):
        check_upload(upload("form.pdf", data))


def test_a_file_larger_than_it_claimed_is_refused(settings):
    settings.DOCUMENT_MAX_UPLOAD_BYTES = 1024
    lying = upload("form.pdf", samples.TEXT * 100)
    lying.size = 10
    with pytest.raises(FileRefused, match="smaller than"):
        check_upload(lying)


@pytest.mark.parametrize(
    "name",
    [
        "../../etc/passwd.pdf",
        "..\\..\\windows\\form.pdf",
        "folder/form.pdf",
        "..",
        "form\x00.pdf",
        "form\n.pdf",
        "form\x1b[31m.pdf",
        "letter\u202efdp.txt",  # right-to-left override: shows as "letter.txt.pdf"-like
        "con.pdf",
        ".hidden.pdf",
        "x" * 201 + ".pdf",
        "   ",
    ],
)
def test_names_with_path_separators_or_control_characters_are_refused(name):
    with pytest.raises(FileRefused):
        check_name(name)
    with pytest.raises(FileRefused):
        check_upload(RawUpload(name, samples.pdf_bytes()))


def test_ordinary_names_pass():
    assert check_name("  Référral form (2) – signed.pdf ") == "Référral form (2) – signed.pdf"


def test_stored_names_are_random_and_say_nothing_of_the_file(documents_location):
    first = storage.store(b"one")
    second = storage.store(b"one")
    assert first != second
    assert "." not in first.rsplit("/", 1)[-1]
    assert (documents_location / first).read_bytes() == b"one"
    assert storage.read_stored(first) == b"one"
    storage.delete_stored(first)
    assert not storage.exists(first)
    assert storage.exists(second)


def test_the_private_storage_has_no_url():
    with pytest.raises(NotImplementedError):
        storage.documents_storage().url("2026/03/abc")


def test_the_documents_folder_must_not_be_a_served_folder(settings, tmp_path):
    assert storage.documents_storage_is_private() == []
    settings.STATIC_ROOT = tmp_path
    settings.STORAGES = {
        **settings.STORAGES,
        "documents": {
            "BACKEND": "prevent_portal.files.storage.PrivateFileSystemStorage",
            "OPTIONS": {"location": tmp_path / "documents"},
        },
    }
    problems = storage.documents_storage_is_private()
    assert [problem.id for problem in problems] == ["files.E002"]
    assert isinstance(problems[0], Error)


def test_by_default_the_documents_folder_is_outside_the_static_files():
    from prevent_portal import settings as defaults

    root = defaults.DOCUMENTS_ROOT.resolve()
    assert not root.is_relative_to(defaults.STATIC_ROOT.resolve())
    for folder in defaults.STATICFILES_DIRS:
        assert not root.is_relative_to(folder.resolve())
    ignored = (defaults.BASE_DIR / ".gitignore").read_text().split()
    assert f"/{root.name}/" in ignored


def test_the_download_response_is_an_attachment_that_no_browser_sniffs_or_caches():
    response = download_response(
        b"%PDF-1.7", filename='../Form "signed"\r\n.pdf', content_type="application/pdf"
    )
    assert response["Content-Type"] == "application/pdf"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert "no-store" in response["Cache-Control"]
    disposition = response["Content-Disposition"]
    assert disposition.startswith("attachment;")
    assert "\r" not in disposition and "\n" not in disposition
    assert "/" not in disposition.split("filename", 1)[1]
    assert "sandbox" in response["Content-Security-Policy"]


@pytest.mark.parametrize(
    ("name", "safe"),
    [
        ("Form.pdf", "Form.pdf"),
        ("../../x.pdf", "x.pdf"),
        ('a"b<c>.pdf', "abc.pdf"),
        ("\u202eevil.pdf", "evil.pdf"),
        ("", "document"),
        ("Référral.pdf", "Référral.pdf"),
    ],
)
def test_safe_filename(name, safe):
    assert safe_filename(name) == safe


def test_a_long_name_keeps_its_extension():
    assert safe_filename("x" * 300 + ".docx").endswith(".docx")
    assert len(safe_filename("x" * 300 + ".docx")) == 150
