"""Analytics for NHN's analysts: pandas frames computed with set-based SQL.

Every function takes an Engine or a Connection (and `today` where the answer depends on the
day) and returns a DataFrame with English snake_case columns; `labelled` names them in
Norwegian for tables, reports and downloads.
"""

from helsetilbud.analytics._common import default_today
from helsetilbud.analytics.adoption import adoption, adoption_matrix
from helsetilbud.analytics.export import neutralised, records, to_csv_text, to_xlsx_bytes
from helsetilbud.analytics.flags import FLAG_LABELS, FLAGS, find_flags, text_flags
from helsetilbud.analytics.labels import (
    COLUMN_LABELS,
    FLAG_SHORT,
    MEASURE_LABELS,
    NO_TOOL,
    area_name,
    labelled,
    service_name,
    tool_names,
)
from helsetilbud.analytics.regression import RegressionResult, regression_check
from helsetilbud.analytics.services import OFFICE_SIZES, service_offering
from helsetilbud.analytics.texts import text_coverage, text_summary
from helsetilbud.analytics.trends import MEASURES, trends

__all__ = [
    "COLUMN_LABELS",
    "FLAGS",
    "FLAG_LABELS",
    "FLAG_SHORT",
    "MEASURES",
    "MEASURE_LABELS",
    "NO_TOOL",
    "OFFICE_SIZES",
    "RegressionResult",
    "adoption",
    "adoption_matrix",
    "area_name",
    "default_today",
    "find_flags",
    "labelled",
    "neutralised",
    "records",
    "regression_check",
    "service_name",
    "service_offering",
    "text_coverage",
    "text_flags",
    "text_summary",
    "to_csv_text",
    "to_xlsx_bytes",
    "tool_names",
    "trends",
]
