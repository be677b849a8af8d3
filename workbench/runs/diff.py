"""What tells runs apart: a short model summary, and the keys whose values differ."""

from __future__ import annotations

from typing import Any


def model_summary(config: dict[str, Any]) -> str:
    """A short text for a layer list: "dense100 x4", "conv16 pool conv32 pool flatten"."""
    parts = []
    for layer in config.get("model", {}).get("layers", []):
        size = layer.get("units") or layer.get("channels") or ""
        name = {"maxpool2d": "pool", "batchnorm": "bn"}.get(layer["type"], layer["type"])
        parts.append(f"{name}{size}")
    collapsed: list[list[Any]] = []
    for part in parts:
        if collapsed and collapsed[-1][0] == part:
            collapsed[-1][1] += 1
        else:
            collapsed.append([part, 1])
    return " ".join(p if n == 1 else f"{p} x{n}" for p, n in collapsed) or "linear"


def _flatten(config: dict[str, Any], prefix: str = "") -> dict[str, Any]:
    flat: dict[str, Any] = {}
    for key, value in config.items():
        path = f"{prefix}{key}"
        if isinstance(value, dict):
            flat.update(_flatten(value, path + "."))
        else:
            flat[path] = value
    return flat


def config_diff(configs: list[dict[str, Any]]) -> list[tuple[str, list[Any]]]:
    """(key path, each run's value) for every key whose value is not the same in all runs."""
    flats = [_flatten(config) for config in configs]
    differing = []
    for key in sorted(set().union(*flats)) if flats else []:
        values = [flat.get(key) for flat in flats]
        if len({repr(value) for value in values}) > 1:
            differing.append((key, values))
    return differing
