"""The few named errors keika raises; the CLI turns each into a one-line message."""


class KeikaError(Exception):
    """Base class: anything keika reports to the user as a one-line error."""

    exit_code = 2


class InputError(KeikaError):
    """A file, argument or page keika cannot use (missing, empty, binary, undecodable)."""


class SeedError(KeikaError):
    """A seed file that is malformed, names an unknown key, or holds an invalid value."""


class StorageError(KeikaError):
    """The database is unreachable, or its schema is not one this keika can use."""


class NotFoundError(KeikaError):
    """An unknown page key, change id or entry id."""
