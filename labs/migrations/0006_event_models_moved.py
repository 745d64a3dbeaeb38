"""The event models moved to the events app (events migration 0001): they leave the labs state.

State only: the tables keep their names and their rows; the events app's models use them.
"""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("labs", "0005_data_version"),
        ("events", "0001_initial"),
        # ReportDraft.events points to events.Event before labs.Event leaves the state
        ("evaluations", "0005_reportdraft_events_moved"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            database_operations=[],
            state_operations=[
                # what points to another of them goes first
                migrations.DeleteModel(name="EventMaterial"),
                migrations.DeleteModel(name="EventRegistration"),
                migrations.DeleteModel(name="Event"),
                migrations.DeleteModel(name="EventType"),
                migrations.DeleteModel(name="CohortPhase"),
                migrations.DeleteModel(name="CalendarFeed"),
            ],
        ),
    ]
