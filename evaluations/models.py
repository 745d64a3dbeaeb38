"""Formative self-evaluation: surveys, their questions, the links that distribute them, answers.

Privacy by design: a `Response` never points to the link, the account or the draft it came from.
A `SurveyLink` only records *that* it was used (no time, so it cannot be matched with a response's
time); in-app answers leave a `SurveyCompletion` (survey, user) and nothing more. Drafts hold
progress while someone answers and are deleted in the same transaction as the response is stored.
"""

import uuid

from django.conf import settings
from django.core.validators import MinValueValidator, RegexValidator
from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import get_language, pgettext_lazy
from django.utils.translation import gettext_lazy as _

from labs.models import Cohort, Lab, Municipality

MIN_GROUP_SIZE_FLOOR = 3
DEFAULT_MIN_GROUP_SIZE = 5

code_validator = RegexValidator(
    r"^[A-Za-z][A-Za-z0-9_.-]{0,39}$",
    _("Use 1 to 40 letters, digits, dots, hyphens or underscores, starting with a letter."),
)


def localized(obj, field: str, language: str | None = None) -> str:
    """`obj.<field>_de` or `obj.<field>_en` in the active language, falling back to the other."""
    language = (language or get_language() or "de")[:2]
    first, second = ("en", "de") if language == "en" else ("de", "en")
    return getattr(obj, f"{field}_{first}") or getattr(obj, f"{field}_{second}")


class SurveyKind(models.TextChoices):
    BASELINE = "baseline", _("Baseline survey")
    FINAL = "final", _("Final survey")
    FEEDBACK = "feedback", _("Event feedback")
    PULSE = "pulse", _("Pulse survey")


class QuestionType(models.TextChoices):
    SCALE = "scale", _("Scale")
    SINGLE = "single", _("Single choice")
    MULTI = "multi", _("Multiple choice")
    NUMBER = "number", _("Number")
    TEXT = "text", _("Free text")


class Survey(models.Model):
    """A questionnaire run in one cohort; its slug is unique within the cohort."""

    cohort = models.ForeignKey(Cohort, on_delete=models.CASCADE, related_name="surveys")
    slug = models.SlugField(
        _("short name"),
        max_length=60,
        help_text=_("Used in addresses and files, e.g. baseline-2024."),
    )
    kind = models.CharField(_("kind"), max_length=20, choices=SurveyKind.choices)
    title_de = models.CharField(_("title (German)"), max_length=200)
    title_en = models.CharField(_("title (English)"), max_length=200, blank=True)
    intro_de = models.TextField(_("introduction (German)"), blank=True)
    intro_en = models.TextField(_("introduction (English)"), blank=True)
    min_group_size = models.PositiveSmallIntegerField(
        _("minimum group size"),
        default=DEFAULT_MIN_GROUP_SIZE,
        validators=[MinValueValidator(MIN_GROUP_SIZE_FLOOR)],
        help_text=_("Figures over fewer respondents are never shown. At least 3."),
    )
    opens_at = models.DateTimeField(_("opens"), null=True, blank=True)
    closes_at = models.DateTimeField(_("closes"), null=True, blank=True)
    open_link_enabled = models.BooleanField(
        _("open link"),
        default=False,
        help_text=_("Anyone with the survey's open link may answer, as often as they open it."),
    )
    # The open link's token is derived from this salt and SECRET_KEY (see services.open_token);
    # a new salt revokes the old link.
    open_token_salt = models.CharField(max_length=64, editable=False, blank=True)
    open_token_hash = models.CharField(max_length=64, editable=False, blank=True, db_index=True)
    in_app = models.BooleanField(
        _("in the platform for tandem members"),
        default=True,
        help_text=_("Tandem members of the cohort answer after logging in, once each."),
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    created_at = models.DateTimeField(_("created"), default=timezone.now)
    updated_at = models.DateTimeField(_("last changed"), auto_now=True)

    class Meta:
        verbose_name = _("survey")
        verbose_name_plural = _("surveys")
        ordering = ["cohort", "-created_at"]
        constraints = [
            models.UniqueConstraint(fields=["cohort", "slug"], name="unique_survey_slug"),
            models.CheckConstraint(
                condition=Q(min_group_size__gte=MIN_GROUP_SIZE_FLOOR),
                name="survey_min_group_size_floor",
            ),
            models.CheckConstraint(
                condition=Q(opens_at__isnull=True)
                | Q(closes_at__isnull=True)
                | Q(closes_at__gt=F("opens_at")),
                name="survey_closes_after_opening",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def title(self) -> str:
        return localized(self, "title")

    @property
    def intro(self) -> str:
        return localized(self, "intro")

    @property
    def lab(self) -> Lab:
        return self.cohort.lab

    @property
    def path(self) -> str:
        """LAB/COHORT/SLUG, as the management commands name a survey."""
        return f"{self.cohort.lab.slug}/{self.cohort.slug}/{self.slug}"

    def is_open(self, now=None) -> bool:
        now = now or timezone.now()
        if self.opens_at is None or self.opens_at > now:
            return False
        return self.closes_at is None or now < self.closes_at

    @property
    def state(self) -> str:
        now = timezone.now()
        if self.opens_at is None or self.opens_at > now:
            return "draft" if self.opens_at is None else "scheduled"
        return "open" if self.is_open(now) else "closed"


class Section(models.Model):
    survey = models.ForeignKey(Survey, on_delete=models.CASCADE, related_name="sections")
    position = models.PositiveSmallIntegerField(_("position"), default=0)
    title_de = models.CharField(_("title (German)"), max_length=200)
    title_en = models.CharField(_("title (English)"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("section")
        verbose_name_plural = _("sections")
        ordering = ["survey", "position", "pk"]

    def __str__(self) -> str:
        return self.title

    @property
    def title(self) -> str:
        return localized(self, "title")


class Question(models.Model):
    """A question; `code` is stable across surveys so baseline and final can be compared."""

    survey = models.ForeignKey(Survey, on_delete=models.CASCADE, related_name="questions")
    section = models.ForeignKey(Section, on_delete=models.CASCADE, related_name="questions")
    position = models.PositiveSmallIntegerField(_("position"), default=0)
    code = models.CharField(_("code"), max_length=40, validators=[code_validator])
    type = models.CharField(_("type"), max_length=10, choices=QuestionType.choices)
    text_de = models.TextField(_("question (German)"))
    text_en = models.TextField(_("question (English)"), blank=True)
    required = models.BooleanField(_("required"), default=False)
    scale_min = models.SmallIntegerField(_("lowest value"), null=True, blank=True)
    scale_max = models.SmallIntegerField(_("highest value"), null=True, blank=True)
    min_label_de = models.CharField(
        _("label of the lowest value (German)"), max_length=100, blank=True
    )
    min_label_en = models.CharField(
        _("label of the lowest value (English)"), max_length=100, blank=True
    )
    max_label_de = models.CharField(
        _("label of the highest value (German)"), max_length=100, blank=True
    )
    max_label_en = models.CharField(
        _("label of the highest value (English)"), max_length=100, blank=True
    )

    class Meta:
        verbose_name = _("question")
        verbose_name_plural = _("questions")
        ordering = ["survey", "section__position", "section_id", "position", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["survey", "code"], name="unique_question_code"),
            models.CheckConstraint(
                condition=~Q(type="scale")
                | Q(scale_min__isnull=False, scale_max__isnull=False, scale_max__gt=F("scale_min")),
                name="question_scale_has_range",
            ),
            models.CheckConstraint(
                condition=Q(type="scale") | Q(scale_min__isnull=True, scale_max__isnull=True),
                name="question_range_only_for_scale",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.code}: {self.text}"

    @property
    def text(self) -> str:
        return localized(self, "text")

    @property
    def min_label(self) -> str:
        return localized(self, "min_label")

    @property
    def max_label(self) -> str:
        return localized(self, "max_label")

    @property
    def has_choices(self) -> bool:
        return self.type in (QuestionType.SINGLE, QuestionType.MULTI)

    @property
    def scale_values(self) -> list[int]:
        if self.type != QuestionType.SCALE:
            return []
        return list(range(self.scale_min, self.scale_max + 1))


class Choice(models.Model):
    question = models.ForeignKey(Question, on_delete=models.CASCADE, related_name="choices")
    position = models.PositiveSmallIntegerField(_("position"), default=0)
    code = models.CharField(_("code"), max_length=40, validators=[code_validator])
    label_de = models.CharField(_("label (German)"), max_length=200)
    label_en = models.CharField(_("label (English)"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("choice")
        verbose_name_plural = _("choices")
        ordering = ["question", "position", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["question", "code"], name="unique_choice_code"),
        ]

    def __str__(self) -> str:
        return self.label

    @property
    def label(self) -> str:
        return localized(self, "label")


class SurveyTemplate(models.Model):
    """A reusable survey definition (format innolab-survey/1); without a lab it serves every lab."""

    lab = models.ForeignKey(
        Lab, on_delete=models.CASCADE, null=True, blank=True, related_name="survey_templates"
    )
    name = models.CharField(_("name"), max_length=200)
    kind = models.CharField(_("kind"), max_length=20, choices=SurveyKind.choices)
    definition = models.JSONField(_("definition"))
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    created_at = models.DateTimeField(_("created"), default=timezone.now)

    class Meta:
        verbose_name = _("survey template")
        verbose_name_plural = _("survey templates")
        ordering = ["name", "pk"]

    def __str__(self) -> str:
        return self.name


class SurveyLink(models.Model):
    """An anonymous single-use link. Knows whether it was used, never by which response."""

    survey = models.ForeignKey(Survey, on_delete=models.CASCADE, related_name="links")
    # Token derived from the salt and SECRET_KEY (services.link_token): printable lists and
    # e-mail tasks rebuild it; only its hash is looked up.
    token_salt = models.CharField(max_length=64, editable=False)
    token_hash = models.CharField(max_length=64, unique=True, editable=False)
    batch = models.PositiveIntegerField(_("batch"), default=1)
    number = models.PositiveIntegerField(_("number in the batch"), default=1)
    municipality = models.ForeignKey(
        Municipality,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("municipality"),
    )
    group = models.CharField(_("respondent group"), max_length=100, blank=True)
    email = models.EmailField(_("e-mail address"), blank=True)
    language = models.CharField(_("language"), max_length=8, default="de")
    created_at = models.DateTimeField(_("created"), default=timezone.now)
    sent_at = models.DateTimeField(_("sent"), null=True, blank=True)
    reminded_at = models.DateTimeField(_("reminded"), null=True, blank=True)
    used = models.BooleanField(_("used"), default=False)
    revoked = models.BooleanField(_("revoked"), default=False)

    class Meta:
        verbose_name = _("survey link")
        verbose_name_plural = _("survey links")
        ordering = ["survey", "batch", "number"]
        constraints = [
            models.UniqueConstraint(
                fields=["survey", "batch", "number"], name="unique_survey_link_number"
            ),
        ]
        indexes = [models.Index(fields=["survey", "used"], name="surveylink_survey_used")]

    def __str__(self) -> str:
        return f"{self.survey_id}/{self.batch}/{self.number}"


class SurveyCompletion(models.Model):
    """A tandem member answered a survey in the platform; which answers were theirs is not kept."""

    survey = models.ForeignKey(Survey, on_delete=models.CASCADE, related_name="completions")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["survey", "user"], name="unique_survey_completion"),
        ]

    def __str__(self) -> str:
        return f"{self.survey_id}/{self.user_id}"


class ResponseDraft(models.Model):
    """Progress of someone answering: by link, by account, or (open link) by browser session."""

    survey = models.ForeignKey(Survey, on_delete=models.CASCADE, related_name="drafts")
    link = models.OneToOneField(
        SurveyLink, on_delete=models.CASCADE, null=True, blank=True, related_name="draft"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    session_key = models.CharField(max_length=64, blank=True)
    data = models.JSONField(default=dict)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=Q(link__isnull=False, user__isnull=True, session_key="")
                | Q(link__isnull=True, user__isnull=False, session_key="")
                | (Q(link__isnull=True, user__isnull=True) & ~Q(session_key="")),
                name="draft_has_one_owner",
            ),
            models.UniqueConstraint(
                fields=["survey", "user"],
                condition=Q(user__isnull=False),
                name="unique_draft_per_user",
            ),
            models.UniqueConstraint(
                fields=["survey", "session_key"],
                condition=~Q(session_key=""),
                name="unique_draft_per_session",
            ),
        ]

    def __str__(self) -> str:
        return f"draft {self.pk} of {self.survey_id}"


class ResponseChannel(models.TextChoices):
    LINK = "link", _("Personal link")
    OPEN = "open", _("Open link")
    IN_APP = "in_app", _("In the platform")
    IMPORT = "import", _("Imported")


class Response(models.Model):
    """One respondent's submitted answers. No reference to a link, an account or a draft."""

    survey = models.ForeignKey(Survey, on_delete=models.CASCADE, related_name="responses")
    municipality = models.ForeignKey(
        Municipality,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("municipality"),
    )
    group = models.CharField(_("respondent group"), max_length=100, blank=True)
    channel = models.CharField(_("channel"), max_length=10, choices=ResponseChannel.choices)
    # the response_id of an imported file; empty for answers given in the platform
    external_id = models.CharField(_("response id"), max_length=100, blank=True)
    # answers given in the platform are stored to the day only (see services.response_submit)
    submitted_at = models.DateTimeField(_("submitted"), null=True, blank=True)

    class Meta:
        verbose_name = _("response")
        verbose_name_plural = _("responses")
        ordering = ["survey", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["survey", "external_id"],
                condition=~Q(external_id=""),
                name="unique_response_external_id",
            ),
        ]
        indexes = [models.Index(fields=["survey", "municipality"], name="response_survey_muni")]

    def __str__(self) -> str:
        return f"{self.survey_id}#{self.pk}"


class Answer(models.Model):
    """One answer to one question: `number` for scale and number, `choice` for single and multi
    (one row per chosen choice), `text` for free text.

    `municipality` and `group` are copies of the response's, so that results by municipality or
    by group are aggregated from this table alone, without a join to the responses (at 200,000
    responses the join is most of the time such an aggregation takes). They are set whenever
    answers are created (services._store, the import, the demo data; `save` copies them for a
    single answer) and never change afterwards, since a stored response is never changed; when a
    municipality is deleted both the response's and the copies become NULL (SET_NULL).
    """

    response = models.ForeignKey(Response, on_delete=models.CASCADE, related_name="answers")
    question = models.ForeignKey(Question, on_delete=models.CASCADE, related_name="answers")
    choice = models.ForeignKey(
        Choice, on_delete=models.CASCADE, null=True, blank=True, related_name="answers"
    )
    number = models.FloatField(null=True, blank=True)
    text = models.TextField(blank=True)
    # copies of response.municipality and response.group (see above)
    municipality = models.ForeignKey(
        Municipality,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        db_index=False,
        editable=False,
    )
    group = models.CharField(max_length=100, blank=True, editable=False)

    class Meta:
        verbose_name = _("answer")
        verbose_name_plural = _("answers")
        constraints = [
            models.UniqueConstraint(
                fields=["response", "question"],
                condition=Q(choice__isnull=True),
                name="unique_answer_per_question",
            ),
            models.UniqueConstraint(
                fields=["response", "question", "choice"],
                condition=Q(choice__isnull=False),
                name="unique_answer_per_choice",
            ),
        ]
        indexes = [models.Index(fields=["question", "number"], name="answer_question_number")]

    def __str__(self) -> str:
        return f"{self.response_id}/{self.question_id}"

    def save(self, *args, **kwargs):
        if self._state.adding and self.response_id is not None:
            self.copy_breakdown(self.response)
        super().save(*args, **kwargs)

    def copy_breakdown(self, response: Response) -> None:
        """Take over the response's municipality and group (see the class docstring)."""
        self.municipality_id, self.group = response.municipality_id, response.group


# --- retention ------------------------------------------------------------------------------------


class SurveyResultSnapshot(models.Model):
    """The aggregated results of a survey whose raw answers were deleted under the retention rule
    (SURVEY_RAW_RETENTION_MONTHS; evaluations/retention.py).

    `data` holds what evaluations.analysis computed just before the deletion — over all
    respondents, by municipality and by respondent group, with minimum group size and
    complementary suppression already applied — as JSON; free texts are not kept. `created_at`
    is when the raw answers were deleted (in the same transaction).
    """

    survey = models.OneToOneField(Survey, on_delete=models.CASCADE, related_name="result_snapshot")
    created_at = models.DateTimeField(_("raw answers deleted"), default=timezone.now)
    data = models.JSONField(_("aggregated results"))

    class Meta:
        verbose_name = _("stored survey results")
        verbose_name_plural = _("stored survey results")

    def __str__(self) -> str:
        return f"{self.survey_id} ({self.created_at:%Y-%m-%d})"


# --- imports --------------------------------------------------------------------------------------


class ImportKind(models.TextChoices):
    ANSWERS = "answers", _("Answers file")
    DEFINITION = "definition", _("Survey definition")


class ImportStatus(models.TextChoices):
    QUEUED = "queued", _("Queued")
    RUNNING = "running", pgettext_lazy("import status", "Running")
    SUCCEEDED = "succeeded", _("Imported")
    FAILED = "failed", _("Failed")


def import_upload_to(instance, filename: str) -> str:
    # a random name: the uploaded name is kept in file_name, never used as a path
    suffix = ".json" if instance.kind == ImportKind.DEFINITION else ".csv"
    return f"imports/{instance.cohort_id}/{uuid.uuid4().hex}{suffix}"


class ImportJob(models.Model):
    """One uploaded file imported by a Celery worker (evaluations/import_jobs.py): an answers file
    into a survey, or a survey definition into a cohort.

    The upload stores the file (private storage) and the job; the worker checks and imports it
    all or nothing and records the outcome: how many responses (or which survey) it created, or
    the errors with their places (the first MAX_STORED_ERRORS of `error_count`), or `failure`
    when the job itself could not finish (e.g. its time limit). The stored file is deleted once
    the job has finished. While running, `progress` and `rows_done` are written from outside the
    import's transaction; the page reads the newest figures from the cache (import_jobs).
    """

    kind = models.CharField(_("kind"), max_length=12, choices=ImportKind.choices)
    cohort = models.ForeignKey(Cohort, on_delete=models.CASCADE, related_name="import_jobs")
    # answers: the survey imported into; definition: the survey created (once succeeded)
    survey = models.ForeignKey(
        Survey, on_delete=models.CASCADE, null=True, blank=True, related_name="import_jobs"
    )
    file = models.FileField(upload_to=import_upload_to, max_length=300, blank=True)
    file_name = models.CharField(_("file"), max_length=255)
    file_size = models.PositiveBigIntegerField(_("size"), default=0)
    params = models.JSONField(_("parameters"), default=dict, blank=True)
    language = models.CharField(max_length=10, default="de")
    status = models.CharField(
        _("status"), max_length=10, choices=ImportStatus.choices, default=ImportStatus.QUEUED
    )
    progress = models.PositiveSmallIntegerField(_("progress"), default=0)
    rows_total = models.PositiveIntegerField(null=True, blank=True)
    rows_done = models.PositiveIntegerField(default=0)
    created_count = models.PositiveIntegerField(default=0)
    errors = models.JSONField(default=list, blank=True)
    error_count = models.PositiveIntegerField(default=0)
    failure = models.TextField(_("reason"), blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("uploaded by"),
    )
    created_at = models.DateTimeField(_("uploaded"), default=timezone.now)
    started_at = models.DateTimeField(_("started"), null=True, blank=True)
    finished_at = models.DateTimeField(_("finished"), null=True, blank=True)
    attempts = models.PositiveSmallIntegerField(default=0)

    class Meta:
        verbose_name = _("import")
        verbose_name_plural = _("imports")
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.CheckConstraint(condition=Q(progress__lte=100), name="import_job_progress"),
            models.CheckConstraint(
                condition=~Q(kind="answers") | Q(survey__isnull=False),
                name="import_job_answers_have_a_survey",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.file_name} ({self.created_at:%Y-%m-%d %H:%M})"

    @property
    def in_progress(self) -> bool:
        return self.status in (ImportStatus.QUEUED, ImportStatus.RUNNING)
