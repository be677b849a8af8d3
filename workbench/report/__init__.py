"""Run reports: report.json, the HTML and CSV exports and their figures (no Qt).

The test metrics they show are computed by the engine (workbench/core/metrics.py).
"""

from workbench.report.json_report import build_report, write_report

__all__ = ["build_report", "write_report"]
