"""A NUL byte anywhere in an upload is refused as "not a CSV" (docs/security.md §21): past the
first 4KB it used to reach PostgreSQL, which cannot store it, and fail with a 500."""

import pytest

from prevent_portal.ui.uploads import UploadError, read_csv


@pytest.mark.parametrize("at", [0, 10, 4096, 9000])
def test_a_nul_byte_anywhere_is_refused(at):
    data = b"reference,description\n" + b"1," + b"x" * at + b"\x00tail\n"
    with pytest.raises(UploadError, match="must be a CSV"):
        read_csv(data, required={"reference", "description"})
