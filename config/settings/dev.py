"""Development: the embedded default that `make run` serves (SQLite, filesystem broker)."""

import secrets

from .base import *  # noqa: F403
from .base import VAR_DIR, env

# Off unless DEBUG=true: a newcomer running `make run` sees the site's own error pages (not
# Django's debug 404 with the URL list), and static files come from WhiteNoise as in production.
DEBUG = env.bool("DEBUG", default=False)


def _development_secret_key() -> str:
    """Return the key kept under var/, creating it on first use, so sessions survive restarts."""
    key_file = VAR_DIR / "secret_key"
    if not key_file.exists():
        VAR_DIR.mkdir(parents=True, exist_ok=True)
        key_file.write_text(secrets.token_urlsafe(50))
        key_file.chmod(0o600)
    return key_file.read_text().strip()


SECRET_KEY = env.str("SECRET_KEY", default="") or _development_secret_key()
