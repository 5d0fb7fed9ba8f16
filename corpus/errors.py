"""The one base class of user mistakes: every exception a user can cause with a bad
argument, file, URL or query derives from `CorpusError`, carries a one-line message, and
the command line prints it as `error: ...` instead of a traceback. Import-light on
purpose: every module can derive its own error from it."""


class CorpusError(ValueError):
    """A user mistake the API refuses, with a one-line message (unknown id, bad filter,
    unreadable input, refused SQL)."""


class NotFoundError(CorpusError):
    """An article, speaker or other row asked for by an id that does not exist."""


def without_control_characters(text: str, what: str) -> str:
    """`text` as given, refused when it holds a control character other than white space
    (NUL and the like: no name or note has one, and PostgreSQL cannot store NUL)."""
    if any(ord(char) < 32 or 127 <= ord(char) < 160 for char in text if not char.isspace()):
        raise CorpusError(f"{what} cannot contain control characters")
    return text
