"""The translation catalogs are complete and compiled, and German is the default language.

German is the platform's language whatever the browser asks for
(config.middleware.LanguageMiddleware); English is the source language, so its catalog
maps every msgid onto itself.
"""

import gettext
import os
import re
import shutil
import subprocess
from pathlib import Path

import pytest
from django.conf import settings
from django.test import Client

LOCALE_DIR = Path(settings.BASE_DIR) / "locale"
LANGUAGES = ("de", "en")
MSGFMT = shutil.which("msgfmt")

PLACEHOLDER = re.compile(r"%\(\w+\)[sdif]|%[sdif]|\{\{[^}]*\}\}")
_ESCAPES = {"n": "\n", "t": "\t", "r": "\r", '"': '"', "\\": "\\"}


def _po_path(lang: str) -> Path:
    return LOCALE_DIR / lang / "LC_MESSAGES" / "django.po"


def _mo_path(lang: str) -> Path:
    return LOCALE_DIR / lang / "LC_MESSAGES" / "django.mo"


def _unquote(text: str) -> str:
    text = text.strip()
    assert text.startswith('"') and text.endswith('"'), f"not a PO string: {text!r}"
    return re.sub(r"\\(.)", lambda m: _ESCAPES.get(m.group(1), m.group(1)), text[1:-1])


def _new_entry(line: int) -> dict:
    return {"flags": set(), "msgctxt": None, "msgid_plural": None, "msgstr": {}, "line": line}


def _sources(entry: dict) -> list[str]:
    """The msgid, and the msgid_plural if there is one."""
    if entry["msgid_plural"] is None:
        return [entry["msgid"]]
    return [entry["msgid"], entry["msgid_plural"]]


def parse_po(path: Path) -> list[dict]:
    """A small PO parser: one dict per entry with msgctxt, msgid, msgid_plural, msgstr
    (a list: one string, or one per plural form), flags and line. Obsolete entries (#~) are
    left out; msgfmt ignores them too."""
    entries: list[dict] = []
    entry: dict | None = None
    field: tuple | None = None

    def finish():
        nonlocal entry, field
        if entry is not None and "msgid" in entry:
            entries.append(entry)
        entry, field = None, None

    for number, raw in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        line = raw.strip()
        if not line:
            finish()
            continue
        if line.startswith("#~"):
            continue
        if entry is None:
            entry = _new_entry(number)
        if line.startswith("#,"):
            entry["flags"].update(f.strip() for f in line[2:].split(",") if f.strip())
            continue
        if line.startswith("#"):
            continue
        if line.startswith('"'):
            assert field is not None, f"{path}:{number}: continuation line without a keyword"
            if field[0] == "msgstr":
                entry["msgstr"][field[1]] += _unquote(line)
            else:
                entry[field[0]] += _unquote(line)
            continue
        match = re.match(r"^(msgctxt|msgid_plural|msgid|msgstr)(?:\[(\d+)\])?\s+(\".*\")$", line)
        assert match, f"{path}:{number}: cannot parse {raw!r}"
        keyword, index, value = match.group(1), match.group(2), _unquote(match.group(3))
        if keyword == "msgctxt" and "msgid" in entry:  # an entry without blank line before it
            finish()
            entry = _new_entry(number)
        if keyword == "msgstr":
            key = int(index) if index is not None else 0
            entry["msgstr"][key] = value
            field = ("msgstr", key)
        else:
            entry[keyword] = value
            field = (keyword,)
    finish()
    for item in entries:
        item["msgstr"] = [item["msgstr"][k] for k in sorted(item["msgstr"])]
    return entries


def _messages(lang: str) -> list[dict]:
    return [e for e in parse_po(_po_path(lang)) if e["msgid"] != ""]


def _where(lang: str, entry: dict) -> str:
    return f"{_po_path(lang).relative_to(LOCALE_DIR.parent)}:{entry['line']} {entry['msgid']!r}"


def _expected_catalog(lang: str) -> dict:
    """What gettext should find in the compiled catalog, built from the .po by the parser."""
    catalog = {}
    for entry in _messages(lang):
        if "fuzzy" in entry["flags"] or not all(entry["msgstr"]):
            continue
        key = (
            entry["msgid"]
            if entry["msgctxt"] is None
            else f"{entry['msgctxt']}\x04{entry['msgid']}"
        )
        if entry["msgid_plural"] is None:
            catalog[key] = entry["msgstr"][0]
        else:
            for index, text in enumerate(entry["msgstr"]):
                catalog[(key, index)] = text
    return catalog


def _mo_catalog(path: Path) -> dict:
    with path.open("rb") as handle:
        translations = gettext.GNUTranslations(handle)
    return dict(translations._catalog)


# (a) Complete catalogs ------------------------------------------------------------------------


@pytest.mark.parametrize("lang", LANGUAGES)
def test_catalog_has_entries(lang):
    assert len(_messages(lang)) > 100


@pytest.mark.parametrize("lang", LANGUAGES)
def test_no_entry_is_untranslated(lang):
    missing = [_where(lang, e) for e in _messages(lang) if not e["msgstr"] or not all(e["msgstr"])]
    assert not missing, "untranslated:\n" + "\n".join(missing)


@pytest.mark.parametrize("lang", LANGUAGES)
def test_no_entry_is_fuzzy(lang):
    fuzzy = [_where(lang, e) for e in parse_po(_po_path(lang)) if "fuzzy" in e["flags"]]
    assert not fuzzy, "fuzzy:\n" + "\n".join(fuzzy)


@pytest.mark.parametrize("lang", LANGUAGES)
def test_plural_entries_have_both_forms(lang):
    wrong = [
        _where(lang, e)
        for e in _messages(lang)
        if e["msgid_plural"] is not None and len(e["msgstr"]) != 2
    ]
    assert not wrong, "plural entries need msgstr[0] and msgstr[1]:\n" + "\n".join(wrong)


@pytest.mark.parametrize("lang", LANGUAGES)
def test_translations_keep_the_placeholders(lang):
    wrong = []
    for entry in _messages(lang):
        sources = _sources(entry)
        for index, text in enumerate(entry["msgstr"]):
            source = sources[min(index, len(sources) - 1)]
            if sorted(PLACEHOLDER.findall(text)) != sorted(PLACEHOLDER.findall(source)):
                wrong.append(f"{_where(lang, entry)} -> {text!r}")
    assert not wrong, "placeholders differ:\n" + "\n".join(wrong)


def test_english_catalog_is_the_identity():
    wrong = []
    for entry in _messages("en"):
        if entry["msgstr"] != _sources(entry):
            wrong.append(f"{_where('en', entry)} -> {entry['msgstr']!r}")
    assert not wrong, "English msgstr must equal msgid:\n" + "\n".join(wrong)


@pytest.mark.skipif(MSGFMT is None, reason="gettext's msgfmt is not installed")
@pytest.mark.parametrize("lang", LANGUAGES)
def test_msgfmt_statistics(lang):
    result = subprocess.run(
        [MSGFMT, "--check", "--statistics", "-o", "/dev/null", str(_po_path(lang))],
        capture_output=True,
        text=True,
        env={**os.environ, "LC_ALL": "C"},
    )
    assert result.returncode == 0, result.stderr
    assert "untranslated" not in result.stderr, result.stderr
    assert "fuzzy" not in result.stderr, result.stderr


# (b) German by default, English on request ---------------------------------------------------


@pytest.mark.django_db
@pytest.mark.parametrize("path", ["/", "/accounts/login/"])
@pytest.mark.parametrize(
    "headers", [{}, {"HTTP_ACCEPT_LANGUAGE": "en-US"}], ids=["no-header", "en-US"]
)
def test_german_is_the_default(path, headers):
    response = Client().get(path, **headers)
    assert response.status_code == 200
    assert response["Content-Language"] == "de"
    assert "Anmelden" in response.content.decode()


@pytest.mark.django_db
def test_language_switch_to_english():
    client = Client()
    response = client.post("/i18n/setlang/", {"language": "en", "next": "/accounts/login/"})
    assert response.status_code == 302
    assert response["Location"] == "/accounts/login/"
    assert client.cookies[settings.LANGUAGE_COOKIE_NAME].value == "en"

    response = client.get("/accounts/login/", HTTP_ACCEPT_LANGUAGE="de-DE")
    assert response.status_code == 200
    assert response["Content-Language"] == "en"
    content = response.content.decode()
    assert "Log in" in content
    assert "Anmelden" not in content


# (c) The committed .mo files match the .po files ---------------------------------------------


@pytest.mark.parametrize("lang", LANGUAGES)
def test_mo_file_matches_po(lang):
    mo = _mo_path(lang)
    assert mo.exists(), f"{mo} is missing: run manage.py compilemessages"
    compiled = _mo_catalog(mo)
    compiled.pop("", None)  # the header
    assert compiled == _expected_catalog(lang), (
        f"{mo} is out of date: run manage.py compilemessages"
    )


@pytest.mark.skipif(MSGFMT is None, reason="gettext's msgfmt is not installed")
@pytest.mark.parametrize("lang", LANGUAGES)
def test_mo_file_is_what_msgfmt_compiles(lang, tmp_path):
    fresh = tmp_path / "django.mo"
    subprocess.run(
        [MSGFMT, "--check-format", "-o", str(fresh), str(_po_path(lang))],
        check=True,
        capture_output=True,
    )
    assert _mo_path(lang).exists(), "run manage.py compilemessages"
    assert _mo_catalog(_mo_path(lang)) == _mo_catalog(fresh), (
        f"{_mo_path(lang)} is out of date: run manage.py compilemessages"
    )
