"""The language of the e-mails a person gets without a request (notifications, event notices,
report failures) and of their calendar feed: their own choice (accounts.User.language) first, else
what an app above knows of them (labs registers the language of the latest invitation they
accepted), else the platform's default.

    languages.register_fallback(fn)   # fn(user ids) -> {user id: language}; from AppConfig.ready()
"""

from collections.abc import Callable, Iterable

from django.conf import settings
from django.contrib.auth import get_user_model

_fallbacks: list[Callable[[set[int]], dict[int, str]]] = []


def register_fallback(fallback: Callable[[set[int]], dict[int, str]]) -> None:
    """Add a source of languages for people who chose none (registering it again is harmless)."""
    if fallback not in _fallbacks:
        _fallbacks.append(fallback)


def _supported() -> set[str]:
    return {code for code, _name in settings.LANGUAGES}


def mail_languages(users: Iterable) -> dict[int, str]:
    """Each person's (users or ids) e-mail language; every one of them gets an entry."""
    supported = _supported()
    chosen: dict[int, str] = {}
    ids: set[int] = set()
    loaded = []
    for user in users:
        if isinstance(user, int):
            ids.add(user)
        else:
            loaded.append(user)
    for user in loaded:
        chosen[user.pk] = user.language
    if ids - set(chosen):
        rows = get_user_model().objects.filter(pk__in=ids - set(chosen))
        chosen.update(rows.values_list("pk", "language"))
    languages = {pk: language for pk, language in chosen.items() if language in supported}
    missing = (ids | set(chosen)) - set(languages)
    for fallback in _fallbacks:
        if not missing:
            break
        for pk, language in fallback(set(missing)).items():
            if pk in missing and language in supported:
                languages[pk] = language
                missing.discard(pk)
    for pk in missing:
        languages[pk] = settings.LANGUAGE_CODE
    return languages


def mail_language(user) -> str:
    return mail_languages([user])[user.pk]
