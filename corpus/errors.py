"""The one base class of user mistakes: every exception a user can cause with a bad
argument, file, URL or query derives from `CorpusError`, carries a one-line message, and
the command line prints it as `error: ...` instead of a traceback. Import-light on
purpose: every module can derive its own error from it."""


class CorpusError(ValueError):
    """A user mistake the API refuses, with a one-line message (unknown id, bad filter,
    unreadable input, refused SQL)."""


class NotFoundError(CorpusError):
    """An article, speaker or other row asked for by an id that does not exist."""
