"""Message storage whose cookie is Secure when it is deleted, too.

Django's CookieStorage sets the `messages` cookie with `SESSION_COOKIE_SECURE` but deletes it
with `HttpResponse.delete_cookie`, which adds Secure only to `__Host-`/`__Secure-` names. In
production every Set-Cookie the platform sends carries Secure (tests/test_headers.py).
"""

from django.conf import settings
from django.contrib.messages.storage.cookie import CookieStorage
from django.contrib.messages.storage.fallback import FallbackStorage
from django.contrib.messages.storage.session import SessionStorage


class SecureCookieStorage(CookieStorage):
    def _update_cookie(self, encoded_data, response):
        super()._update_cookie(encoded_data, response)
        if not encoded_data and settings.SESSION_COOKIE_SECURE:
            response.cookies[self.cookie_name]["secure"] = True
            response.cookies[self.cookie_name]["httponly"] = settings.SESSION_COOKIE_HTTPONLY


class SecureFallbackStorage(FallbackStorage):
    """Django's default (cookie, then session for what does not fit) with the cookie above."""

    storage_classes = (SecureCookieStorage, SessionStorage)
