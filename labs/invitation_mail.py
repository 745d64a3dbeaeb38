"""The invitation e-mail and the link token in it. Apart from services.py so that the e-mail task
(tasks.py) imports this module and services.py imports the task: each import goes one way."""

from django.core.mail import send_mail
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _

from core.tokens import derive_urlsafe

from .models import Invitation


def invitation_token(invitation: Invitation) -> str:
    return derive_urlsafe("invitation", invitation.token_salt)


def invitation_send(*, invitation_id: int, base_url: str) -> bool:
    """E-mail the invitation link, in the language it was written in; False if it is no longer
    pending (accepted or revoked meanwhile), so a retried task sends nothing."""
    invitation = (
        Invitation.objects.select_related(
            "lab", "participation__municipality", "participation__cohort", "invited_by"
        )
        .filter(pk=invitation_id)
        .first()
    )
    if invitation is None or not invitation.is_pending:
        return False
    link = base_url + reverse("invitation_accept", args=[invitation_token(invitation)])
    with translation.override(invitation.language):
        context = {"invitation": invitation, "link": link}
        subject = _("Invitation to %(lab)s") % {"lab": invitation.lab.name}
        body = render_to_string("labs/email/invitation.txt", context)
    send_mail(subject, body, None, [invitation.email])
    return True
