"""The tutor's unit tests share the lesson tests' sample library fixtures."""

from tests.lessons.conftest import app_config, lessons_dir  # noqa: F401 - fixtures
