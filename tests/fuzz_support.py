"""What tests/test_fuzz.py and tests/test_get_is_safe.py share: a database fingerprint, the forms
of a page (read from its HTML), hypothesis strategies per kind of form field, and the judgement of
a response (success, or an error the user is told about).
"""

import dataclasses
import functools
import hashlib
from html.parser import HTMLParser
from urllib.parse import urljoin, urlsplit

from django.apps import apps
from django.contrib.messages import constants as message_levels
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.forms import BaseForm
from django.forms.formsets import BaseFormSet
from django.urls import reverse
from hypothesis import strategies as st

# --- database fingerprint -------------------------------------------------------------------

# Session bookkeeping, not the app's data: the session row (messages, login) and allauth's
# per-session record of the last request (usersessions), plus Django's migration list.
FINGERPRINT_SKIP = {"django_session", "usersessions_usersession", "django_migrations"}


@functools.cache
def fingerprint_tables() -> list[str]:
    """Every table of an installed model (project apps, allauth, guardian, auth, history…)."""
    tables = set()
    for model in apps.get_models(include_auto_created=True):
        if model._meta.managed and not model._meta.proxy:
            tables.add(model._meta.db_table)
    existing = set(connection.introspection.table_names())
    return sorted((tables & existing) - FINGERPRINT_SKIP)


def fingerprint() -> dict[str, tuple]:
    """Per table, what tells an insert, update or delete since the last call.

    On PostgreSQL (tests and CI): the counters of the current transaction
    (pg_stat_xact_user_tables: rows inserted, updated, deleted; a rolled-back savepoint does not
    undo them), one cheap query. Elsewhere: the row count and an md5 of all rows.
    """
    tables = fingerprint_tables()
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(
                "SELECT relname, n_tup_ins, n_tup_upd, n_tup_del FROM pg_stat_xact_user_tables"
                " WHERE schemaname = current_schema() AND relname = ANY(%s)",
                [tables],
            )
            return {name: tuple(counts) for name, *counts in cursor.fetchall()}
        result = {}
        for table in tables:  # the slow way, for SQLite: hash every row
            cursor.execute(f"SELECT * FROM {connection.ops.quote_name(table)}")  # noqa: S608
            rows = sorted(map(repr, cursor.fetchall()))
            result[table] = (len(rows), hashlib.md5(repr(rows).encode()).hexdigest())  # noqa: S324
        return result


def fingerprint_diff(before: dict, after: dict) -> list[str]:
    return sorted(t for t in before.keys() | after.keys() if before.get(t) != after.get(t))


# --- forms of a page ------------------------------------------------------------------------


@dataclasses.dataclass
class Field:
    name: str
    kind: str  # input type, "select", "textarea", "submit"
    value: str = ""
    options: list = dataclasses.field(default_factory=list)
    multiple: bool = False
    checked: bool = False
    selected: list = dataclasses.field(default_factory=list)


@dataclasses.dataclass
class Form:
    action: str  # path (and query) the form posts to
    method: str
    enctype: str
    fields: list = dataclasses.field(default_factory=list)

    @property
    def path(self) -> str:
        return urlsplit(self.action).path

    def field_names(self) -> set[str]:
        return {f.name for f in self.fields}


class _FormParser(HTMLParser):
    def __init__(self, page_url: str):
        super().__init__(convert_charrefs=True)
        self.page_url = page_url
        self.forms: list[Form] = []
        self._form: Form | None = None
        self._select: Field | None = None
        self._textarea: Field | None = None
        self._option: dict | None = None

    def handle_starttag(self, tag, attrs):
        a = {k: (v or "") for k, v in attrs}
        if tag == "form":
            action = a.get("action") or self.page_url
            self._form = Form(
                action=urljoin(self.page_url, action),
                method=(a.get("method") or "get").lower(),
                enctype=a.get("enctype", ""),
            )
            self.forms.append(self._form)
            return
        if self._form is None or tag not in ("input", "select", "textarea", "button", "option"):
            return
        if tag == "option" and self._select is not None:
            self._option = {"value": a.get("value"), "selected": "selected" in a, "text": ""}
            self._select.options.append(self._option)
            return
        name = a.get("name")
        if not name:
            return
        if tag == "input":
            kind = a.get("type", "text").lower()
            field = Field(name, kind, value=a.get("value", ""), checked="checked" in a)
            if kind in ("checkbox", "radio"):
                field.options = [a.get("value", "on")]
                field.selected = field.options[:] if field.checked else []
            self._form.fields.append(field)
        elif tag == "button":
            if a.get("type", "submit").lower() == "submit":
                self._form.fields.append(Field(name, "submit", value=a.get("value", "")))
        elif tag == "select":
            self._select = Field(name, "select", multiple="multiple" in a)
            self._form.fields.append(self._select)
        elif tag == "textarea":
            self._textarea = Field(name, "textarea")
            self._form.fields.append(self._textarea)

    def handle_data(self, data):
        if self._textarea is not None:
            self._textarea.value += data
        if self._option is not None:
            self._option["text"] += data

    def handle_endtag(self, tag):
        if tag == "form":
            self._form = None
        elif tag == "select":
            self._select = None
        elif tag == "textarea":
            self._textarea = None
        elif tag == "option":
            self._option = None


def parse_forms(html: str, page_url: str) -> list[Form]:
    """The forms of a page, their fields merged by name (radio groups, checkbox lists)."""
    parser = _FormParser(page_url)
    parser.feed(html)
    for form in parser.forms:
        merged: dict[str, Field] = {}
        for field in form.fields:
            if field.kind == "select":
                values = [
                    (o["value"] if o["value"] is not None else o["text"].strip(), o["selected"])
                    for o in field.options
                ]
                field.options = [v for v, _selected in values]
                field.selected = [v for v, selected in values if selected]
            known = merged.get(field.name)
            if known is None:
                merged[field.name] = field
            elif field.kind in ("checkbox", "radio", "submit"):
                known.options += field.options or [field.value]
                known.selected += field.selected
                known.multiple = known.multiple or field.kind == "checkbox"
                if field.kind == "submit":
                    known.options = list(dict.fromkeys([known.value, *known.options]))
            else:
                merged[f"{field.name}#{len(merged)}"] = field  # same name twice: keep both
        form.fields = list(merged.values())
    return parser.forms


# --- values -----------------------------------------------------------------------------------

NASTY_STRINGS = [
    "",
    " ",
    "\x00",
    "a\x00b",
    "\x1b[31m\x07\x08",
    "\r\n\t",
    "<script>alert(1)</script>",
    '"><img src=x onerror=alert(1)>',
    "{{ 7*7 }}{% debug %}",
    "' OR '1'='1' --",
    "1; DROP TABLE labs_lab; --",
    "%s%s%n%x",
    "../../../../etc/passwd",
    "NaN",
    "nan",
    "inf",
    "-Infinity",
    "1e309",
    "-1",
    "0",
    "-0",
    "99999999999999999999999999",
    "-9223372036854775809",
    "2147483648",
    "1.5",
    "1,5",
    "0x1F",
    "2024-02-30",
    "2024-13-45",
    "0000-00-00",
    "99999-12-31",
    "0001-01-01",
    "9999-12-31T23:59",
    "2025-03-30T02:30",  # a time the clocks skip in Germany
    "31.12.2025",
    "null",
    "true",
    "[]",
    "{}",
    '{"a": [1, 2, {"b": null}]}',
    "\u202eevil\u202c",
    "Ärger über Straße – „Zitat“ 🎉👩‍👩‍👧",
    "\ud7ff\ufeff\u200b",
    "x" * 300,
    "ä" * 5001,
    "@",
    "a@b",
    "not-an-email@",
    "javascript:alert(1)",
    "https://example.org/" + "a" * 250,
]

# text hypothesis may send in a POST body (no surrogates: they cannot be UTF-8 encoded)
_text = st.text(
    alphabet=st.characters(exclude_categories=("Cs",)),
    max_size=40,
)
nasty_text = st.one_of(st.sampled_from(NASTY_STRINGS), _text)
_number_text = st.one_of(
    st.integers(min_value=-(10**20), max_value=10**20).map(str),
    st.floats(allow_nan=True, allow_infinity=True).map(str),
    st.decimals(allow_nan=False, allow_infinity=False, places=4).map(str),
    st.sampled_from(["NaN", "inf", "-inf", "1e309", "1e-400", "", "1_000", "٣", "²"]),
)
_date_text = st.one_of(
    st.dates().map(lambda d: d.isoformat()),
    st.sampled_from(["2024-02-30", "2025-13-01", "0000-00-00", "10000-01-01", "", "today"]),
)
_datetime_text = st.one_of(
    st.datetimes().map(lambda d: d.isoformat(timespec="minutes")),
    st.sampled_from(["2025-03-30T02:30", "2025-10-26T02:30", "2025-02-30T10:00", "T", ""]),
)


def _plausible(field: Field) -> st.SearchStrategy:
    """A value the page itself would send (so that some examples pass the form)."""
    if field.kind in ("select", "checkbox", "radio", "submit"):
        options = [o for o in field.options if o is not None] or [field.value or "on"]
        if field.multiple:
            return st.lists(st.sampled_from(options), max_size=3, unique=True)
        return st.sampled_from(options)
    if field.kind == "number":
        return st.sampled_from([field.value or "1", "1", "0", "3"])
    if field.kind == "date":
        return st.sampled_from([field.value or "2025-06-01", "2025-06-01", "2025-01-02"])
    if field.kind == "datetime-local":
        return st.sampled_from([field.value or "2030-06-01T10:00", "2030-06-01T10:00"])
    if field.kind == "email":
        return st.sampled_from(["neu.person@example.org", field.value or "x@example.org"])
    if field.kind == "file":
        return st.just(SimpleUploadedFile("leer.txt", b"", content_type="text/plain"))
    return st.sampled_from([field.value or "Text", "Ein Text", field.value])


def _wild(field: Field) -> st.SearchStrategy:
    """A value an attacker or a broken client might send."""
    if field.kind == "number":
        return _number_text
    if field.kind == "date":
        return st.one_of(_date_text, nasty_text)
    if field.kind == "datetime-local":
        return st.one_of(_datetime_text, nasty_text)
    if field.kind == "file":
        return uploads()
    if field.kind in ("select", "checkbox", "radio", "submit"):
        wrong = st.one_of(nasty_text, st.integers(-5, 10**12).map(str))
        if field.multiple or field.kind == "checkbox":
            return st.lists(st.one_of(_plausible(field), wrong), max_size=4)
        return st.one_of(wrong, st.lists(st.one_of(_plausible(field), wrong), max_size=3))
    return st.one_of(nasty_text, st.lists(nasty_text, min_size=2, max_size=3))


OMIT = object()

_BROWSER_DEFAULTS = {
    "email": "neu.person@example.org",
    "number": "1",
    "date": "2030-06-01",
    "datetime-local": "2030-06-01T10:00",
    "url": "https://example.org/",
    "time": "10:00",
}


# values that pass the usual validators, by a part of the field's name (first match wins)
_NAME_HINTS = [
    ("slug", "neu-1"),
    ("ags", "06412099"),
    ("code", "q_neu"),
    ("password", "Ein-langes-Passwort-2030"),
    ("scale_max", "5"),
    ("ends_at", "2030-06-01T12:00"),
    ("closes_at", "2030-06-01T12:00"),
    ("end_date", "2030-12-31"),
]


def browser_value(field: Field):
    """What a browser sends for the field as the page shows it (filled in where empty)."""
    if field.kind in ("select", "checkbox", "radio"):
        chosen = [v for v in field.selected if v]
        if not chosen and field.kind != "checkbox":
            chosen = [o for o in field.options if o][:1]
        if not chosen:
            return OMIT
        return chosen if field.multiple else chosen[0]
    if field.kind == "submit":
        return field.value
    if field.kind == "file":
        return SimpleUploadedFile("notiz.txt", b"Notiz\n", content_type="text/plain")
    if field.kind == "hidden" or field.value.strip():
        return field.value
    for part, value in _NAME_HINTS:
        if part in field.name:
            return value
    return _BROWSER_DEFAULTS.get(field.kind, "Ein Text")


def field_values(field: Field) -> st.SearchStrategy:
    if field.kind == "hidden":
        # management forms, versions, origins: mostly as the page sent them
        return st.one_of(
            st.just(field.value), st.just(field.value), st.just(OMIT), _wild(Field("h", "text"))
        )
    if field.kind == "submit":
        return st.one_of(st.just(OMIT), _plausible(field), _plausible(field), _wild(field))
    if field.kind in ("checkbox",):
        return st.one_of(st.just(OMIT), _plausible(field), _wild(field))
    return st.one_of(st.just(OMIT), _plausible(field), _wild(field), _wild(field))


def uploads(names=("datei.json", "datei.csv", "bild.png", "x.pdf", "../../x.exe", "ä ö.txt")):
    contents = st.one_of(
        st.binary(max_size=200),
        st.sampled_from([b"", b"\x00" * 64, b"\xef\xbb\xbf", b"%PDF-1.4\n", b"\x89PNG\r\n"]),
        nasty_text.map(lambda s: s.encode("utf-8", "surrogatepass")),
    )
    return st.builds(
        lambda name, content, ctype: SimpleUploadedFile(name, content, content_type=ctype),
        st.sampled_from(names),
        contents,
        st.sampled_from(["application/json", "text/csv", "application/octet-stream", ""]),
    )


_EXTRA_KEYS = st.sampled_from(
    ["id", "pk", "lab", "created_by", "is_superuser", "status", "version", "next", "action"]
)


@st.composite
def form_data(draw, forms: list[Form]):
    """(form, data) for one of `forms`: every field present, missing, plausible or wild, plus
    maybe a field the form does not have."""
    form = draw(st.sampled_from(forms))
    # a third of the examples: the form as the browser would send it, with at most one field
    # changed, so that the valid path behind the form is reached too
    as_shown = draw(st.integers(0, 2)) == 0
    wild_one = draw(st.integers(-1, len(form.fields) - 1)) if as_shown else None
    data = {}
    for i, field in enumerate(form.fields):
        if field.name == "csrfmiddlewaretoken":
            data[field.name] = field.value
            continue
        keep = as_shown and i != wild_one
        value = browser_value(field) if keep else draw(field_values(field))
        if value is OMIT:
            continue
        name = field.name.split("#", 1)[0]
        if name in data:  # the same name twice in the form: send both values
            previous = data[name] if isinstance(data[name], list) else [data[name]]
            data[name] = previous + (value if isinstance(value, list) else [value])
        else:
            data[name] = value
    if draw(st.integers(0, 4)) == 0:
        data[draw(_EXTRA_KEYS)] = draw(nasty_text)
    return form, data


def fixed_examples(form: Form) -> list[dict]:
    """Always tried, before hypothesis: the form as shown; then every visible field at once with a
    NUL byte (PostgreSQL refuses it in text), with 5,001 characters, and with two values."""
    shown = {}
    for field in form.fields:
        value = browser_value(field)
        if value is not OMIT:
            shown[field.name.split("#", 1)[0]] = value
    examples = [shown]
    for odd in ("a\x00b", "ä" * 5001, ["1", "2"]):
        data = dict(shown)
        for field in form.fields:
            if field.kind not in ("hidden", "file") and field.name != "csrfmiddlewaretoken":
                data[field.name.split("#", 1)[0]] = odd
        examples.append(data)
    return examples


# --- judging a response -----------------------------------------------------------------------


def _context_values(response):
    context = response.context
    if context is None:
        return
    contexts = context if isinstance(context, list) else [context]
    for ctx in contexts:
        for d in getattr(ctx, "dicts", [ctx]):
            if isinstance(d, dict):
                yield from d.values()


def form_errors(response) -> list:
    """Errors of every bound form and formset the page rendered."""
    errors = []
    for value in _context_values(response):
        if (
            isinstance(value, BaseForm)
            and value.is_bound
            and value.errors
            or (
                isinstance(value, BaseFormSet)
                and value.is_bound
                and (value.non_form_errors() or any(value.errors))
            )
        ):
            errors.append(value.errors)
    return errors


def messages_of(response, min_level=message_levels.INFO) -> list[str]:
    storage = getattr(response.wsgi_request, "_messages", None)
    if storage is None:
        return []
    return [str(m) for m in list(storage) if m.level >= min_level]


def error_messages(response) -> list[str]:
    return messages_of(response, message_levels.WARNING)


def is_login_redirect(response) -> bool:
    return response.status_code in (301, 302, 303) and urlsplit(
        response["Location"]
    ).path == reverse("account_login")


def shows_a_message(response) -> bool:
    """The user learns why nothing happened: a form error, a message, or an error page."""
    if form_errors(response) or messages_of(response):
        return True
    body = response.content.decode(errors="replace") if response.content else ""
    return 'role="alert"' in body or "kern-alert" in body
