"""The event objects the permission matrix requests: a workshop of lab X for kohorte-1."""

import datetime as dt

from django.utils import timezone

from events.models import Event, EventRegistration, EventType, RegistrationStatus


def workshop(world, coordinator, **extra) -> Event:
    """A three-hour kick-off workshop of lab X for kohorte-1, a week from now."""
    start = timezone.now() + dt.timedelta(days=7)
    event = Event.objects.create(
        lab=world["lab_x"],
        type=EventType.objects.get(lab=None, code="kickoff"),
        title="Auftaktworkshop",
        starts_at=start,
        ends_at=start + dt.timedelta(hours=3),
        created_by=coordinator,
        **extra,
    )
    event.cohorts.add(world["cohort_x"])
    return event


def event_url_kwargs(world, coordinator, tandem_a, tandem_b) -> dict:
    event = workshop(world, coordinator, capacity=20)
    EventRegistration.objects.create(
        event=event,
        user=tandem_a,
        participation=world["participation_a"],
        status=RegistrationStatus.REGISTERED,
    )
    EventRegistration.objects.create(
        event=event, user=tandem_b, participation=world["participation_b"]
    )
    from events import ics  # tandem A's private calendar feed

    feed_token = ics.feed_token(ics.calendar_feed_create(user=tandem_a))
    from events import uploads  # one small PDF, stored through the service
    from tests.pdf import pdf_upload

    material = uploads.event_material_create(
        event=event, upload=pdf_upload("Ablauf.pdf", "Ablauf"), user=coordinator
    )
    return {"event_id": event.pk, "feed_token": feed_token, "material_id": material.pk}
