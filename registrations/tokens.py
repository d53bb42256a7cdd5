"""Capability tokens for management links and personal feeds.

A token is the registration's public id (32 hex characters) followed by a secret of 192 random
bits. The id finds the row; the secret is then compared in constant time, so response timing
says nothing about how much of a guess was right. Rotating the secret revokes every old link.
"""

import hmac
import secrets
import uuid

SECRET_BYTES = 24  # 192 bits, above the 128 the brief asks of every capability link
ID_LENGTH = 32


def new_secret() -> str:
    return secrets.token_urlsafe(SECRET_BYTES)


def make_token(public_id: uuid.UUID, secret: str) -> str:
    return f"{public_id.hex}{secret}"


def split_token(token: str) -> tuple[uuid.UUID, str] | None:
    """The (public id, secret) in ``token``, or None when it cannot be one of ours."""
    if len(token) <= ID_LENGTH or len(token) > 200:
        return None
    try:
        public_id = uuid.UUID(hex=token[:ID_LENGTH])
    except ValueError:
        return None
    return public_id, token[ID_LENGTH:]


def secrets_match(given: str, stored: str) -> bool:
    return hmac.compare_digest(given.encode(), stored.encode())
