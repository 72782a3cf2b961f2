"""Settings for the test suite: the development settings with a fast password hasher.

Argon2id (prevent_portal/settings.py, docs/security.md §8) is slow on purpose: about half
a second for each password set or checked on a busy 2-core machine, and most tests make a
user or sign one in. The tests that are about passwords hash with the real setting
(`tests/accounts/test_passwords.py`), and one test reads the production settings' hasher.
Nothing else differs from prevent_portal.settings
(`tests/accounts/test_passwords.py::test_the_test_settings_change_only_the_hasher`).
"""

from prevent_portal.settings import *  # noqa: F403

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
