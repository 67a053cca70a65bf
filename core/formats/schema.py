"""Parsing and checking one JSONL record: the one schema every imported line must fit.

A JSON Lines record is parsed by :func:`parse_line` (strict JSON: no ``NaN`` or ``Infinity``,
no nesting deeper than Python's recursion allows) and checked by :func:`check_record` against
``record.schema.json``, a JSON Schema (Draft 2020-12) kept as data next to this module. The
schema describes the three shapes a line may have: an article (``{"id", "text"}``), an article
with ``quotes`` in the interchange schema, and a project export's header or document line.
Strings must be valid Unicode: a lone surrogate (from a ``\\ud800`` escape) anywhere in a record
is refused, since neither UTF-8 nor SQLite can hold it.

Both raise :class:`RecordError`, whose message is the coded line to show after the file and line.
"""

from __future__ import annotations

import functools
import json
from collections.abc import Iterator
from importlib import resources
from typing import Any

import jsonschema
from jsonschema import Draft202012Validator
from jsonschema.exceptions import best_match

from ..errors import Errors
from ..model import lone_surrogate

#: The schema file, in this package.
SCHEMA_FILE = "record.schema.json"
#: How much of a value is quoted in a message.
_SHOWN = 60


class RecordError(ValueError):
    """A JSONL record that cannot be imported; ``str(err)`` is a coded message."""


def parse_line(body: str) -> Any:
    """Parse one JSON line strictly.

    Raises:
        RecordError: not JSON (E005; ``NaN``, ``Infinity`` and integers of over 4,300 digits
            included), or nested too deeply for the parser (E054).
    """
    try:
        return _DECODER.decode(body)
    except json.JSONDecodeError as err:
        raise RecordError(Errors.E005.format(detail=f"{err.msg} (column {err.colno})")) from None
    except RecursionError:
        raise RecordError(Errors.E054) from None
    except ValueError as err:  # NaN / Infinity, or an integer too long to convert
        raise RecordError(Errors.E005.format(detail=str(err))) from None


def _refuse_constant(name: str) -> Any:
    raise ValueError(f"{name} is not a JSON number")


#: One strict decoder (``json.loads`` with arguments would build a new one for every line).
_DECODER = json.JSONDecoder(parse_constant=_refuse_constant)


def _is_integer(_checker: Any, instance: object) -> bool:
    # 1.0 and True are integers to JSON Schema and to Python; an id or offset must be written 1
    return type(instance) is int


@functools.cache
def validator() -> Draft202012Validator:
    """The validator of ``record.schema.json`` (read once, checked, its ``$ref``s inlined)."""
    schema = json.loads(resources.files(__package__).joinpath(SCHEMA_FILE).read_text(encoding="utf-8"))
    Draft202012Validator.check_schema(schema)
    checker = Draft202012Validator.TYPE_CHECKER.redefine("integer", _is_integer)
    strict = jsonschema.validators.extend(Draft202012Validator, type_checker=checker)
    return strict(_inline(schema, schema["$defs"]))


def _inline(node: Any, defs: dict[str, Any]) -> Any:
    """The schema with each local ``{"$ref": "#/$defs/x"}`` replaced by its definition.

    The schema is not recursive, so this ends; validating then needs no reference resolution,
    which makes it several times faster for a record with many quotes.
    """
    if isinstance(node, dict):
        ref = node.get("$ref")
        if isinstance(ref, str) and ref.startswith("#/$defs/") and len(node) == 1:
            return _inline(defs[ref.removeprefix("#/$defs/")], defs)
        return {key: _inline(value, defs) for key, value in node.items() if key != "$defs"}
    if isinstance(node, list):
        return [_inline(value, defs) for value in node]
    return node


def check_record(record: Any) -> None:
    """Check a parsed record against the schema, then every string in it for lone surrogates.

    Raises:
        RecordError: the first value that does not fit, with its JSON path (E055), or the first
            string (or key) holding a lone surrogate (E012 for the text, E056 elsewhere).
    """
    error = best_match(validator().iter_errors(record))
    if error is not None:
        raise RecordError(Errors.E055.format(path=error.json_path, detail=_short(error.message)))
    for path, text in _strings(record, "$"):
        pos = lone_surrogate(text)
        if pos is not None:
            char = f"U+{ord(text[pos]):04X}"
            if path == "$.text":
                raise RecordError(Errors.E012.format(char=char, pos=pos))
            raise RecordError(Errors.E056.format(path=path, char=char, pos=pos))


def _strings(value: Any, path: str) -> Iterator[tuple[str, str]]:
    """Every string of a parsed JSON value (keys too), with its JSON path."""
    if isinstance(value, str):
        yield path, value
    elif isinstance(value, dict):
        for key, item in value.items():
            yield path, key
            yield from _strings(item, f"{path}.{key}")
    elif isinstance(value, list):
        for i, item in enumerate(value):
            yield from _strings(item, f"{path}[{i}]")


def _short(message: str) -> str:
    """A validator's message cut to one readable line (it quotes the bad value in full)."""
    message = " ".join(message.split())
    return message if len(message) <= 2 * _SHOWN else f"{message[:_SHOWN]}…{message[-_SHOWN:]}"
