"""ReportDraft.events points to the Event model in its new app (events migration 0001).

State only: the model's table (labs_event) and the link table (evaluations_reportdraft_events,
with its columns reportdraft_id and event_id) stay as they are.
"""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("evaluations", "0004_survey_result_snapshot"),
        ("events", "0001_initial"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            database_operations=[],
            state_operations=[
                migrations.AlterField(
                    model_name="reportdraft",
                    name="events",
                    field=models.ManyToManyField(
                        blank=True,
                        related_name="report_drafts",
                        to="events.event",
                        verbose_name="events",
                    ),
                ),
            ],
        ),
    ]
