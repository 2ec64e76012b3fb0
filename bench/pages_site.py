"""Settings for serving the site in bench/pages_bench.py: the deployment's, in production mode
(no debug, no query log), with the two baseline pages added."""

from pathlib import Path

from config.settings import *  # noqa: F403
from config.settings import LOGGING, TEMPLATES

DEBUG = False
ALLOWED_HOSTS = ["127.0.0.1", "localhost"]
ROOT_URLCONF = "pages_urls"
STATIC_ROOT = None  # served by the finders, as in development: no collectstatic for a benchmark
TEMPLATES[0]["DIRS"] = [*TEMPLATES[0]["DIRS"], Path(__file__).resolve().parent / "templates"]
LOGGING["root"]["level"] = "WARNING"
