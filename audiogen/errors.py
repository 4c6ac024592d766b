"""One error type for everything a user can fix: the CLI prints it as one line."""


class AudiogenError(Exception):
    """A problem with the user's input or environment, said in one clear line."""
