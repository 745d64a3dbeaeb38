"""The built-in event formats (a lab may add its own)."""

from django.db import migrations

BUILTIN = [
    ("kickoff", "Auftaktworkshop", "Kick-off workshop"),
    ("planning-workshop", "Methodengestützter Planungsworkshop", "Method-based planning workshop"),
    ("online-seminar", "Online-Seminar", "Online seminar"),
    ("expert-debate", "Expert*innendebatte", "Expert debate"),
    ("peer-consultation", "Kollegiale Fallberatung", "Peer case consultation"),
    ("network-meeting", "Netzwerktreffen", "Network meeting"),
    ("training", "Schulung", "Training"),
]


def create(apps, schema_editor):
    EventType = apps.get_model("labs", "EventType")
    for position, (code, name_de, name_en) in enumerate(BUILTIN, start=1):
        EventType.objects.update_or_create(
            lab=None,
            code=code,
            defaults={"name_de": name_de, "name_en": name_en, "position": position},
        )


def remove(apps, schema_editor):
    apps.get_model("labs", "EventType").objects.filter(
        lab=None, code__in=[code for code, _de, _en in BUILTIN]
    ).delete()


class Migration(migrations.Migration):
    dependencies = [("labs", "0002_events")]

    operations = [migrations.RunPython(create, remove)]
