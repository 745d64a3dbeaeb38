"""Issue 21.3: an id outside the database's integer range is a form error, on every database.

SQLite's driver cannot bind an integer beyond 64 bits: `id IN (999…)` raised OverflowError (a 500
on the demo) where PostgreSQL answers with no rows. core.forms' choice fields refuse such ids
before any query; the walk below checks that every project form uses them."""

import importlib
import pkgutil

import pytest
from django import forms as django_forms
from django.core.exceptions import ValidationError
from django.utils import translation

from core import forms as project_forms
from core.apps import project_apps
from labs.models import Lab

from .shared_world import *  # noqa: F403 (the world, built once for the module)

HUGE = "9" * 400
HUGE_NEGATIVE = "-99999999999999999999"
OUT_OF_RANGE = [HUGE, HUGE_NEGATIVE, str(2**63), str(-(2**63) - 1), f" {HUGE} "]
MESSAGE = "Select a valid choice: the number is out of range."


@pytest.fixture(autouse=True)
def _english():
    """MESSAGE is the English text; the tests start in German (tests/conftest.py)."""
    with translation.override("en"):
        yield


@pytest.mark.django_db
@pytest.mark.parametrize("value", OUT_OF_RANGE)
def test_multiple_choice_refuses_out_of_range_ids_without_a_query(value, django_assert_num_queries):
    field = project_forms.ModelMultipleChoiceField(queryset=Lab.objects.all())
    with django_assert_num_queries(0), pytest.raises(ValidationError) as refused:
        field.clean(["1", value])
    assert refused.value.messages == [MESSAGE]
    assert refused.value.error_list[0].code == "invalid_choice"


@pytest.mark.django_db
@pytest.mark.parametrize("value", OUT_OF_RANGE)
def test_single_choice_refuses_out_of_range_ids_without_a_query(value, django_assert_num_queries):
    field = project_forms.ModelChoiceField(queryset=Lab.objects.all())
    with django_assert_num_queries(0), pytest.raises(ValidationError) as refused:
        field.clean(value)
    assert refused.value.messages == [MESSAGE]


@pytest.mark.django_db
def test_ids_in_range_work_as_before(world):
    lab = world["lab_x"]
    multiple = project_forms.ModelMultipleChoiceField(queryset=Lab.objects.all(), required=False)
    assert list(multiple.clean([str(lab.pk)])) == [lab]
    assert list(multiple.clean([])) == []
    single = project_forms.ModelChoiceField(queryset=Lab.objects.all(), required=False)
    assert single.clean(str(lab.pk)) == lab
    assert single.clean("") is None
    for value in (str(2**63 - 1), "abc", "1.5"):  # the largest id, and no number at all
        with pytest.raises(ValidationError) as refused:
            multiple.clean([value])
        assert refused.value.messages != [MESSAGE]
    with pytest.raises(ValidationError):
        multiple.clean([["nested"]])


def _project_form_classes() -> list[type]:
    for package in project_apps():
        root = importlib.import_module(package)
        for module in pkgutil.walk_packages(root.__path__, prefix=f"{package}."):
            if ".migrations" in module.name or ".tests" in module.name:
                continue
            importlib.import_module(module.name)
    found, todo = [], [django_forms.BaseForm]
    while todo:
        cls = todo.pop()
        todo.extend(cls.__subclasses__())
        if cls.__module__.split(".")[0] in project_apps():
            found.append(cls)
    return found


def test_every_project_form_uses_the_range_checked_choice_fields():
    classes = _project_form_classes()
    assert len(classes) > 30
    checked, wrong = 0, []
    for cls in classes:
        for name, field in getattr(cls, "base_fields", {}).items():
            if isinstance(field, django_forms.ModelChoiceField):
                checked += 1
                if not isinstance(field, project_forms._IdInRange):
                    wrong.append(f"{cls.__module__}.{cls.__qualname__}.{name}")
    assert checked >= 10
    assert not wrong, "use core.forms.ModelChoiceField / ModelMultipleChoiceField:\n" + "\n".join(
        wrong
    )
