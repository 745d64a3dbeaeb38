"""Surveys shaped like the demo's Hessen baseline and final survey (demo/data/surveys.yaml), with
fewer respondents: the definitions of the demo, answers made to the demo's means."""

import random

from demo import surveys as demo_surveys
from evaluations.definitions import survey_from_definition
from tests.evaluations.builders import add_responses

BASELINE, FINAL = "anfangsbefragung", "abschlussbefragung"
# organisation types of the 60 respondents: religion (4) is below the minimum group size of 5
ORG_TYPES = {"verwaltung": 20, "verein": 12, "einzelperson": 10, "bildung": 8, "sport": 6}
ORG_TYPES["religion"] = 4


def _columns(definition: dict, figures: dict, n: int, rng: random.Random, skip: set) -> dict:
    """{code: [value per respondent]} for the scale questions, None where one does not answer."""
    columns = {}
    for section in definition["sections"]:
        for question in section["questions"]:
            figure = figures.get(question["code"])
            if question["type"] != "scale" or figure is None:
                continue
            answering = [i for i in range(n) if i not in skip or not figure.skip]
            values = demo_surveys.scale_values(
                question["min"], question["max"], len(answering), figure.mean, figure.spread
            )
            rng.shuffle(values)
            column = [None] * n
            for i, value in zip(answering, values, strict=True):
                column[i] = value
            columns[question["code"]] = column
    return columns


def make_demo_shaped(cohort, municipalities) -> tuple:
    """(baseline, final) in `cohort`: 60 baseline respondents by ORG_TYPES (individuals skip
    the questions about their organisation, as in the demo), 30 final respondents."""
    specs = demo_surveys.surveys()
    rng = random.Random(17)
    made = []
    for slug, n in ((BASELINE, 60), (FINAL, 30)):
        definition = specs[slug]["definition"]
        survey = survey_from_definition(cohort, definition)
        types = [code for code, count in ORG_TYPES.items() for _ in range(count)]
        individuals = {i for i, code in enumerate(types) if code == "einzelperson"}
        columns = _columns(definition, demo_surveys.figures(slug), n, rng, individuals)
        answers = []
        for i in range(n):
            row = {code: column[i] for code, column in columns.items() if column[i] is not None}
            if slug == BASELINE:
                row["org_type"] = types[i]
            answers.append(row)
        for index, municipality in enumerate(municipalities):
            add_responses(survey, answers[index :: len(municipalities)], municipality=municipality)
        made.append(survey)
    return tuple(made)
