"""Storage URLs as the user types them: PostgreSQL gets the psycopg (v3) driver, and a missing
driver is one line saying what to install."""

import sys

import pytest

from workbench.search import SearchError
from workbench.search.study import database_url, open_storage


@pytest.mark.parametrize(
    ("typed", "used"),
    [
        ("postgresql://u@db/optuna", "postgresql+psycopg://u@db/optuna"),
        ("postgres://u@db:5433/optuna", "postgresql+psycopg://u@db:5433/optuna"),
        ("postgresql+psycopg2://u@db/optuna", "postgresql+psycopg2://u@db/optuna"),
        ("sqlite:///search.db", "sqlite:///search.db"),
        ("mysql+pymysql://u@db/optuna", "mysql+pymysql://u@db/optuna"),
    ],
)
def test_a_plain_postgresql_url_uses_psycopg_3(typed, used):
    assert database_url(typed) == used


def test_without_psycopg_the_error_names_the_extra_to_install(monkeypatch):
    monkeypatch.setitem(sys.modules, "psycopg", None)  # `import psycopg` raises ImportError
    with pytest.raises(SearchError) as raised:
        open_storage("postgresql://u@127.0.0.1:1/optuna")
    message = str(raised.value)
    assert message.startswith("--storage postgresql://u@127.0.0.1:1/optuna: cannot open")
    assert "pip install 'workbench[postgres]'" in message and "\n" not in message
