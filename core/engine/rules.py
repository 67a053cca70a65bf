"""The registry of attribution rules: rule id -> the small functions that apply it.

Every quote the engine suggests names the rule that found it (``Evidence.rule``). Each rule
is a small function registered here under the id (or ids) of what it finds, with :func:`rule`
(two constructions may give quotes of one id, e.g. ``reported.complement``). The modules that
hold the rules (:mod:`~core.engine.direct`, :mod:`~core.engine.complements`,
:mod:`~core.engine.reported`) register them when imported.
Each rule's confidence is data, in ``lexicons/confidences.json`` (:func:`rule_confidence`).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from types import MappingProxyType
from typing import Any, TypeVar

from .lexicons import confidence

_F = TypeVar("_F", bound=Callable[..., Any])

_REGISTRY: dict[str, tuple[Callable[..., Any], ...]] = {}


def rule(*rule_ids: str) -> Callable[[_F], _F]:
    """Register a rule function under the ids of the quotes it finds.

    Args:
        rule_ids: one id, or several when one function tells cases apart
            (``direct.said_after`` / ``direct.x_said_after``).

    Returns:
        A decorator that registers the function and returns it unchanged.

    Raises:
        ValueError: the function is already registered under one of the ids.
    """

    def register(function: _F) -> _F:
        for rule_id in rule_ids:
            functions = _REGISTRY.get(rule_id, ())
            if function in functions:
                raise ValueError(f"{function.__name__} is registered twice as {rule_id!r}")
            _REGISTRY[rule_id] = (*functions, function)
        return function

    return register


def registered_rules() -> Mapping[str, tuple[Callable[..., Any], ...]]:
    """Every registered rule id, with the functions that apply it (read-only)."""
    return MappingProxyType(_REGISTRY)


def rule_confidence(rule_id: str) -> float:
    """How sure a quote found by a rule is, before its speaker is weighed (the table's ``rules``)."""
    return confidence("rules", rule_id)


def rule_threshold(rule_id: str) -> float:
    """The least confidence at which a rule's suggestions are shown (the table's ``thresholds``)."""
    return confidence("thresholds", rule_id)
