"""Roles that an invitation grants but that live in an app above labs (the layers: DESIGN.md).

labs accepts the invitation and then asks the app that owns the role to grant it; the app
registers its granter in its AppConfig.ready(). A role without a registered granter is a
programming error and fails loudly instead of accepting an invitation that grants nothing.

    register(InvitationRole.TANDEM_MEMBER, granter)   # tandems/receivers.py
    granter(participation=..., user=...)              # inside the acceptance's transaction
"""

from collections.abc import Callable

_granters: dict[str, Callable] = {}


def register(role: str, granter: Callable) -> None:
    _granters[role] = granter


def grant(role: str, *, participation, user) -> None:
    try:
        granter = _granters[role]
    except KeyError:
        raise LookupError(f"no app grants the invitation role {role!r}") from None
    granter(participation=participation, user=user)
