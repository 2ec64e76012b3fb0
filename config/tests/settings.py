"""The settings of the test suite: the deployment's, plus a small app that proves the seams
(config.tests.extension_app)."""

from config.settings import *  # noqa: F403
from config.settings import INSTALLED_APPS

INSTALLED_APPS = [*INSTALLED_APPS, "config.tests.extension_app"]
ROOT_URLCONF = "config.tests.urls"
