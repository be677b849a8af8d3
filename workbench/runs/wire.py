"""A run's outcome as it crosses to another process: weights as safetensors bytes.

Everything else of a `RunOutcome` is frozen dataclasses of floats, strings and NumPy arrays;
the weights (a state dict of tensors) go as safetensors bytes, never as pickled tensors, so
the receiving side loads data and nothing else, and no shared-memory handle outlives the
sender.
"""

from __future__ import annotations

from dataclasses import replace
from typing import Any


def outcome_to_wire(outcome: Any) -> Any:
    """`outcome` with its result's weights as safetensors bytes (None stays None)."""
    weights = outcome.result.weights
    if weights is None:
        return outcome
    from safetensors.torch import save

    # safetensors refuses tensors that share memory or are not contiguous: copies do neither.
    data = save({name: tensor.contiguous().clone() for name, tensor in weights.items()})
    return replace(outcome, result=replace(outcome.result, weights=data))


def outcome_from_wire(outcome: Any) -> Any:
    """The outcome `outcome_to_wire` sent, with its weights as tensors again."""
    weights = outcome.result.weights
    if not isinstance(weights, bytes):
        return outcome
    from safetensors.torch import load

    # Tensors come back by name (load_state_dict's way), not in the model's order.
    return replace(outcome, result=replace(outcome.result, weights=load(weights)))
