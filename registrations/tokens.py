"""Capability tokens for management links and personal feeds.

A token is the registration's public id (32 hex characters) followed by a secret of 192 random
bits. The id finds the row; the secret is then compared in constant time, so response timing
says nothing about how much of a guess was right. Rotating the secret revokes every old link.
"""

import hmac
import re
import secrets
import uuid

SECRET_BYTES = 24  # 192 bits, above the 128 the brief asks of every capability link
ID_LENGTH = 32
# The one form a token is written in: the id in lower-case hex, the secret in URL-safe
# base64 without padding (``secrets.token_urlsafe``). Any other spelling (upper-case hex,
# a padded or shortened secret) is not a token, even where it would decode to one.
SECRET_LENGTH = len(secrets.token_urlsafe(SECRET_BYTES))
_CANONICAL = re.compile(rf"[0-9a-f]{{{ID_LENGTH}}}[A-Za-z0-9_-]{{{SECRET_LENGTH}}}")
# Compared against when no row has the token's id, so that an unknown id costs the same
# comparison as a known one.
UNKNOWN_SECRET = secrets.token_urlsafe(SECRET_BYTES)


def new_secret() -> str:
    return secrets.token_urlsafe(SECRET_BYTES)


def make_token(public_id: uuid.UUID, secret: str) -> str:
    return f"{public_id.hex}{secret}"


def split_token(token: str) -> tuple[uuid.UUID, str] | None:
    """The (public id, secret) in ``token``, or None unless it is written as ours are."""
    if not _CANONICAL.fullmatch(token):
        return None
    return uuid.UUID(hex=token[:ID_LENGTH]), token[ID_LENGTH:]


def secrets_match(given: str, stored: str) -> bool:
    return hmac.compare_digest(given.encode(), stored.encode())
