"""What the project commands share: how errors are shown, and the PROJECT and --annotator options."""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Any, TypeVar

import click

from ..errors import QuotebenchError

F = TypeVar("F", bound=Callable[..., Any])


def errors_as_messages(func: F) -> F:
    """Turn the user's and the environment's errors into ``Error: <one line>`` and exit 1."""

    @functools.wraps(func)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            return func(*args, **kwargs)
        except QuotebenchError as err:
            raise click.ClickException(str(err)) from None

    return wrapper  # type: ignore[return-value]


annotator_option = click.option(
    "--annotator",
    metavar="NAME",
    envvar="QUOTEBENCH_ANNOTATOR",
    default=None,
    help="Name recorded with each edit (default: $QUOTEBENCH_ANNOTATOR or the system user).",
)
project_argument = click.argument("project", type=click.Path(dir_okay=False, path_type=str))
