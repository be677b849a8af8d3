"""Test metrics and run reports (no Qt)."""

from workbench.report.json_report import build_report, write_report
from workbench.report.metrics import compute_test_metrics

__all__ = ["build_report", "compute_test_metrics", "write_report"]
