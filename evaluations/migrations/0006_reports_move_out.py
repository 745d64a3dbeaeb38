# The report models (ReportDraft, its history, ReportRun) moved to the reports app. Their tables
# stay as they are: this migration removes them from the evaluations app's state only, and
# reports/migrations/0001_initial.py adds them to the reports app's state with the same tables.

from django.db import migrations


class Migration(migrations.Migration):

    dependencies = [
        ('evaluations', '0005_reportdraft_events_moved'),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.DeleteModel(name='ReportRun'),
                migrations.DeleteModel(name='HistoricalReportDraft'),
                migrations.DeleteModel(name='ReportDraft'),
            ],
            database_operations=[],
        ),
    ]
