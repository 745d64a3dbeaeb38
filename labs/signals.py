"""What labs announces so that the apps above it add their own rows, without labs importing them
(the layers: DESIGN.md). Receivers connect in their AppConfig.ready().

participation_admitted(sender=Participation, participation=...)
    Sent by services.participation_set_up, inside the admission's transaction (a receiver that
    fails undoes the admission), once per participation: when a coordinator admits a
    municipality (services.participation_admit) and when one is added in Django's admin.
    tandems creates the (empty) tandem, missions the (empty) mission profile. Participations
    admitted before this existed got theirs from the data migrations
    tandems/0002_tandem_for_every_participation and missions/0002_profile_for_every_participation.
"""

from django.dispatch import Signal

participation_admitted = Signal()
