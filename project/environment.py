"""The environment the settings read (project/settings.py and the modules it includes): process
environment variables, and a `.env` file only when DJANGO_READ_DOT_ENV_FILE=true."""

from pathlib import Path

import environ

BASE_DIR = Path(__file__).resolve().parent.parent

env = environ.Env()
if env.bool("DJANGO_READ_DOT_ENV_FILE", default=False):
    env.read_env(BASE_DIR / ".env")
