"""Fixtures shared by the storage tests."""

from tests.helpers.postgres import private_postgres  # noqa: F401 - a fixture
