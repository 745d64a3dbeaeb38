"""The tokens of survey links and open links: derived from each row's salt and SECRET_KEY, never
stored (core/tokens.py). Apart from services.py so that the e-mail tasks can build links without
importing the services that enqueue them."""

from core.tokens import derive_digest

from .models import Survey, SurveyLink


def _derive(purpose: str, salt: str) -> str:
    # hexadecimal and 40 characters: short enough for the printed cards and their QR codes
    return derive_digest(purpose, salt).hex()[:40]


def link_token(link: SurveyLink) -> str:
    return _derive("survey-link", link.token_salt)


def open_token(survey: Survey) -> str:
    return _derive("survey-open", survey.open_token_salt) if survey.open_token_salt else ""
