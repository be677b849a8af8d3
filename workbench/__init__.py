"""The training workbench: learn and tune how neural networks are trained."""

__version__ = "0.1.0"
