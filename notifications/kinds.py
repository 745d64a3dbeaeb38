"""The registry of notification kinds. An app that tells people about something registers its kinds
from its AppConfig.ready():

    kinds.register(Kind(key="profile-submitted", label=_("…"), text=lambda p: _("…") % p))

A notification stores its kind's key and the parameters (the subject's words at the moment it
happened); the text is written when it is shown or mailed, in the reader's language. A kind that
is not registered is refused when a notification is created.

A kind may write its own e-mail (`mail`: e.g. an event notice with the event's details and its
calendar file): called in the recipient's language when the notification is mailed right away;
the daily summary lists its text and carries its attachments. Without `mail` (or when it returns
None, e.g. the subject is gone) the platform's plain notification mail goes out.
"""

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.utils.translation import gettext as _


class UnknownKind(ValueError):
    """notify() was called with a kind nobody registered."""


@dataclass(frozen=True)
class Mail:
    """The e-mail a kind writes itself, in the active language."""

    subject: str
    text: str
    html: str
    # attachment name → MIME part (email.message.MIMEPart); the daily summary keeps one per name,
    # the newest notification's (e.g. an event's current calendar entry)
    attachments: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class Kind:
    key: str
    label: str  # what this kind of notification is about (lazy text), e.g. for settings
    text: Callable[[dict], str]  # the sentence, in the active language, from the parameters
    # the kind's own e-mail from the parameters and the recipient (see the module's docstring)
    mail: Callable[[dict, Any], Mail | None] | None = None


_KINDS: dict[str, Kind] = {}


def register(kind: Kind) -> None:
    """Add a kind (registering the same key again replaces it: reloading is harmless)."""
    _KINDS[kind.key] = kind


def get(key: str) -> Kind:
    try:
        return _KINDS[key]
    except KeyError:
        raise UnknownKind(key) from None


def registered() -> list[Kind]:
    return list(_KINDS.values())


def mail_of(kind_key: str, params: dict, recipient) -> Mail | None:
    """The kind's own e-mail, or None for the plain notification mail."""
    kind = _KINDS.get(kind_key)
    if kind is None or kind.mail is None:
        return None
    return kind.mail(params, recipient)


def text_of(kind_key: str, params: dict) -> str:
    """The notification's sentence in the active language; a kind whose app is gone, or
    parameters that no longer fit, still give a readable line."""
    kind = _KINDS.get(kind_key)
    if kind is not None:
        try:
            return str(kind.text(params))
        except (KeyError, TypeError, ValueError):
            pass
    return _("Something happened that concerns you.")
