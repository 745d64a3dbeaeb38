"""The history records carry the object's version, so an edit conflict can tell which fields the
other person changed since the version the person started from (core.conflicts.changes_since).

Records written before this migration get version 0, a version no object ever has: for a form
opened before the update, the conflict falls back to "where the saved value differs from yours".
"""

from django.db import migrations, models

HISTORICAL_MODELS = ("historicalmissionprofile", "historicalsmartgoal", "historicalmeasure")


def mark_older_records_unknown(apps, schema_editor):
    for name in HISTORICAL_MODELS:
        apps.get_model("missions", name).objects.update(version=0)


class Migration(migrations.Migration):
    dependencies = [
        ("missions", "0002_profile_for_every_participation"),
    ]

    operations = [
        *(
            migrations.AddField(
                model_name=name,
                name="version",
                field=models.PositiveIntegerField(default=1, editable=False),
            )
            for name in HISTORICAL_MODELS
        ),
        migrations.RunPython(mark_older_records_unknown, migrations.RunPython.noop),
    ]
