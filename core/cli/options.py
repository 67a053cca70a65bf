"""What the commands share: how errors are shown, the PROJECT and PATHS arguments, --annotator."""

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
# readable=False: click's own check would stop the run with a usage error (exit 2, which means
# "the spaCy pipeline cannot be loaded"); the store and the readers say what is wrong instead
project_argument = click.argument("project", type=click.Path(dir_okay=False, readable=False, path_type=str))
#: The PATHS of ``extract`` and ``import``: files and folders, each checked by the readers
#: (:func:`core.formats.readers.input_files`), so one that is missing, unreadable or a FIFO is a
#: coded error for that input and the others are still read.
input_paths_argument = click.argument(
    "paths", nargs=-1, required=True, type=click.Path(readable=False, path_type=str)
)
