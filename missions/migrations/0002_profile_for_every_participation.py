"""Every participation gets its (empty) mission profile (created at admission from now on,
labs.signals.participation_admitted; before, the profile pages created a missing one when they
were opened). Like rows written with QuerySet.bulk_create, these have no history entry: the
history starts with the first change. created_at == updated_at: not started
(MissionProfile.is_started), as before when there was no row."""

from django.db import migrations
from django.utils import timezone


def create_missing_profiles(apps, schema_editor):
    Participation = apps.get_model("labs", "Participation")
    MissionProfile = apps.get_model("missions", "MissionProfile")
    missing = Participation.objects.exclude(
        pk__in=MissionProfile.objects.values("participation_id")
    )
    now = timezone.now()
    MissionProfile.objects.bulk_create(
        (
            MissionProfile(participation_id=pk, created_at=now, updated_at=now)
            for pk in missing.values_list("pk", flat=True).iterator()
        ),
        batch_size=1000,
    )


class Migration(migrations.Migration):
    dependencies = [
        ("missions", "0001_initial"),
    ]

    operations = [
        # the rows are valid either way: going back keeps them
        migrations.RunPython(create_missing_profiles, migrations.RunPython.noop),
    ]
