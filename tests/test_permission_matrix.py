"""Every URL the project defines × every persona × GET/POST, against a table written by hand.

The URL list comes from walking the resolver, so a new project URL without rows in EXPECTED makes
`test_project_url` and `test_every_project_url_has_a_row` fail. POSTs carry no data: allowed roles
get the form back with errors (200), others 403/404, GET-only pages 405.
Third-party URLs (allauth, admin, i18n) must at least never answer 500.
"""

import json
import re
from dataclasses import dataclass

import pytest
from django.apps import apps
from django.contrib.auth.models import Group
from django.contrib.contenttypes.models import ContentType
from django.urls import URLPattern, URLResolver, get_resolver, resolve, reverse
from django.urls.resolvers import RegexPattern, RoutePattern

from labs.models import Lab
from missions.models import MissionProfile

from .accounts import matrix_account, matrix_site
from .conftest import PERSONAS
from .evaluations import (
    matrix_analysis,
    matrix_answer,
    matrix_builder,
    matrix_distribution,
    matrix_transfer,
)
from .events import matrix_events_calendar, matrix_events_materials, matrix_events_planning
from .helpers import assert_login_required
from .matrix_world import *  # noqa: F403  one world per module: `url_kwargs`, the personas, …
from .missions import matrix_indicators
from .notifications import matrix_notifications
from .reports import matrix_reports

PROJECT_MODULES = (
    "labs.", "tandems.", "missions.", "evaluations.", "events.", "reports.", "accounts.",
    "notifications.", "exchange.", "feedback.", "casework.", "experts.",
    "toolkit.", "public.",
)  # fmt: skip
PROJECT_NAMES = {"home", "healthz"}
METHODS = ("GET", "POST")
EMPTY_FORM = {"csrfmiddlewaretoken": "not-checked-by-the-test-client"}


@dataclass(frozen=True)
class Route:
    patterns: tuple  # the chain of URL patterns from the root URLconf to the view
    name: str | None  # with namespace, e.g. "admin:index"
    callback: object

    @property
    def module(self) -> str:
        return self.callback.__module__

    @property
    def route(self) -> str:
        return "".join(str(p) for p in self.patterns)

    @property
    def is_project(self) -> bool:
        return self.module.startswith(PROJECT_MODULES) or self.name in PROJECT_NAMES

    @property
    def kwarg_names(self) -> list[str]:
        names = []
        for pattern in self.patterns:
            names += list(pattern.regex.groupindex)
        return names


def _walk(resolver, chain=(), namespace=None):
    for entry in resolver.url_patterns:
        if isinstance(entry, URLResolver):
            ns = namespace
            if entry.namespace:
                ns = f"{namespace}:{entry.namespace}" if namespace else entry.namespace
            yield from _walk(entry, (*chain, entry.pattern), ns)
        elif isinstance(entry, URLPattern):
            name = entry.name and (f"{namespace}:{entry.name}" if namespace else entry.name)
            yield Route((*chain, entry.pattern), name, entry.callback)


ALL_ROUTES = list(_walk(get_resolver()))
PROJECT_ROUTES = [r for r in ALL_ROUTES if r.is_project]
THIRD_PARTY_ROUTES = [r for r in ALL_ROUTES if not r.is_project]

# --- the table ----------------------------------------------------------------------------------

HEALTH = "200 or 503"
L = 302  # anonymous: redirect to the login page

# Columns follow PERSONAS.
COLUMNS = (
    "anonymous",
    "coordinator",
    "coordinator_y",
    "tandem_a",
    "tandem_b",
    "funder",
    "expert",
    "admin",
    "outsider",
    "participant",
)
assert COLUMNS == PERSONAS

# fmt: off
#                                     anon coord co_y tan_a tan_b fund  exp  admin outs  part
# a page of the lab for its coordinators; participants see the lab (403)
_COORDINATOR_ONLY =                  (L,   200,  404, 403,  403,  403,  403, 200,  404,  403)
# a page of a cohort for the lab's coordinators; participants see no cohort (404)
_COHORT_COORDINATOR_ONLY =           (L,   200,  404, 403,  403,  403,  403, 200,  404,  404)
_GET_ONLY_POST =                     (L,   405,  405, 405,  405,  405,  405, 405,  405,  405)
_POST_ONLY_GET = _GET_ONLY_POST
# Ahornstadt's mission profile, not shared: coordinators of lab X read and review it, its tandem
# writes it; tandem B would read it only if it were shared.
_PROFILE_READ =                      (L,   200,  404, 200,  404,  404,  404, 200,  404,  404)
# its tandem's pages and forms (an empty POST: the form back with errors); coordinators 403
_PROFILE_WRITE =                     (L,   403,  404, 200,  404,  404,  404, 200,  404,  404)
# an action of its tandem that needs no form (done, redirect); coordinators 403
_PROFILE_WRITE_DONE =                (L,   403,  404, 302,  404,  404,  404, 302,  404,  404)
# Ahornstadt's participation and tandem: its coordinators and its own tandem members
_PARTICIPATION_EDIT =                (L,   200,  404, 200,  404,  404,  404, 200,  404,  404)
TABLE = {
    ("home", "GET"):                 (200, 200,  200, 200,  200,  200,  200, 200,  200,  200),
    ("home", "POST"):                (405, 405,  405, 405,  405,  405,  405, 405,  405,  405),
    ("healthz", "GET"):              (HEALTH,) * 10,
    ("healthz", "POST"):             (405, 405,  405, 405,  405,  405,  405, 405,  405,  405),
    ("lab_create", "GET"):           (L,   200,  200, 403,  403,  403,  403, 200,  403,  403),
    ("lab_create", "POST"):          (L,   200,  200, 403,  403,  403,  403, 200,  403,  403),
    ("lab_detail", "GET"):           (L,   200,  404, 200,  200,  200,  200, 200,  404,  200),
    ("lab_detail", "POST"):          _GET_ONLY_POST,
    ("lab_edit", "GET"):             _COORDINATOR_ONLY,
    ("lab_edit", "POST"):            _COORDINATOR_ONLY,
    ("lab_people", "GET"):           _COORDINATOR_ONLY,
    ("lab_people", "POST"):          _GET_ONLY_POST,
    ("invitation_create", "GET"):    _COORDINATOR_ONLY,
    ("invitation_create", "POST"):   _COORDINATOR_ONLY,
    ("invitation_revoke", "GET"):    (L,   405,  405, 405,  405,  405,  405, 405,  405,  405),
    ("invitation_revoke", "POST"):   (L,   302,  404, 403,  403,  403,  403, 302,  404,  403),
    # the funder's role in lab X: asked first (GET), revoked on POST
    ("lab_membership_revoke", "GET"):  _COORDINATOR_ONLY,
    ("lab_membership_revoke", "POST"): (L,   302,  404, 403,  403,  403,  403, 302,  404,  403),
    ("municipality_list", "GET"):    _COORDINATOR_ONLY,
    ("municipality_list", "POST"):   _GET_ONLY_POST,
    ("municipality_create", "GET"):  _COORDINATOR_ONLY,
    ("municipality_create", "POST"): _COORDINATOR_ONLY,
    ("municipality_edit", "GET"):    _COORDINATOR_ONLY,
    ("municipality_edit", "POST"):   _COORDINATOR_ONLY,
    ("cohort_create", "GET"):        _COORDINATOR_ONLY,
    ("cohort_create", "POST"):       _COORDINATOR_ONLY,
    ("cohort_dashboard", "GET"):     (L,   200,  404, 200,  200,  200,  200, 200,  404,  404),
    ("cohort_dashboard", "POST"):    _GET_ONLY_POST,
    ("cohort_edit", "GET"):          _COHORT_COORDINATOR_ONLY,
    ("cohort_edit", "POST"):         _COHORT_COORDINATOR_ONLY,
    ("participation_admit", "GET"):  _COHORT_COORDINATOR_ONLY,
    ("participation_admit", "POST"): _COHORT_COORDINATOR_ONLY,
    ("participation_detail", "GET"): (L,   200,  404, 200,  404,  404,  404, 200,  404,  404),
    ("participation_detail", "POST"): _GET_ONLY_POST,
    ("participation_edit", "GET"):   (L,   200,  404, 403,  404,  404,  404, 200,  404,  404),
    ("participation_edit", "POST"):  (L,   200,  404, 403,  404,  404,  404, 200,  404,  404),
    # a pending tandem invitation for Ahornstadt, sent to an address no persona has: anonymous
    # visitors get the sign-up form (an empty POST fails it); every logged-in account is another
    # one and is refused, on GET and POST (issue 21: invitations are bound to their address)
    ("invitation_accept", "GET"):    (200, 403,  403, 403,  403,  403,  403, 403,  403,  403),
    ("invitation_accept", "POST"):   (200, 403,  403, 403,  403,  403,  403, 403,  403,  403),

    # --- mission profile of Ahornstadt (not shared): missions/permissions.py ---
    ("mission_profile", "GET"):          _PROFILE_READ,
    ("mission_profile", "POST"):         _GET_ONLY_POST,
    # started at admission already: nothing to do, back to the profile
    ("mission_start", "GET"):            _POST_ONLY_GET,
    ("mission_start", "POST"):           _PROFILE_WRITE_DONE,
    ("mission_step_vision", "GET"):      _PROFILE_READ,
    ("mission_step_vision", "POST"):     _PROFILE_WRITE,
    ("mission_step_goals", "GET"):       _PROFILE_READ,
    ("mission_step_goals", "POST"):      _PROFILE_WRITE,
    ("mission_goal_edit", "GET"):        _PROFILE_WRITE,
    ("mission_goal_edit", "POST"):       _PROFILE_WRITE,
    ("mission_goal_delete", "GET"):      _PROFILE_WRITE,  # asks for confirmation
    ("mission_goal_delete", "POST"):     _PROFILE_WRITE_DONE,
    ("mission_goal_progress", "GET"):    _PROFILE_READ,
    ("mission_goal_progress", "POST"):   _PROFILE_WRITE,
    ("mission_goal_chart", "GET"):       _PROFILE_READ,
    ("mission_goal_chart", "POST"):      _GET_ONLY_POST,
    ("mission_step_mission", "GET"):     _PROFILE_READ,
    ("mission_step_mission", "POST"):    _PROFILE_WRITE,
    ("mission_measure_create", "GET"):   _PROFILE_WRITE,
    ("mission_measure_create", "POST"):  _PROFILE_WRITE,
    ("mission_measure_edit", "GET"):     _PROFILE_WRITE,
    ("mission_measure_edit", "POST"):    _PROFILE_WRITE,
    ("mission_measure_status", "GET"):   _POST_ONLY_GET,
    ("mission_measure_status", "POST"):  _PROFILE_WRITE,
    ("mission_measure_delete", "GET"):   _POST_ONLY_GET,
    ("mission_measure_delete", "POST"):  _PROFILE_WRITE_DONE,
    # the tandem submits, the coordinators approve, return and activate: an empty POST names no
    # step, so both get the form back
    ("mission_review", "GET"):           _POST_ONLY_GET,
    ("mission_review", "POST"):          (L,   200,  404, 200,  404,  404,  404, 200,  404,  404),
    # the tandem withdraws its submission (the world's draft profile: refused with a message,
    # back to the profile); coordinators do not withdraw, they return
    ("mission_withdraw", "GET"):         _POST_ONLY_GET,
    ("mission_withdraw", "POST"):        _PROFILE_WRITE_DONE,
    # an empty POST means "do not share": done, back to the profile
    ("mission_share", "GET"):            _POST_ONLY_GET,
    ("mission_share", "POST"):           _PROFILE_WRITE_DONE,
    ("mission_print", "GET"):            _PROFILE_READ,
    ("mission_print", "POST"):           _GET_ONLY_POST,
    ("mission_history", "GET"):          _PROFILE_READ,
    ("mission_history", "POST"):         _GET_ONLY_POST,
    ("mission_as_of", "GET"):            _PROFILE_READ,
    ("mission_as_of", "POST"):           _GET_ONLY_POST,
    ("mission_compare", "GET"):          _PROFILE_READ,
    ("mission_compare", "POST"):         _GET_ONLY_POST,
    # without a moment: back to the history with a message
    ("mission_restore", "GET"):          _POST_ONLY_GET,
    ("mission_restore", "POST"):         _PROFILE_WRITE_DONE,
    ("cohort_missions", "GET"):          _COHORT_COORDINATOR_ONLY,
    ("cohort_missions", "POST"):         _GET_ONLY_POST,
    # "Learning from each other": the cohort's tandems and coordinators; funders only when the
    # lab allows it (off in the matrix world: 403), experts 403
    ("cohort_shared_profiles", "GET"):   (L,   200,  404, 200,  200,  403,  403, 200,  404,  200),
    ("cohort_shared_profiles", "POST"):  _GET_ONLY_POST,
    # --- the tandem of Ahornstadt: its coordinators and its own members ---
    ("tandem_edit", "GET"):              _PARTICIPATION_EDIT,
    # every sponsor field is optional: an empty POST clears them and is done
    ("tandem_edit", "POST"):             (L,   302,  404, 302,  404,  404,  404, 302,  404,  404),
    ("tandem_member_edit", "GET"):       _PARTICIPATION_EDIT,
    ("tandem_member_edit", "POST"):      _PARTICIPATION_EDIT,  # the department is required
    # removing or handing over a member: the coordinators (an empty POST chooses nothing)
    ("tandem_member_remove", "GET"):     (L,   200,  404, 403,  404,  404,  404, 200,  404,  404),
    ("tandem_member_remove", "POST"):    (L,   200,  404, 403,  404,  404,  404, 200,  404,  404),
}
# fmt: on

# the survey and event URLs keep their rows beside their tests, one module per views module
for _module in (
    matrix_builder,
    matrix_distribution,
    matrix_answer,
    matrix_analysis,
    matrix_transfer,
    matrix_reports,
    matrix_events_planning,
    matrix_events_calendar,
    matrix_events_materials,
    matrix_account,
    matrix_site,
    matrix_notifications,
    matrix_indicators,
):
    assert not TABLE.keys() & _module.ROWS.keys(), f"{_module.__name__} repeats rows"
    TABLE.update(_module.ROWS)

EXPECTED = {
    (name, persona, method): statuses[i]
    for (name, method), statuses in TABLE.items()
    for i, persona in enumerate(COLUMNS)
}


def _cells():
    for route in PROJECT_ROUTES:
        for persona in COLUMNS:
            for method in METHODS:
                key = (route.name, persona, method)
                yield pytest.param(route, persona, method, id="-".join(map(str, key)))


# --- concrete URLs ------------------------------------------------------------------------------


def _project_url(route: Route, url_kwargs: dict) -> str:
    missing = [k for k in route.kwarg_names if k not in url_kwargs]
    assert not missing, f"{route.route}: add fixture values for {missing} to url_kwargs"
    return reverse(route.name, kwargs={k: url_kwargs[k] for k in route.kwarg_names})


def _group_spans(regex: str):
    """(start, end, name, body) of each named group in a regex string."""
    for match in re.finditer(r"\(\?P<(\w+)>", regex):
        depth, i = 1, match.end()
        while depth:
            if regex[i] == "\\":
                i += 2
                continue
            depth += {"(": 1, ")": -1}.get(regex[i], 0)
            i += 1
        yield match.start(), i, match.group(1), regex[match.end() : i - 1]


def _sample_value(route: Route, kwarg: str, regex: str) -> str:
    """A value for a third-party URL kwarg: a real object's id where we can tell which one."""
    segments = route.route.split("/")
    if kwarg in ("object_id", "object_pk", "id") and segments[0] == "admin" and len(segments) > 3:
        try:
            model = apps.get_model(segments[1], segments[2])
        except (LookupError, ValueError):
            model = None
        obj = model and model._default_manager.order_by("pk").first()
        if obj is not None:
            return str(obj.pk)
    if kwarg == "content_type_id":
        return str(ContentType.objects.get_for_model(Lab).pk)
    if kwarg == "object_id" and "content_type_id" in route.kwarg_names:
        return str(Lab.objects.order_by("pk").first().pk)
    if kwarg == "user_id":
        return str(apps.get_model("accounts", "User").objects.order_by("pk").first().pk)
    if kwarg == "group_id":
        return str(Group.objects.order_by("pk").first().pk)
    for candidate in ("1", "abc", "auth"):
        if re.fullmatch(regex, candidate):
            return candidate
    raise AssertionError(f"{route.route}: no sample value for {kwarg} ({regex})")


def _third_party_path(route: Route) -> str:
    parts = []
    for pattern in route.patterns:
        if isinstance(pattern, RoutePattern):
            converters = pattern.converters
            piece = re.sub(
                r"<(?:\w+:)?(\w+)>",
                lambda m, c=converters: _sample_value(route, m.group(1), c[m.group(1)].regex),
                str(pattern),
            )
        else:
            assert isinstance(pattern, RegexPattern)
            regex = str(pattern).removeprefix("^").removesuffix("$")
            piece, last = "", 0
            for start, end, name, body in _group_spans(regex):
                piece += regex[last:start] + _sample_value(route, name, body)
                last = end
            piece += regex[last:]
            piece = re.sub(r"\\(.)", r"\1", piece)
        parts.append(piece)
    return "/" + "".join(parts)


# --- tests --------------------------------------------------------------------------------------


def test_the_walk_finds_the_project_and_third_party_urls():
    names = {r.name for r in PROJECT_ROUTES}
    assert {"home", "healthz", "lab_detail", "cohort_dashboard", "invitation_accept"} <= names
    assert len(PROJECT_ROUTES) == len(names), "two project URL patterns share a name"
    third = {r.name for r in THIRD_PARTY_ROUTES}
    assert {"account_login", "admin:index", "set_language"} <= third


def test_every_project_url_has_a_row():
    missing = [
        (route.name, persona, method)
        for route in PROJECT_ROUTES
        for persona in COLUMNS
        for method in METHODS
        if (route.name, persona, method) not in EXPECTED
    ]
    assert not missing, f"add rows to TABLE for: {sorted({(n, m) for n, _p, m in missing})}"
    stale = {name for name, _method in TABLE} - {route.name for route in PROJECT_ROUTES}
    assert not stale, f"TABLE has rows for URLs that no longer exist: {stale}"


@pytest.mark.parametrize("route,persona,method", list(_cells()))
def test_project_url(route, persona, method, client_as, url_kwargs):
    key = (route.name, persona, method)
    if key not in EXPECTED:
        pytest.fail(f"no row in TABLE for {key}: decide who may do this and add it")
    expected = EXPECTED[key]
    url = _project_url(route, url_kwargs)
    client = client_as(persona)

    # what a browser sends for a form left empty: just the CSRF token (the test client does not
    # check it); a body without any field at all is covered in tests/labs/test_views.py
    response = client.get(url) if method == "GET" else client.post(url, EMPTY_FORM)

    if expected == HEALTH:
        assert response.status_code in (200, 503)
        assert set(json.loads(response.content)) == {"status", "checks", "duration_ms"}
        return
    assert response.status_code == expected, f"{method} {url} as {persona}"
    if expected == L and persona == "anonymous":
        assert_login_required(response)
    if method == "POST" and expected == 200:
        # an empty POST never passes: the form comes back with its errors
        assert response.context["form"].errors, f"{url}: empty POST accepted?"


# When Ahornstadt shares its profile, tandem B reads what the coordinators read and changes
# nothing: every 200 of a profile page for readers becomes 200 for tandem B, every write 403.
MISSION_ROUTES = [r for r in PROJECT_ROUTES if r.name and r.name.startswith("mission_")]


def _shared_expectation(name: str, method: str) -> int:
    readable = EXPECTED[(name, "coordinator", method)] == 200
    if EXPECTED[(name, "tandem_a", method)] == 405:
        return 405
    # `is`: the review row has the same numbers as _PROFILE_READ but means reviewers, not readers
    if readable and TABLE[(name, method)] is _PROFILE_READ:
        return 200
    return 403


# A participant tied to a municipality of the cohort reads a shared profile like tandem B.
@pytest.mark.parametrize("reader", ["tandem_b", "participant"])
@pytest.mark.parametrize("method", METHODS)
@pytest.mark.parametrize("route", MISSION_ROUTES, ids=lambda r: r.name)
def test_mission_url_for_other_tandem_when_shared(
    route, method, reader, client_as, url_kwargs, ahornstadt_profile
):
    # the flag alone matters here; the share view itself has its rows in TABLE
    MissionProfile.objects.filter(pk=ahornstadt_profile["profile"].pk).update(
        shared_with_cohort=True
    )
    expected = _shared_expectation(route.name, method)
    url = _project_url(route, url_kwargs)
    client = client_as(reader)
    response = client.get(url) if method == "GET" else client.post(url, EMPTY_FORM)
    assert response.status_code == expected, f"{method} {url} as {reader}, profile shared"


@pytest.mark.parametrize("route", THIRD_PARTY_ROUTES, ids=lambda r: r.name or r.route)
def test_third_party_urls_resolve_from_their_samples(route, personas):
    path = _third_party_path(route)
    assert resolve(path).func is route.callback, path


@pytest.mark.parametrize("persona", ["anonymous", "coordinator", "admin"])
@pytest.mark.parametrize("route", THIRD_PARTY_ROUTES, ids=lambda r: r.name or r.route)
def test_third_party_url_get_is_no_server_error(route, persona, client_as):
    path = _third_party_path(route)
    response = client_as(persona).get(path)
    assert response.status_code < 500, f"GET {path} as {persona}: {response.status_code}"


@pytest.mark.parametrize("route", THIRD_PARTY_ROUTES, ids=lambda r: r.name or r.route)
def test_third_party_url_empty_post_is_no_server_error(route, client_as):
    path = _third_party_path(route)
    response = client_as("anonymous").post(path, EMPTY_FORM)
    assert response.status_code < 500, f"POST {path}: {response.status_code}"
