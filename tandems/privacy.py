"""The tandems' part of a person's data export (the protocol: accounts/privacy.py)."""

from accounts.privacy import register_section, rows

from .models import TandemMember


def _tandem_memberships(user) -> list[dict]:
    return rows(
        TandemMember.objects.filter(user=user).order_by("pk"),
        [
            "tandem__participation__cohort__lab__name",
            "tandem__participation__cohort__name",
            "tandem__participation__municipality__name",
            "department",
            "function",
            "created_at",
        ],
    )


def register() -> None:
    register_section(
        "tandem_memberships",
        export=_tandem_memberships,
        fields=[("tandems.TandemMember", "user")],
    )
