"""Events' part of a person's data export (the protocol: accounts/privacy.py): registrations,
events created, materials uploaded and whether the person has a calendar address."""

from accounts.privacy import register_section, rows, value

from .models import CalendarFeed, Event, EventMaterial, EventRegistration


def _event_registrations(user) -> list[dict]:
    return rows(
        EventRegistration.objects.filter(user=user).order_by("event__starts_at", "pk"),
        [
            "event__lab__name",
            "event__title",
            "event__starts_at",
            "participation__municipality__name",
            "status",
            "attendance",
            "invited_at",
            "responded_at",
        ],
    )


def _events_created(user) -> list[dict]:
    return rows(
        Event.objects.filter(created_by=user).order_by("starts_at", "pk"),
        ["id", "lab__name", "title", "starts_at", "created_at"],
    )


def _event_materials_uploaded(user) -> list[dict]:
    return rows(
        EventMaterial.objects.filter(uploaded_by=user).order_by("uploaded_at", "pk"),
        ["id", "event__title", "original_name", "title", "uploaded_at"],
    )


def _calendar_feed(user) -> dict | None:
    # that the person has a calendar address, never the address (it is a token)
    feed = CalendarFeed.objects.filter(user=user).values("created_at").first()
    return {"created_at": value(feed["created_at"])} if feed else None


def register() -> None:
    register_section(
        "event_registrations",
        export=_event_registrations,
        fields=[("events.EventRegistration", "user")],
    )
    register_section(
        "events_created", export=_events_created, fields=[("events.Event", "created_by")]
    )
    register_section(
        "event_materials_uploaded",
        export=_event_materials_uploaded,
        fields=[("events.EventMaterial", "uploaded_by")],
    )
    register_section(
        "calendar_feed", export=_calendar_feed, fields=[("events.CalendarFeed", "user")]
    )
