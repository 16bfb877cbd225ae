"""``python -m newsmine``: the same command as the ``newsmine`` script."""

from newsmine.cli import app

app(prog_name="newsmine")
