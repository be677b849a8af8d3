"""The report formats, apart from their renderers (matplotlib and Jinja2 load slowly)."""

REPORT_FORMATS = ("html", "pdf", "json", "csv")
COMPARISON_FORMATS = ("html", "pdf")
