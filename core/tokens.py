"""Secret tokens for links (invitations, survey links, open links, calendar feeds).

A token is derived from a per-object random salt and SECRET_KEY, so the page or the Celery task that
needs it again can rebuild it and it never has to be stored or sent through the broker; the
database keeps and looks up only its SHA-256. A new salt revokes the old token.
"""

import base64
import hashlib
import hmac

from django.conf import settings


def derive_digest(purpose: str, salt: str) -> bytes:
    """HMAC-SHA256 of `purpose:salt` under SECRET_KEY; callers choose how to spell it."""
    return hmac.new(settings.SECRET_KEY.encode(), f"{purpose}:{salt}".encode(), "sha256").digest()


def derive_urlsafe(purpose: str, salt: str) -> str:
    """The digest as unpadded URL-safe base64 (43 characters)."""
    return base64.urlsafe_b64encode(derive_digest(purpose, salt)).rstrip(b"=").decode()


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()
