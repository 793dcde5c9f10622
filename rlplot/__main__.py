"""``python -m rlplot``."""
from .cli import run

run()
