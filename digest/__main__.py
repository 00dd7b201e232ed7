"""`python -m digest` runs the CLI."""

from .cli import run

run()
