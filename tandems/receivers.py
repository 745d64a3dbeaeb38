"""What tandems does when labs announces something (labs/signals.py) or asks for a role it
owns (labs/role_grants.py); connected in TandemsConfig.ready()."""

from labs import role_grants
from labs.models import InvitationRole
from labs.signals import participation_admitted

from . import services


def create_tandem(sender, participation, **kwargs) -> None:
    services.tandem_create(participation=participation)


def connect() -> None:
    participation_admitted.connect(create_tandem, dispatch_uid="tandems_create_tandem")
    # an accepted tandem invitation makes its account a member of the municipality's tandem
    role_grants.register(InvitationRole.TANDEM_MEMBER, services.tandem_member_add)
