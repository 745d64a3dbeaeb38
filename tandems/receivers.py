"""What tandems does when labs announces something (labs/signals.py); connected in
TandemsConfig.ready()."""

from labs.signals import participation_admitted

from . import services


def create_tandem(sender, participation, **kwargs) -> None:
    services.tandem_create(participation=participation)


def connect() -> None:
    participation_admitted.connect(create_tandem, dispatch_uid="tandems_create_tandem")
