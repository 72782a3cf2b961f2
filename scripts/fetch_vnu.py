"""Fetch the W3C Nu HTML checker (vnu.jar) for the tests, without Node.

The checker is published on the npm registry as `vnu-jar`; the package is a tarball that
holds the jar. This script downloads the pinned version's tarball, checks it against the
registry's published SHA-512 integrity value (pinned here too, so a changed file on the
registry is refused), and writes `build/dist/vnu.jar` from it to the path given.

Usage: python scripts/fetch_vnu.py .venv/vnu.jar
"""

import base64
import hashlib
import io
import sys
import tarfile
import urllib.request
from pathlib import Path

VERSION = "26.9.27"
TARBALL = f"https://registry.npmjs.org/vnu-jar/-/vnu-jar-{VERSION}.tgz"
INTEGRITY = "sha512-TkQd5DFfOaWC9ebtvozTsrH2Vaod3jYg+vrOeREzIXxBexLz9+rS2DNtjn7+RPUiZhgli0SghgBX6RJRNea0KA=="  # noqa: E501
MEMBER = "package/build/dist/vnu.jar"


def main(target: str) -> int:
    destination = Path(target)
    if destination.is_file():
        return 0
    with urllib.request.urlopen(TARBALL, timeout=120) as response:  # noqa: S310 (fixed https URL)
        data = response.read()
    digest = "sha512-" + base64.b64encode(hashlib.sha512(data).digest()).decode()
    if digest != INTEGRITY:
        print(
            f"vnu-jar {VERSION}: the download does not match the pinned integrity", file=sys.stderr
        )
        return 1
    with tarfile.open(fileobj=io.BytesIO(data), mode="r:gz") as archive:
        jar = archive.extractfile(MEMBER)
        if jar is None:
            print(f"vnu-jar {VERSION}: {MEMBER} is missing from the package", file=sys.stderr)
            return 1
        destination.parent.mkdir(parents=True, exist_ok=True)
        partial = destination.with_suffix(".part")
        partial.write_bytes(jar.read())
        partial.replace(destination)
    print(f"Fetched the Nu HTML checker {VERSION} to {destination}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1] if len(sys.argv) > 1 else ".venv/vnu.jar"))
