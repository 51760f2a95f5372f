"""FHIR Questionnaire form engine: load, check, enableWhen, validate, respond, render PDF."""

from helsetilbud.forms.answers import (
    FilledForm,
    evaluate_answers,
    fill_form,
    format_value,
    validate_answers,
)
from helsetilbud.forms.enable_when import condition_holds, enabled_items
from helsetilbud.forms.errors import AnswerProblem, AnswersInvalid, QuestionnaireError
from helsetilbud.forms.fhir_check import response_problems, structure_warnings
from helsetilbud.forms.items import AnswerOption, Attachment, EnableWhen, Item, Questionnaire
from helsetilbud.forms.pdf import PdfDocument, pdf_file_name, render_pdf
from helsetilbud.forms.questionnaire import (
    load_questionnaire,
    load_questionnaires,
    parse_questionnaire,
)
from helsetilbud.forms.response import answer_value, build_response, questionnaire_reference

__all__ = [
    "AnswerOption",
    "AnswerProblem",
    "AnswersInvalid",
    "Attachment",
    "EnableWhen",
    "FilledForm",
    "Item",
    "PdfDocument",
    "Questionnaire",
    "QuestionnaireError",
    "answer_value",
    "build_response",
    "condition_holds",
    "enabled_items",
    "evaluate_answers",
    "fill_form",
    "format_value",
    "load_questionnaire",
    "load_questionnaires",
    "parse_questionnaire",
    "pdf_file_name",
    "questionnaire_reference",
    "render_pdf",
    "response_problems",
    "structure_warnings",
    "validate_answers",
]
