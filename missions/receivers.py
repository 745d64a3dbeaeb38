"""What missions does when labs announces something (labs/signals.py); connected in
MissionsConfig.ready()."""

from labs.signals import participation_admitted

from . import services


def create_mission_profile(sender, participation, **kwargs) -> None:
    services.profile_create(participation=participation)


def connect() -> None:
    participation_admitted.connect(create_mission_profile, dispatch_uid="missions_create_profile")
