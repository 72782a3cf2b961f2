"""Files that staff upload and download: the one kit every feature uses.

- `types`: what a file is, decided from its bytes (libmagic through python-magic), and
  the allow-list of the portal (docs/adr/0006-stored-files.md).
- `uploads`: `check_upload`, which refuses anything not on the allow-list, empty or too
  large (checked before the file is read), encrypted, or with a dangerous name.
- `storage`: the private "documents" storage (Django STORAGES), random stored names.
- `responses`: the download response (attachment, stored type, nosniff, no-store).

Nothing here knows who may see a file: the feature that owns the file checks that.
"""
