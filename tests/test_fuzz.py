"""Every form of the project, fuzzed: no input gives a 500; a refused input changes nothing in the
database and tells the user why.

The routes come from the permission matrix's URL walk (tests/test_permission_matrix.py): every
project URL that accepts a POST from some persona is posted to as the most privileged persona the
matrix allows (a coordinator of lab X, tandem member A for the tandem's own pages, anonymous for
survey answer links and invitations). The form fields are read from the HTML of the page that
shows the form (the URL itself, or for POST-only URLs the page whose <form action> points there);
hypothesis fills them with plausible and wild values (unicode, control characters, NUL bytes,
HTML, SQL, numbers out of range, NaN, bad dates, wrong choices, lists, missing and extra fields),
with and without the htmx header. Each example runs in a savepoint that is rolled back, so every
example starts from the same world.

Uploads (survey definition JSON, response CSV, event materials) get their own content
strategies, and the GET pages that read a query string get fuzzed query strings.
"""

import copy
import csv
import html
import io
import json
import os
import re
import traceback
from collections import Counter
from urllib.parse import urlencode, urlsplit

import pytest
from django import forms
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.http import HttpResponse
from django.template import engines
from django.urls import path
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from labs.models import Lab

from . import fuzz_support as fz
from .matrix_world import *  # noqa: F403  the permission matrix's world, one per module
from .test_get_is_safe import WRITES_ON_GET
from .test_permission_matrix import EXPECTED, PROJECT_ROUTES, TABLE, _project_url

# CI: ten examples per endpoint, the same ones on every run; a longer hunt on a workstation:
# FUZZ_MAX_EXAMPLES=200 pytest tests/test_fuzz.py
FUZZ = settings(
    max_examples=int(os.environ.get("FUZZ_MAX_EXAMPLES", "10")),
    deadline=None,
    derandomize=True,
    database=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)

# Who posts: the public answer pages and the invitation as anonymous visitors, everything else as
# the first of these personas whose empty POST the matrix answers with the form (200) or done (302).
PERSONA_PREFERENCE = ("coordinator", "tandem_a", "admin")
# where the coordinator has no form to send in the matrix world
PERSONA_OVERRIDE = {
    "event_respond": "tandem_a",  # registered for the workshop; the coordinator is not invited
    "mission_review": "tandem_a",  # submits the draft; approving needs a submitted profile
    # the matrix world's notification is tandem_a's: only their list offers the read buttons
    "notification_read": "tandem_a",
    "notification_read_all": "tandem_a",
}


def poster(name: str) -> str | None:
    if name in PERSONA_OVERRIDE:
        return PERSONA_OVERRIDE[name]
    if EXPECTED.get((name, "anonymous", "POST")) == 200:
        return "anonymous"
    for persona in PERSONA_PREFERENCE:
        if EXPECTED.get((name, persona, "POST")) in (200, 302):
            return persona
    return None


POST_ROUTES = [r for r in PROJECT_ROUTES if (r.name, "POST") in TABLE and poster(r.name)]

# A POST-only URL's form lives on another page: which one (by URL name). A tuple is a path of
# pages: the form is on the page the first one links to under the second name.
FORM_PAGES = {
    "invitation_revoke": "lab_people",
    "event_respond": "event_detail",
    "event_material_delete": "event_detail",
    "mission_measure_status": "mission_step_mission",
    "mission_measure_delete": "mission_measure_edit",
    "mission_review": "mission_profile",
    "mission_share": "mission_profile",
    "mission_restore": ("mission_history", "mission_as_of"),
    "survey_save_template": "survey_detail",
    "survey_section_move": "survey_detail",
    "survey_question_move": "survey_detail",
    "survey_links_revoke": "survey_links",
    "survey_open_link": "survey_links",
    "survey_remind": "survey_links",
    "report_generate": "report_draft",
    "my_account_delete": "my_privacy",
    "notification_read": "notification_list",
    "notification_read_all": "notification_list",
}

# URLs whose page offers no form in the matrix world, with the reason: they get a POST with the
# CSRF token and fuzzed extra fields only.
NO_FORM = {
    "survey_section_delete": "the survey has answers: the page says why nothing can be deleted",
    "survey_question_delete": "the survey has answers: the page says why nothing can be deleted",
    "survey_remind": "nobody was e-mailed a link, so there is no reminder button",
    "mission_start": "the profile was started at admission: no page offers the start button",
    "report_run_withdraw": "the version is not published: nothing to withdraw, back to the version",
    "mission_withdraw": "the profile is a draft: only a submitted one offers the withdraw button",
    "account_reactivate": "the account is active: only a deactivated one offers the button",
}


def _route(name: str):
    return next(r for r in PROJECT_ROUTES if r.name == name)


def _links_to(response, path: str) -> str | None:
    for href in re.findall(r'href="([^"]+)"', response.content.decode()):
        href = html.unescape(href)
        if urlsplit(href).path == path:
            return href
    return None


def _forms_for(client, url: str, name: str, url_kwargs: dict) -> list[fz.Form]:
    """The POST forms (on the URL's own page or on FORM_PAGES[name]) whose action is `url`."""
    pages = []
    persona_get = client.get(url)
    if persona_get.status_code == 200:
        pages.append((url, persona_get))
    page = FORM_PAGES.get(name)
    if isinstance(page, str):
        page_url = _project_url(_route(page), url_kwargs)
        pages.append((page_url, client.get(page_url)))
    elif page:
        first = client.get(_project_url(_route(page[0]), url_kwargs))
        page_url = _links_to(first, _project_url(_route(page[1]), url_kwargs))
        assert page_url, f"{page[0]} links nowhere to {page[1]}"
        pages.append((page_url, client.get(page_url)))
    forms = []
    for page_url, response in pages:
        if response.status_code != 200 or "html" not in response.get("Content-Type", ""):
            continue
        for form in fz.parse_forms(response.content.decode(), page_url):
            if form.method == "post" and form.path == urlsplit(url).path:
                forms.append(form)
    if not forms and name in NO_FORM:
        forms = [fz.Form(action=url, method="post", enctype="", fields=[])]
    return forms


def _post(client, form: fz.Form, data: dict, htmx: bool):
    headers = {"HX-Request": "true"} if htmx else {}
    if any(isinstance(v, SimpleUploadedFile) for v in data.values()):
        for v in data.values():
            if isinstance(v, SimpleUploadedFile):
                v.seek(0)
    try:
        return client.post(form.action, data, headers=headers), None
    except Exception:  # noqa: BLE001 - a view that raises is a 500 for the user
        return None, traceback.format_exc()


def check_post(client, form: fz.Form, data: dict, htmx: bool = False):
    """POST `data` in a rolled-back savepoint and judge the answer."""
    with transaction.atomic():
        before = fz.fingerprint()
        response, error = _post(client, form, data, htmx)
        assert error is None, f"POST {form.action} {data!r} raised:\n{error}"
        after = fz.fingerprint()
        transaction.set_rollback(True)
    changed = fz.fingerprint_diff(before, after)
    status = response.status_code
    where = f"POST {form.action} (htmx={htmx}) with {data!r}"
    assert status < 500, f"{where}: {status}"
    assert not fz.is_login_redirect(response), f"{where}: sent to the login page"
    errors = fz.form_errors(response)
    if changed:
        # only a success may change the database, and all of a success
        assert status in (200, 201, 204, 301, 302, 303), f"{where}: {status} but changed {changed}"
        assert not errors, f"{where}: shows errors {errors} but changed {changed}"
        assert not fz.error_messages(response) or status in (301, 302, 303), (
            f"{where}: error message {fz.error_messages(response)} but changed {changed}"
        )
    elif status == 200 and not htmx:
        # refused: the user must learn why
        assert fz.shows_a_message(response), f"{where}: nothing changed and no message"
    return response, changed


# Inputs that once gave a 500 or changed data though refused, posted to the page's first form
# before hypothesis starts: {URL name: [data, ...]}.
REGRESSIONS: dict[str, list[dict]] = {}


def record_inputs(request, count: int) -> None:
    """How many inputs this test judged: tests/conftest.py adds them up in the run's summary."""
    request.node.user_properties.append(("fuzz_inputs", count))


def _outcome(response, changed) -> str:
    said = "message" if fz.shows_a_message(response) else "silent"
    return f"{response.status_code} {'changed' if changed else 'unchanged'} {said}"


@pytest.mark.parametrize("route", POST_ROUTES, ids=lambda r: r.name)
def test_post_fuzz(route, client_as, url_kwargs, request):
    persona = poster(route.name)
    client = client_as(persona)
    url = _project_url(route, url_kwargs)
    forms = _forms_for(client, url, route.name, url_kwargs)
    assert forms, (
        f"no <form method=post action={url}> found on the page or on FORM_PAGES[{route.name!r}]"
    )
    outcomes = Counter()
    for values in REGRESSIONS.get(route.name, []):
        outcomes[_outcome(*check_post(client, forms[0], values))] += 1
    for form in forms:
        for values in fz.fixed_examples(form):
            outcomes[_outcome(*check_post(client, form, values))] += 1

    @FUZZ
    @given(st.data(), st.booleans())
    def run(data, htmx):
        form, values = data.draw(fz.form_data(forms), label="form data")
        outcomes[_outcome(*check_post(client, form, values, htmx))] += 1

    run()
    record_inputs(request, sum(outcomes.values()))
    print(f"{route.name} as {persona}: {dict(outcomes)}")


def test_every_post_route_is_fuzzed():
    assert len(POST_ROUTES) > 50
    names = {r.name for r in POST_ROUTES}
    assert {"survey_answer_link", "invitation_accept", "mission_step_vision"} <= names
    assert not set(FORM_PAGES) - names, "FORM_PAGES names a URL that is not posted to"
    assert not set(NO_FORM) - names, "NO_FORM names a URL that is not posted to"


# --- uploads: the content itself --------------------------------------------------------------

json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | fz.nasty_text,
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(fz.nasty_text, inner, max_size=3),
    max_leaves=6,
)


@st.composite
def mutated(draw, document):
    """`document` with one to three values replaced, deleted or doubled somewhere inside."""
    doc = copy.deepcopy(document)
    for _ in range(draw(st.integers(1, 3))):
        parent, key, node = None, None, doc
        for _ in range(draw(st.integers(1, 5))):
            if isinstance(node, dict) and node:
                k = draw(st.sampled_from(sorted(node)))
            elif isinstance(node, list) and node:
                k = draw(st.integers(0, len(node) - 1))
            else:
                break
            parent, key, node = node, k, node[k]
        if parent is None:
            continue
        action = draw(st.sampled_from(["replace", "replace", "delete", "double"]))
        if action == "replace":
            parent[key] = draw(json_values)
        elif action == "delete":
            del parent[key]
        elif isinstance(parent, list):
            parent.append(copy.deepcopy(node))
        else:
            parent[key] = [node, node]
    return doc


def _definition_files(base: dict):
    documents = st.one_of(mutated(base), mutated(base), json_values)
    as_json = documents.map(lambda d: json.dumps(d, ensure_ascii=False).encode())
    broken = st.one_of(
        st.binary(max_size=300),
        as_json.map(lambda b: b[: len(b) // 2]),
        st.sampled_from([b"", b"\xef\xbb\xbf{}", b"[" * 5000, b'{"a": NaN}', b"\xff\xfe{\x00}"]),
    )
    return st.one_of(as_json, as_json, broken)


def _definition_examples(client, form, base) -> int:
    count = 0

    @FUZZ
    @given(st.data())
    def run(data):
        nonlocal count
        count += 1
        _definition_example(data, client, form, base)

    run()
    return count


def _definition_example(data, client, form, base):
    content = data.draw(_definition_files(base), label="file")
    slug = data.draw(st.one_of(st.just(""), st.just("neu-importiert"), fz.nasty_text))
    upload = SimpleUploadedFile("umfrage.json", content, content_type="application/json")
    return check_post(client, form, {"file": upload, "slug": slug})


def test_definition_import_content_fuzz(client_as, url_kwargs, request):
    """The survey definition JSON: random bytes, broken JSON, valid JSON of the wrong shape and
    the survey's own definition with values replaced, deleted or doubled."""
    client = client_as("coordinator")
    base = json.loads(client.get(_project_url(_route("survey_definition"), url_kwargs)).content)
    url = _project_url(_route("survey_definition_import"), url_kwargs)
    (form,) = _forms_for(client, url, "survey_definition_import", url_kwargs)
    # the definition itself, under a new short name, is imported: the test can tell success
    upload = SimpleUploadedFile("u.json", json.dumps(base).encode(), "application/json")
    response, changed = check_post(client, form, {"file": upload, "slug": "kopie"})
    assert response.status_code == 302 and changed
    record_inputs(request, 1 + _definition_examples(client=client, form=form, base=base))


def _csv_bytes(rows, delimiter, encoding, newline):
    buffer = io.StringIO()
    csv.writer(buffer, delimiter=delimiter, lineterminator=newline).writerows(rows)
    return buffer.getvalue().encode(encoding, errors="replace")


@st.composite
def _answer_files(draw, header, good_row):
    cell = st.one_of(st.sampled_from(good_row), fz.nasty_text, st.integers(-5, 10**12).map(str))
    rows = [draw(st.one_of(st.just(header), st.lists(fz.nasty_text, max_size=6), mutated(header)))]
    for _ in range(draw(st.integers(0, 4))):
        width = draw(st.sampled_from([len(header), len(header) - 1, len(header) + 2, 1]))
        rows.append([draw(cell) for _ in range(max(width, 0))])
    rows = [[str(c) if not isinstance(c, str) else c for c in row] for row in rows]
    content = _csv_bytes(
        rows,
        draw(st.sampled_from([",", ";", "\t", "|"])),
        draw(st.sampled_from(["utf-8", "utf-8-sig", "latin-1", "utf-16", "cp1252"])),
        draw(st.sampled_from(["\n", "\r\n", "\r"])),
    )
    if draw(st.integers(0, 5)) == 0:
        content = draw(st.binary(max_size=300))
    name = draw(st.sampled_from(["antworten.csv", "antworten.CSV", "antworten.txt", "a.xlsx"]))
    return SimpleUploadedFile(name, content, content_type="text/csv")


def _answer_examples(client, form, header, good_row) -> int:
    count = 0

    @FUZZ
    @given(_answer_files(header, good_row))
    def run(upload):
        nonlocal count
        count += 1
        check_post(client, form, {"file": upload})

    run()
    return count


def test_response_import_content_fuzz(client_as, url_kwargs, request):
    """The answers CSV: the raw export's own columns with odd cells, rows of the wrong width,
    other delimiters, encodings and line ends, random bytes."""
    client = client_as("coordinator")
    export = client.get(_project_url(_route("survey_export_raw"), url_kwargs))
    assert export.status_code == 200
    rows = list(
        csv.reader(
            io.StringIO(
                b"".join(export.streaming_content).decode("utf-8-sig")
                if export.streaming
                else export.content.decode("utf-8-sig")
            )
        )
    )
    header, good_row = rows[0], rows[1]
    url = _project_url(_route("survey_import_responses"), url_kwargs)
    (form,) = _forms_for(client, url, "survey_import_responses", url_kwargs)
    count = _answer_examples(client=client, form=form, header=header, good_row=good_row)
    record_inputs(request, count)


# --- query strings of GET pages ---------------------------------------------------------------

# The parameters each page reads from its query string (views: request.GET); the names of the
# page's own GET forms are added to them.
QUERY_PARAMS = {
    "cohort_dashboard": ["status", "page"],
    "event_list": ["cohort", "type", "page"],
    "event_create": ["cohort"],
    "invitation_create": ["participation"],
    "mission_history": ["page"],
    "mission_as_of": ["at"],
    "mission_compare": ["a", "b"],
    "cohort_missions": ["status", "format", "page"],
    "survey_answer_link": ["lang", "section"],
    "survey_answer_open": ["lang", "section"],
    "survey_answer_in_app": ["lang", "section"],
    "survey_export_results": ["format", "by"],
    "survey_analysis": ["by"],
    "survey_chart": ["by"],
    "survey_compare": ["by", "baseline", "final"],
    "lab_survey_analysis": ["kind", "by"],
    "survey_question_create": ["type"],
    "audit_log": ["page", "kind", "lab", "date_from", "date_to"],
    "notification_list": ["page"],
}
QUERY_ROUTES = [r for r in PROJECT_ROUTES if r.name in QUERY_PARAMS]


def reader(name: str) -> str:
    for persona in ("coordinator", "tandem_a", "admin", "anonymous"):
        if EXPECTED.get((name, persona, "GET")) == 200:
            return persona
    raise AssertionError(f"nobody reads {name}")


def _get_form_fields(response, url) -> set[str]:
    if "html" not in response.get("Content-Type", ""):
        return set()
    names = set()
    for form in fz.parse_forms(response.content.decode(), url):
        if form.method == "get" and form.path == urlsplit(url).path:
            names |= {f.name.split("#", 1)[0] for f in form.fields}
    return names


@pytest.mark.parametrize("route", QUERY_ROUTES, ids=lambda r: r.name)
def test_query_string_fuzz(route, client_as, url_kwargs, request):
    persona = reader(route.name)
    client = client_as(persona)
    url = _project_url(route, url_kwargs)
    plain = client.get(url)
    assert plain.status_code == 200
    names = sorted(set(QUERY_PARAMS[route.name]) | _get_form_fields(plain, url) | {"page"})
    allowed = WRITES_ON_GET.get(route.name, (set(), ""))[0]
    values = st.one_of(fz.nasty_text, st.integers(-5, 10**20).map(str), st.lists(fz.nasty_text))
    count = 0

    @FUZZ
    @given(st.dictionaries(st.sampled_from(names), values, max_size=4), st.booleans())
    def run(query, htmx):
        nonlocal count
        count += 1
        full = f"{url}?{urlencode(query, doseq=True)}"
        headers = {"HX-Request": "true"} if htmx else {}
        with transaction.atomic():
            before = fz.fingerprint()
            try:
                response = client.get(full, headers=headers)
            except Exception:  # noqa: BLE001
                pytest.fail(f"GET {full} raised:\n{traceback.format_exc()}")
            changed = set(fz.fingerprint_diff(before, fz.fingerprint())) - allowed
            transaction.set_rollback(True)
        assert response.status_code < 500, f"GET {full} (htmx={htmx}): {response.status_code}"
        assert not changed, f"GET {full} changed {changed}"

    run()
    record_inputs(request, count)


# --- the judge itself can fail ----------------------------------------------------------------


def _writes_then_refuses(request):
    Lab.objects.update(name="Geändert")
    form = forms.Form(request.POST)
    form.add_error(None, "Refused.")
    return HttpResponse(engines["django"].from_string("{{ form }}").render({"form": form}))


def _refuses_silently(request):
    return HttpResponse(engines["django"].from_string("<p>Nope</p>").render({}))


def _crashes(request):
    raise ValueError("boom")


urlpatterns = [
    path("writes/", _writes_then_refuses),
    path("silent/", _refuses_silently),
    path("crash/", _crashes),
]


@pytest.mark.urls("tests.test_fuzz")
@pytest.mark.parametrize(
    "url,complaint",
    [("/writes/", "shows errors"), ("/silent/", "no message"), ("/crash/", "raised")],
)
def test_the_judge_catches_bad_answers(url, complaint, world, client_as):
    form = fz.Form(action=url, method="post", enctype="", fields=[])
    with pytest.raises(AssertionError, match=complaint):
        check_post(client_as("coordinator"), form, {"title": "x"})
