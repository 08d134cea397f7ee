"""Exceptions raised by snnc.

Every runtime call returns a status; a failed one becomes the exception
class of its code below, with the runtime's message unchanged (it says what
was wrong, where, and what to do). All derive from :class:`snnc.Error`
(a :class:`RuntimeError`); the ones that mean "the caller passed something
wrong" also derive from :class:`ValueError` or :class:`LookupError`, so
code that catches those built-in kinds keeps working.
"""


class Error(RuntimeError):
    """Base of every snnc error. ``code`` is the runtime's status code name
    (``"invalid-argument"``, ``"not-found"``, ...)."""

    code = "unknown"


class InvalidArgumentError(Error, ValueError):
    """Something malformed was passed (a wrong shape, a bad parameter)."""

    code = "invalid-argument"


class NotFoundError(Error, LookupError):
    """A named input, output, population, file or backend does not exist."""

    code = "not-found"


class DataLossError(Error):
    """A file is truncated or corrupt (an artifact failing verification)."""

    code = "data-loss"


class UnavailableError(Error):
    """A backend cannot run here (e.g. cuda without a GPU); the message says
    why."""

    code = "unavailable"


class UnimplementedError(Error, NotImplementedError):
    """A feature this build does not support."""

    code = "unimplemented"


class FailedPreconditionError(Error):
    """The call is valid, but not now (reading a recording before run(),
    running before every input is set)."""

    code = "failed-precondition"


class InternalError(Error):
    """A bug in snnc; please report it with the message."""

    code = "internal"


class CompileError(Error, ValueError):
    """The compiler refused the network. ``diagnostics`` holds its messages
    exactly as the ``snnc`` command prints them (file:line:col for IR, the
    file and node for NIR)."""

    code = "compile"

    def __init__(self, diagnostics):
        super().__init__(diagnostics.rstrip("\n"))
        self.diagnostics = diagnostics


_BY_CODE = {
    cls.code: cls
    for cls in (
        InvalidArgumentError,
        NotFoundError,
        DataLossError,
        UnavailableError,
        UnimplementedError,
        FailedPreconditionError,
        InternalError,
    )
}


def error_class(code):
    """The exception class for a runtime status code name (used by the
    compiled extension when it raises)."""
    return _BY_CODE.get(code, Error)


__all__ = [
    "Error",
    "InvalidArgumentError",
    "NotFoundError",
    "DataLossError",
    "UnavailableError",
    "UnimplementedError",
    "FailedPreconditionError",
    "InternalError",
    "CompileError",
    "error_class",
]
