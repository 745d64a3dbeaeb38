# The report models moved here from the evaluations app (evaluations 0005 removes them from its
# state). Their tables keep their names (Meta.db_table; the drafts' many-to-many tables follow
# from the draft's table), so nothing in the database changes but the content types, which are
# renamed so that permissions, admin log entries and generic object permissions that point to
# these models keep pointing to them.

import django.db.models.deletion
import django.utils.timezone
import reports.models
import simple_history.models
from django.conf import settings
from django.db import migrations, models


MOVED_MODELS = ("reportdraft", "historicalreportdraft", "reportrun")


def _move_content_types(apps, source: str, target: str) -> None:
    ContentType = apps.get_model("contenttypes", "ContentType")
    for model in MOVED_MODELS:
        # a row the target app already has (created by a run that stopped half-way) wins
        if ContentType.objects.filter(app_label=target, model=model).exists():
            continue
        ContentType.objects.filter(app_label=source, model=model).update(app_label=target)


def content_types_forward(apps, schema_editor) -> None:
    _move_content_types(apps, "evaluations", "reports")


def content_types_backward(apps, schema_editor) -> None:
    _move_content_types(apps, "reports", "evaluations")


class Migration(migrations.Migration):

    initial = True

    dependencies = [
        ('contenttypes', '0002_remove_content_type_name'),
        ('evaluations', '0006_reports_move_out'),
        ('events', '0001_initial'),
        ('labs', '0005_data_version'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name='HistoricalReportDraft',
                    fields=[
                        ('id', models.BigIntegerField(auto_created=True, blank=True, db_index=True, verbose_name='ID')),
                        ('kind', models.CharField(choices=[('whitepaper', 'Whitepaper'), ('final', 'Final report'), ('municipality', 'Municipality report'), ('mission', 'Mission profile one-pager')], max_length=20, verbose_name='kind')),
                        ('title', models.CharField(max_length=200, verbose_name='title')),
                        ('subtitle', models.CharField(blank=True, max_length=300, verbose_name='subtitle')),
                        ('executive_summary', models.TextField(blank=True, verbose_name='executive summary')),
                        ('method', models.TextField(blank=True, verbose_name='method')),
                        ('lessons', models.TextField(blank=True, verbose_name='lessons learned')),
                        ('challenges', models.TextField(blank=True, verbose_name='challenges')),
                        ('recommendations', models.TextField(blank=True, verbose_name='recommendations')),
                        ('conclusion', models.TextField(blank=True, verbose_name='conclusion')),
                        ('created_at', models.DateTimeField(default=django.utils.timezone.now, verbose_name='created')),
                        ('updated_at', models.DateTimeField(blank=True, editable=False, verbose_name='last changed')),
                        ('history_id', models.AutoField(primary_key=True, serialize=False)),
                        ('history_date', models.DateTimeField(db_index=True)),
                        ('history_change_reason', models.CharField(max_length=100, null=True)),
                        ('history_type', models.CharField(choices=[('+', 'Created'), ('~', 'Changed'), ('-', 'Deleted')], max_length=1)),
                        ('cohort', models.ForeignKey(blank=True, db_constraint=False, help_text='Empty: the whole lab.', null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='labs.cohort')),
                        ('created_by', models.ForeignKey(blank=True, db_constraint=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to=settings.AUTH_USER_MODEL)),
                        ('history_user', models.ForeignKey(null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL)),
                        ('lab', models.ForeignKey(blank=True, db_constraint=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='labs.lab')),
                        ('participation', models.ForeignKey(blank=True, db_constraint=False, help_text="For a municipality's report and a mission profile's one-pager.", null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='labs.participation', verbose_name='municipality')),
                    ],
                    options={
                        'verbose_name': 'historical report draft',
                        'verbose_name_plural': 'historical report drafts',
                        'db_table': 'evaluations_historicalreportdraft',
                        'ordering': ('-history_date', '-history_id'),
                        'get_latest_by': ('history_date', 'history_id'),
                    },
                    bases=(simple_history.models.HistoricalChanges, models.Model),
                ),
                migrations.CreateModel(
                    name='ReportDraft',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('kind', models.CharField(choices=[('whitepaper', 'Whitepaper'), ('final', 'Final report'), ('municipality', 'Municipality report'), ('mission', 'Mission profile one-pager')], max_length=20, verbose_name='kind')),
                        ('title', models.CharField(max_length=200, verbose_name='title')),
                        ('subtitle', models.CharField(blank=True, max_length=300, verbose_name='subtitle')),
                        ('executive_summary', models.TextField(blank=True, verbose_name='executive summary')),
                        ('method', models.TextField(blank=True, verbose_name='method')),
                        ('lessons', models.TextField(blank=True, verbose_name='lessons learned')),
                        ('challenges', models.TextField(blank=True, verbose_name='challenges')),
                        ('recommendations', models.TextField(blank=True, verbose_name='recommendations')),
                        ('conclusion', models.TextField(blank=True, verbose_name='conclusion')),
                        ('version', models.PositiveIntegerField(default=1, editable=False)),
                        ('created_at', models.DateTimeField(default=django.utils.timezone.now, verbose_name='created')),
                        ('updated_at', models.DateTimeField(auto_now=True, verbose_name='last changed')),
                        ('cohort', models.ForeignKey(blank=True, help_text='Empty: the whole lab.', null=True, on_delete=django.db.models.deletion.CASCADE, related_name='report_drafts', to='labs.cohort')),
                        ('created_by', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL)),
                        ('events', models.ManyToManyField(blank=True, related_name='report_drafts', to='events.event', verbose_name='events')),
                        ('lab', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='report_drafts', to='labs.lab')),
                        ('participation', models.ForeignKey(blank=True, help_text="For a municipality's report and a mission profile's one-pager.", null=True, on_delete=django.db.models.deletion.CASCADE, related_name='report_drafts', to='labs.participation', verbose_name='municipality')),
                        ('participations', models.ManyToManyField(blank=True, help_text='None chosen: all municipalities of the scope.', related_name='+', to='labs.participation', verbose_name='municipalities')),
                        ('surveys', models.ManyToManyField(blank=True, related_name='report_drafts', to='evaluations.survey', verbose_name='surveys')),
                    ],
                    options={
                        'verbose_name': 'report draft',
                        'verbose_name_plural': 'report drafts',
                        'db_table': 'evaluations_reportdraft',
                        'ordering': ['lab', '-updated_at'],
                    },
                ),
                migrations.CreateModel(
                    name='ReportRun',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('key', models.CharField(editable=False, max_length=64, unique=True)),
                        ('status', models.CharField(choices=[('queued', 'Queued'), ('running', 'Running'), ('done', 'Done'), ('failed', 'Failed')], default='queued', max_length=10, verbose_name='status')),
                        ('progress', models.PositiveSmallIntegerField(default=0, verbose_name='progress')),
                        ('error', models.TextField(blank=True, verbose_name='reason')),
                        ('params', models.JSONField(default=dict, verbose_name='parameters')),
                        ('requested_at', models.DateTimeField(default=django.utils.timezone.now, verbose_name='requested')),
                        ('started_at', models.DateTimeField(blank=True, null=True, verbose_name='started')),
                        ('finished_at', models.DateTimeField(blank=True, null=True, verbose_name='finished')),
                        ('attempts', models.PositiveSmallIntegerField(default=0)),
                        ('data_as_of', models.DateTimeField(blank=True, null=True, verbose_name='data as of')),
                        ('pdf', models.FileField(blank=True, max_length=300, upload_to=reports.models.report_upload_to)),
                        ('checksum', models.CharField(blank=True, max_length=64, verbose_name='SHA-256')),
                        ('size', models.PositiveBigIntegerField(blank=True, null=True, verbose_name='size')),
                        ('pages', models.PositiveIntegerField(blank=True, null=True, verbose_name='pages')),
                        ('published_at', models.DateTimeField(blank=True, null=True, verbose_name='published')),
                        ('draft', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='runs', to='reports.reportdraft')),
                        ('published_by', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL)),
                        ('requested_by', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='requested by')),
                    ],
                    options={
                        'verbose_name': 'report version',
                        'verbose_name_plural': 'report versions',
                        'db_table': 'evaluations_reportrun',
                        'ordering': ['draft', '-requested_at', '-pk'],
                    },
                ),
                migrations.AddConstraint(
                    model_name='reportdraft',
                    constraint=models.CheckConstraint(condition=models.Q(models.Q(('kind__in', ['municipality', 'mission']), _negated=True), ('participation__isnull', False), _connector='OR'), name='report_draft_municipality_kinds_need_participation'),
                ),
                migrations.AddConstraint(
                    model_name='reportrun',
                    constraint=models.CheckConstraint(condition=models.Q(('published_at__isnull', True), ('status', 'done'), _connector='OR'), name='report_run_published_only_when_done'),
                ),
                migrations.AddConstraint(
                    model_name='reportrun',
                    constraint=models.CheckConstraint(condition=models.Q(('progress__lte', 100)), name='report_run_progress'),
                ),
            ],
            database_operations=[],
        ),
        migrations.RunPython(content_types_forward, content_types_backward),
    ]
