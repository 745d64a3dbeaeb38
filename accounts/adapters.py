from allauth.account.adapter import DefaultAccountAdapter
from django.http import HttpRequest


class AccountAdapter(DefaultAccountAdapter):
    """The platform is invitation-only: accounts come from accepted invitations."""

    def is_open_for_signup(self, request: HttpRequest) -> bool:
        return False
