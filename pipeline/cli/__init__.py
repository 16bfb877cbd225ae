"""The ``newsmine`` command: takes a raw folder and options, gives exit codes and tables.

Thin Typer commands (``newsmine.cli.app``) over the ``run`` stage and the ``tables``
views; they parse options, print and set the exit code, and decide nothing else.
"""

from newsmine.cli.app import app

__all__ = ["app"]
