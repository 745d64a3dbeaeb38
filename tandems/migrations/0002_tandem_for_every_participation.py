"""Every participation gets its tandem (created at admission from now on, labs.signals
.participation_admitted; before, the tandem page created a missing one when it was opened)."""

from django.db import migrations


def create_missing_tandems(apps, schema_editor):
    Participation = apps.get_model("labs", "Participation")
    Tandem = apps.get_model("tandems", "Tandem")
    missing = Participation.objects.exclude(pk__in=Tandem.objects.values("participation_id"))
    Tandem.objects.bulk_create(
        (Tandem(participation_id=pk) for pk in missing.values_list("pk", flat=True).iterator()),
        batch_size=1000,
    )


class Migration(migrations.Migration):
    dependencies = [
        ("tandems", "0001_initial"),
    ]

    operations = [
        # the rows are valid either way: going back keeps them
        migrations.RunPython(create_missing_tandems, migrations.RunPython.noop),
    ]
