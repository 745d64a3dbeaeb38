from django.contrib.auth.models import AbstractBaseUser, BaseUserManager, PermissionsMixin
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class UserManager(BaseUserManager["User"]):
    use_in_migrations = True

    def _create_user(self, email: str, password: str | None, **extra: object) -> "User":
        if not email:
            raise ValueError("An e-mail address is required.")
        user = self.model(email=self.normalize_email(email).lower(), **extra)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_user(self, email: str, password: str | None = None, **extra: object) -> "User":
        extra.setdefault("is_staff", False)
        extra.setdefault("is_superuser", False)
        return self._create_user(email, password, **extra)

    def create_superuser(self, email: str, password: str | None = None, **extra: object) -> "User":
        extra["is_staff"] = True
        extra["is_superuser"] = True
        return self._create_user(email, password, **extra)


class User(AbstractBaseUser, PermissionsMixin):
    """A person with an account; identified by e-mail, no username."""

    email = models.EmailField(_("e-mail address"), unique=True)
    name = models.CharField(_("name"), max_length=200, blank=True)
    is_staff = models.BooleanField(
        _("staff status"),
        default=False,
        help_text=_("Platform operators who may use the Django admin."),
    )
    is_active = models.BooleanField(_("active"), default=True)
    date_joined = models.DateTimeField(_("date joined"), default=timezone.now)
    # the language of e-mails sent without a request (notifications/languages.py); blank: the
    # language of the latest invitation the person accepted, else the platform's default
    language = models.CharField(
        _("language"),
        max_length=10,
        blank=True,
        choices=[("de", "Deutsch"), ("en", "English")],
        help_text=_("The language of the e-mails the platform sends you."),
    )

    objects = UserManager()

    EMAIL_FIELD = "email"
    USERNAME_FIELD = "email"
    REQUIRED_FIELDS: list[str] = []

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")
        ordering = ["name", "email"]

    def __str__(self) -> str:
        return self.name or self.email

    def get_full_name(self) -> str:
        return self.name or self.email

    def get_short_name(self) -> str:
        return self.name or self.email


class AuditKind(models.TextChoices):
    """Security-relevant events; the values are stored, so never rename one."""

    LOGIN = "login", _("Login")
    LOGIN_FAILED = "login_failed", _("Failed login")
    LOGOUT = "logout", _("Logout")
    ROLE_GRANTED = "role_granted", _("Role granted")
    ROLE_REVOKED = "role_revoked", _("Role revoked")
    INVITATION_CREATED = "invitation_created", _("Invitation created")
    INVITATION_ACCEPTED = "invitation_accepted", _("Invitation accepted")
    INVITATION_REVOKED = "invitation_revoked", _("Invitation revoked")
    INVITATION_REFUSED = "invitation_refused", _("Invitation refused (another account)")
    ACCOUNT_ACTIVATED = "account_activated", _("Account activated")
    ACCOUNT_DEACTIVATED = "account_deactivated", _("Account deactivated")
    ACCOUNT_DELETED = "account_deleted", _("Account deleted")
    DATA_EXPORTED = "data_exported", _("Personal data exported")
    STAFF_CHANGED = "staff_changed", _("Administrator rights changed")
    PASSWORD_CHANGED = "password_changed", _("Password changed")
    EMAIL_CHANGED = "email_changed", _("E-mail address changed")
    MFA_CHANGED = "mfa_changed", _("Two-factor authentication changed")
    RAW_ANSWERS_EXPORTED = "raw_answers_exported", _("Raw answers exported")
    RAW_ANSWERS_IMPORTED = "raw_answers_imported", _("Raw answers imported")
    REPORT_PUBLISHED = "report_published", _("Report published")
    REPORT_WITHDRAWN = "report_withdrawn", _("Report withdrawn")
    SITE_PAGE_CHANGED = "site_page_changed", _("Site page changed")


class AuditEvent(models.Model):
    """One security-relevant event. Append-only; never holds a password, token or session key."""

    created_at = models.DateTimeField(_("time (UTC)"), default=timezone.now, db_index=True)
    kind = models.CharField(_("event"), max_length=40, choices=AuditKind.choices, db_index=True)
    actor = models.ForeignKey(
        "accounts.User",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("actor"),
    )
    # Kept when the account is deleted, so the log still says who acted.
    actor_label = models.CharField(_("by (as recorded)"), max_length=254, blank=True)
    target = models.CharField(_("concerning"), max_length=300, blank=True)
    lab = models.ForeignKey(
        "labs.Lab",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("lab"),
    )
    object_type = models.CharField(_("object type"), max_length=60, blank=True)
    object_id = models.CharField(_("object id"), max_length=40, blank=True)
    ip_address = models.GenericIPAddressField(_("IP address"), null=True, blank=True)
    details = models.JSONField(_("details"), default=dict, blank=True)

    class Meta:
        verbose_name = _("audit event")
        verbose_name_plural = _("audit events")
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"{self.created_at:%Y-%m-%d %H:%M:%S} UTC {self.kind} {self.actor_label}"


class SitePageKey(models.TextChoices):
    PRIVACY = "privacy", _("Privacy notice")
    ACCESSIBILITY = "accessibility", _("Accessibility statement")


class SitePage(models.Model):
    """An admin-editable page (privacy notice, accessibility statement) in German and English."""

    key = models.CharField(_("page"), max_length=30, unique=True, choices=SitePageKey.choices)
    title_de = models.CharField(_("title (German)"), max_length=200)
    title_en = models.CharField(_("title (English)"), max_length=200, blank=True)
    body_de = models.TextField(_("text (German, Markdown)"))
    body_en = models.TextField(_("text (English, Markdown)"), blank=True)
    updated_at = models.DateTimeField(_("last changed"), auto_now=True)
    updated_by = models.ForeignKey(
        "accounts.User",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("changed by"),
    )

    class Meta:
        verbose_name = _("site page")
        verbose_name_plural = _("site pages")
        ordering = ["key"]

    def __str__(self) -> str:
        return self.get_key_display()
