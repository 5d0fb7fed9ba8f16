"""Options many commands share, each declared once (as sqlite-utils' `output_options`).

A decorator replaces one parameter of a command (`output: Format | None`, or
`filters: ArticleFilter`) by the command-line options it is built from, so a command
states what it takes, not how it is spelt:

    @app.command("list")
    @filter_options
    @output_options
    def list_articles(filters: ArticleFilter, output: Format | None, limit: ...): ...
"""
from __future__ import annotations

import functools
import inspect
from typing import Callable, Optional

import typer
from typer.core import TyperArgument

from .output import Format


def argument_help_without_types() -> None:
    """Help lists an argument by its metavar alone ("ID...  An article id"): typer would add
    its Python type ("ID... <list[int]>"), which says nothing to someone at a shell."""
    TyperArgument.display_type_rich = lambda self, ctx: None


def expands(name: str, options: dict[str, tuple[object, object]], build: Callable[..., object]):
    """Decorator: the command's parameter `name` is given on the command line as `options`
    ({parameter: (type, typer.Option(...))}) and built into one value by `build(**values)`."""

    def decorate(command):
        signature = inspect.signature(command)
        parameters = []
        for parameter in signature.parameters.values():
            if parameter.name == name:
                parameters.extend(
                    inspect.Parameter(option, inspect.Parameter.KEYWORD_ONLY, default=info, annotation=annotation)
                    for option, (annotation, info) in options.items()
                )
            else:
                parameters.append(parameter.replace(kind=inspect.Parameter.KEYWORD_ONLY))

        @functools.wraps(command)
        def wrapper(**kwargs):
            values = {option: kwargs.pop(option) for option in options}
            return command(**kwargs, **{name: build(**values)})

        wrapper.__signature__ = signature.replace(parameters=parameters)
        wrapper.__annotations__ = {
            **{key: value for key, value in command.__annotations__.items() if key != name},
            **{option: annotation for option, (annotation, _) in options.items()},
        }
        return wrapper

    return decorate


def _chosen_format(**flags: bool) -> Format | None:
    chosen = [Format(name) for name, given in flags.items() if given]
    if len(chosen) > 1:
        raise typer.BadParameter("give only one of " + ", ".join(f"--{f.value}" for f in chosen))
    return chosen[0] if chosen else None


output_options = expands("output", {
    "table": (bool, typer.Option(False, "--table", help="Print an aligned table (the default at a terminal).")),
    "csv": (bool, typer.Option(False, "--csv", help="Print CSV with a header line.")),
    "tsv": (bool, typer.Option(False, "--tsv", help="Print tab-separated values (the default when piped).")),
    "json": (bool, typer.Option(False, "--json", help="Print one JSON array.")),
    "nl": (bool, typer.Option(False, "--nl", help="Print one JSON object a line.")),
}, _chosen_format)
"""The output format flags; the command gets `output`: the Format chosen, or None."""


def _article_filter(**values):
    from .api import ArticleFilter  # when the command runs: the API is slow to import

    return ArticleFilter(**values)


def filter_options(command):
    """The article filters `list`, `search`, `quotes` and `export` share, as `filters`."""
    return expands("filters", {
        "tag": (Optional[str], typer.Option(None, "--tag", metavar="TAG", help="Only articles with this tag.")),
        "outlet": (Optional[str], typer.Option(
            None, "--outlet", metavar="OUTLET", help="Only articles from this outlet: a name, a domain or a URL on it.")),
        "since": (Optional[str], typer.Option(
            None, "--since", metavar="DATE", help="Only articles published on or after this date (YYYY-MM-DD).")),
        "until": (Optional[str], typer.Option(
            None, "--until", metavar="DATE", help="Only articles published on or before this date.")),
        "language": (Optional[str], typer.Option(
            None, "--language", metavar="CODE", help="Only articles in this language (en, de, ...).")),
        "no_duplicates": (bool, typer.Option(
            False, "--no-duplicates", help="Count each story once: leave out near-copies.")),
    }, _article_filter)(command)
