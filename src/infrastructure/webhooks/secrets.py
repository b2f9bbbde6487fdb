"""Webhook signing secrets: made in the Standard Webhooks format, sealed at rest.

The dispatcher must sign with the secret itself, so it cannot be stored as a hash. It is
sealed with Fernet (AES-128-CBC + HMAC-SHA256, from `cryptography`) under a key derived
by HKDF from the JWT secret: a copy of the database alone does not reveal it. Rotating
the JWT secret therefore needs the webhooks registered again (docs/operations.md).
"""

from __future__ import annotations

import base64
import secrets

from cryptography.fernet import Fernet
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.kdf.hkdf import HKDF

from application.webhooks.ports import WebhookSecrets

_PREFIX = "whsec_"
_SECRET_BYTES = 32  # Standard Webhooks: between 24 and 64 random bytes


class WebhookSecretBox:
    def __init__(self, jwt_secret: str) -> None:
        key = HKDF(
            algorithm=hashes.SHA256(), length=32, salt=None, info=b"hourglass webhook secrets"
        ).derive(jwt_secret.encode())
        self._fernet = Fernet(base64.urlsafe_b64encode(key))

    def new_secret(self) -> str:
        return _PREFIX + base64.b64encode(secrets.token_bytes(_SECRET_BYTES)).decode()

    def seal(self, secret: str) -> str:
        return self._fernet.encrypt(secret.encode()).decode()

    def open(self, sealed: str) -> str:
        return self._fernet.decrypt(sealed.encode()).decode()


_: type[WebhookSecrets] = WebhookSecretBox
