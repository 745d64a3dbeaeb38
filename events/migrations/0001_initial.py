"""The event models move here from the labs app, without touching the database.

The tables keep their names (labs_event, labs_event_cohorts, labs_eventregistration, ...; see
Meta.db_table), so this migration only creates the models in the migration state; labs migration
0006 removes them from the labs state. The content types of the models are renamed from labs to
events, so that permissions, object permissions and admin log entries keep pointing at them.
"""

import django.db.models.deletion
import django.utils.timezone
import events.models
from django.conf import settings
from django.db import migrations, models

MOVED_MODELS = (
    "calendarfeed",
    "cohortphase",
    "event",
    "eventmaterial",
    "eventregistration",
    "eventtype",
)


def _rename_content_types(apps, schema_editor, *, old: str, new: str):
    ContentType = apps.get_model("contenttypes", "ContentType")
    db = schema_editor.connection.alias
    taken = set(
        ContentType.objects.using(db)
        .filter(app_label=new, model__in=MOVED_MODELS)
        .values_list("model", flat=True)
    )
    # A fresh database has no rows yet (post_migrate creates them after all migrations). Both rows
    # exist only if the database was migrated back and forth; the old one then stays for
    # remove_stale_contenttypes, since deleting a content type deletes what points at it.
    ContentType.objects.using(db).filter(
        app_label=old, model__in=[m for m in MOVED_MODELS if m not in taken]
    ).update(app_label=new)


def content_types_to_events(apps, schema_editor):
    _rename_content_types(apps, schema_editor, old="labs", new="events")


def content_types_to_labs(apps, schema_editor):
    _rename_content_types(apps, schema_editor, old="events", new="labs")


class Migration(migrations.Migration):
    initial = True

    dependencies = [
        ("contenttypes", "0002_remove_content_type_name"),
        ("evaluations", "0004_survey_result_snapshot"),
        ("labs", "0005_data_version"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            database_operations=[],
            state_operations=[
                migrations.CreateModel(
                    name="CalendarFeed",
                    fields=[
                        (
                            "id",
                            models.BigAutoField(
                                auto_created=True,
                                primary_key=True,
                                serialize=False,
                                verbose_name="ID",
                            ),
                        ),
                        ("token_salt", models.CharField(editable=False, max_length=64)),
                        (
                            "token_hash",
                            models.CharField(editable=False, max_length=64, unique=True),
                        ),
                        ("created_at", models.DateTimeField(default=django.utils.timezone.now)),
                        (
                            "user",
                            models.OneToOneField(
                                on_delete=django.db.models.deletion.CASCADE,
                                related_name="calendar_feed",
                                to=settings.AUTH_USER_MODEL,
                            ),
                        ),
                    ],
                    options={
                        "verbose_name": "calendar feed",
                        "verbose_name_plural": "calendar feeds",
                        "db_table": "labs_calendarfeed",
                    },
                ),
                migrations.CreateModel(
                    name="Event",
                    fields=[
                        (
                            "id",
                            models.BigAutoField(
                                auto_created=True,
                                primary_key=True,
                                serialize=False,
                                verbose_name="ID",
                            ),
                        ),
                        (
                            "open_to_guests",
                            models.BooleanField(
                                default=False,
                                help_text="People of the lab outside the invited cohorts may register themselves.",
                                verbose_name="open to guests",
                            ),
                        ),
                        ("title", models.CharField(max_length=200, verbose_name="title")),
                        ("starts_at", models.DateTimeField(verbose_name="start")),
                        ("ends_at", models.DateTimeField(verbose_name="end")),
                        (
                            "format",
                            models.CharField(
                                choices=[
                                    ("on_site", "On site"),
                                    ("online", "Online"),
                                    ("hybrid", "Hybrid"),
                                ],
                                default="on_site",
                                max_length=10,
                                verbose_name="format",
                            ),
                        ),
                        (
                            "place",
                            models.CharField(blank=True, max_length=300, verbose_name="place"),
                        ),
                        (
                            "online_url",
                            models.URLField(blank=True, max_length=500, verbose_name="online link"),
                        ),
                        (
                            "facilitators",
                            models.CharField(
                                blank=True, max_length=300, verbose_name="facilitators"
                            ),
                        ),
                        ("agenda", models.TextField(blank=True, verbose_name="agenda")),
                        (
                            "capacity",
                            models.PositiveIntegerField(
                                blank=True,
                                help_text="Empty: no limit.",
                                null=True,
                                verbose_name="capacity",
                            ),
                        ),
                        ("outcomes", models.TextField(blank=True, verbose_name="outcomes")),
                        (
                            "cancelled_at",
                            models.DateTimeField(blank=True, null=True, verbose_name="cancelled"),
                        ),
                        ("sequence", models.PositiveIntegerField(default=0, editable=False)),
                        (
                            "created_at",
                            models.DateTimeField(
                                default=django.utils.timezone.now, verbose_name="created"
                            ),
                        ),
                        (
                            "updated_at",
                            models.DateTimeField(auto_now=True, verbose_name="last changed"),
                        ),
                        (
                            "cohorts",
                            models.ManyToManyField(
                                blank=True,
                                related_name="events",
                                to="labs.cohort",
                                verbose_name="cohorts",
                            ),
                        ),
                        (
                            "created_by",
                            models.ForeignKey(
                                blank=True,
                                null=True,
                                on_delete=django.db.models.deletion.SET_NULL,
                                related_name="+",
                                to=settings.AUTH_USER_MODEL,
                            ),
                        ),
                        (
                            "feedback_survey",
                            models.ForeignKey(
                                blank=True,
                                null=True,
                                on_delete=django.db.models.deletion.SET_NULL,
                                related_name="events",
                                to="evaluations.survey",
                                verbose_name="feedback survey",
                            ),
                        ),
                        (
                            "lab",
                            models.ForeignKey(
                                on_delete=django.db.models.deletion.CASCADE,
                                related_name="events",
                                to="labs.lab",
                            ),
                        ),
                        (
                            "series",
                            models.ForeignKey(
                                blank=True,
                                help_text="For trainings in several parts: the first part.",
                                null=True,
                                on_delete=django.db.models.deletion.SET_NULL,
                                related_name="parts",
                                to="events.event",
                                verbose_name="part of",
                            ),
                        ),
                    ],
                    options={
                        "verbose_name": "event",
                        "verbose_name_plural": "events",
                        "db_table": "labs_event",
                        "ordering": ["starts_at", "pk"],
                    },
                ),
                migrations.CreateModel(
                    name="EventMaterial",
                    fields=[
                        (
                            "id",
                            models.BigAutoField(
                                auto_created=True,
                                primary_key=True,
                                serialize=False,
                                verbose_name="ID",
                            ),
                        ),
                        (
                            "file",
                            models.FileField(
                                max_length=300, upload_to=events.models.material_upload_to
                            ),
                        ),
                        (
                            "original_name",
                            models.CharField(max_length=255, verbose_name="file name"),
                        ),
                        ("content_type", models.CharField(max_length=100)),
                        ("size", models.PositiveBigIntegerField(verbose_name="size")),
                        (
                            "title",
                            models.CharField(blank=True, max_length=200, verbose_name="title"),
                        ),
                        (
                            "uploaded_at",
                            models.DateTimeField(
                                default=django.utils.timezone.now, verbose_name="uploaded"
                            ),
                        ),
                        (
                            "event",
                            models.ForeignKey(
                                on_delete=django.db.models.deletion.CASCADE,
                                related_name="materials",
                                to="events.event",
                            ),
                        ),
                        (
                            "uploaded_by",
                            models.ForeignKey(
                                blank=True,
                                null=True,
                                on_delete=django.db.models.deletion.SET_NULL,
                                related_name="+",
                                to=settings.AUTH_USER_MODEL,
                            ),
                        ),
                    ],
                    options={
                        "verbose_name": "material",
                        "verbose_name_plural": "materials",
                        "db_table": "labs_eventmaterial",
                        "ordering": ["event", "uploaded_at", "pk"],
                    },
                ),
                migrations.CreateModel(
                    name="EventType",
                    fields=[
                        (
                            "id",
                            models.BigAutoField(
                                auto_created=True,
                                primary_key=True,
                                serialize=False,
                                verbose_name="ID",
                            ),
                        ),
                        ("code", models.SlugField(max_length=40, verbose_name="code")),
                        ("name_de", models.CharField(max_length=100, verbose_name="name (German)")),
                        (
                            "name_en",
                            models.CharField(
                                blank=True, max_length=100, verbose_name="name (English)"
                            ),
                        ),
                        ("position", models.PositiveSmallIntegerField(default=0)),
                        (
                            "lab",
                            models.ForeignKey(
                                blank=True,
                                null=True,
                                on_delete=django.db.models.deletion.CASCADE,
                                related_name="event_types",
                                to="labs.lab",
                            ),
                        ),
                    ],
                    options={
                        "verbose_name": "event type",
                        "verbose_name_plural": "event types",
                        "db_table": "labs_eventtype",
                        "ordering": ["position", "name_de"],
                    },
                ),
                migrations.AddField(
                    model_name="event",
                    name="type",
                    field=models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="events",
                        to="events.eventtype",
                        verbose_name="type",
                    ),
                ),
                migrations.CreateModel(
                    name="CohortPhase",
                    fields=[
                        (
                            "id",
                            models.BigAutoField(
                                auto_created=True,
                                primary_key=True,
                                serialize=False,
                                verbose_name="ID",
                            ),
                        ),
                        (
                            "kind",
                            models.CharField(
                                choices=[
                                    ("setup", "Set-up"),
                                    ("orientation", "Orientation"),
                                    ("mission", "Mission development"),
                                    ("implementation", "Implementation"),
                                    ("transfer", "Transfer"),
                                ],
                                max_length=20,
                                verbose_name="phase",
                            ),
                        ),
                        ("starts_on", models.DateField(verbose_name="from")),
                        ("ends_on", models.DateField(verbose_name="until")),
                        (
                            "cohort",
                            models.ForeignKey(
                                on_delete=django.db.models.deletion.CASCADE,
                                related_name="phases",
                                to="labs.cohort",
                            ),
                        ),
                    ],
                    options={
                        "verbose_name": "phase",
                        "verbose_name_plural": "phases",
                        "db_table": "labs_cohortphase",
                        "ordering": ["cohort", "starts_on"],
                        "constraints": [
                            models.UniqueConstraint(
                                fields=("cohort", "kind"), name="unique_phase_per_cohort"
                            ),
                            models.CheckConstraint(
                                condition=models.Q(("ends_on__gte", models.F("starts_on"))),
                                name="phase_ends_after_start",
                            ),
                        ],
                    },
                ),
                migrations.CreateModel(
                    name="EventRegistration",
                    fields=[
                        (
                            "id",
                            models.BigAutoField(
                                auto_created=True,
                                primary_key=True,
                                serialize=False,
                                verbose_name="ID",
                            ),
                        ),
                        (
                            "status",
                            models.CharField(
                                choices=[
                                    ("invited", "Invited"),
                                    ("registered", "Registered"),
                                    ("waitlisted", "On the waiting list"),
                                    ("declined", "Declined"),
                                ],
                                default="invited",
                                max_length=12,
                                verbose_name="status",
                            ),
                        ),
                        (
                            "invited_at",
                            models.DateTimeField(blank=True, null=True, verbose_name="invited"),
                        ),
                        (
                            "responded_at",
                            models.DateTimeField(blank=True, null=True, verbose_name="answered"),
                        ),
                        ("waitlisted_at", models.DateTimeField(blank=True, null=True)),
                        (
                            "attendance",
                            models.CharField(
                                blank=True,
                                choices=[
                                    ("present", "Present"),
                                    ("excused", "Excused"),
                                    ("absent", "Absent"),
                                ],
                                max_length=10,
                                verbose_name="attendance",
                            ),
                        ),
                        ("reminded_at", models.DateTimeField(blank=True, null=True)),
                        ("notified_sequence", models.PositiveIntegerField(default=0)),
                        (
                            "invitation_mailed_at",
                            models.DateTimeField(blank=True, editable=False, null=True),
                        ),
                        (
                            "promotion_mailed_at",
                            models.DateTimeField(blank=True, editable=False, null=True),
                        ),
                        (
                            "event",
                            models.ForeignKey(
                                on_delete=django.db.models.deletion.CASCADE,
                                related_name="registrations",
                                to="events.event",
                            ),
                        ),
                        (
                            "participation",
                            models.ForeignKey(
                                blank=True,
                                null=True,
                                on_delete=django.db.models.deletion.SET_NULL,
                                related_name="event_registrations",
                                to="labs.participation",
                                verbose_name="municipality",
                            ),
                        ),
                        (
                            "user",
                            models.ForeignKey(
                                on_delete=django.db.models.deletion.CASCADE,
                                related_name="event_registrations",
                                to=settings.AUTH_USER_MODEL,
                            ),
                        ),
                    ],
                    options={
                        "verbose_name": "registration",
                        "verbose_name_plural": "registrations",
                        "db_table": "labs_eventregistration",
                        "ordering": ["event", "pk"],
                        "indexes": [
                            models.Index(
                                fields=["event", "status"], name="registration_event_status"
                            )
                        ],
                        "constraints": [
                            models.UniqueConstraint(
                                fields=("event", "user"), name="unique_registration"
                            )
                        ],
                    },
                ),
                migrations.AddConstraint(
                    model_name="eventtype",
                    constraint=models.UniqueConstraint(
                        condition=models.Q(("lab__isnull", True)),
                        fields=("code",),
                        name="unique_builtin_event_type",
                    ),
                ),
                migrations.AddConstraint(
                    model_name="eventtype",
                    constraint=models.UniqueConstraint(
                        fields=("lab", "code"), name="unique_event_type_per_lab"
                    ),
                ),
                migrations.AddIndex(
                    model_name="event",
                    index=models.Index(fields=["lab", "starts_at"], name="event_lab_start"),
                ),
                migrations.AddConstraint(
                    model_name="event",
                    constraint=models.CheckConstraint(
                        condition=models.Q(("ends_at__gt", models.F("starts_at"))),
                        name="event_ends_after_start",
                    ),
                ),
                migrations.AddConstraint(
                    model_name="event",
                    constraint=models.CheckConstraint(
                        condition=models.Q(
                            ("capacity__isnull", True), ("capacity__gte", 1), _connector="OR"
                        ),
                        name="event_capacity_positive",
                    ),
                ),
            ],
        ),
        migrations.RunPython(content_types_to_events, content_types_to_labs, elidable=False),
    ]
