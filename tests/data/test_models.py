"""The pandera models are the one declaration of the tables; ``schema.TABLES`` reads them."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pandas as pd
import pandera.pandas as pa
import pytest

from plantrack.data.models import MODELS
from plantrack.data.schema import LOAD_ORDER, TABLES
from plantrack.data.tables import read_all
from tests.fixture import build


def test_every_table_has_one_model_in_load_order() -> None:
    assert list(MODELS) == list(LOAD_ORDER) == list(TABLES)
    for name, model in MODELS.items():
        assert issubclass(model, pa.DataFrameModel)
        assert TABLES[name].model() is model
        assert list(TABLES[name].columns) == list(model.to_schema().columns)


def test_references_point_to_a_table_read_before_or_itself() -> None:
    for position, name in enumerate(LOAD_ORDER):
        for column, col in TABLES[name].columns.items():
            if col.references:
                assert col.references in LOAD_ORDER[: position + 1], f"{name}.{column} → {col.references}"


def test_models_accept_the_fixture_tables(tmp_path: Path) -> None:
    tables, problems = read_all(build(tmp_path / "data"))
    assert not problems
    for name, model in MODELS.items():
        model.validate(tables[name].drop(columns="_line"), lazy=True)


def test_a_model_refuses_a_value_outside_its_allowed_set(tmp_path: Path) -> None:
    tables, _ = read_all(build(tmp_path / "data"))
    regions = tables["regions"].drop(columns="_line").copy()
    regions.loc[0, "level"] = "galaxy"
    with pytest.raises(pa.errors.SchemaErrors):
        MODELS["regions"].validate(regions, lazy=True)


def test_a_reference_to_an_unknown_row_names_file_line_and_column(tmp_path: Path) -> None:
    folder = build(tmp_path / "data")
    path = folder / "targets.csv"
    frame = pd.read_csv(path, dtype=str, keep_default_na=False)
    frame.loc[0, "plan"] = "no_such_plan"
    frame.to_csv(path, index=False)
    _, problems = read_all(folder)
    hit = [p for p in problems if p.file == "targets.csv" and p.column == "plan"]
    assert hit and hit[0].line == 2 and "no_such_plan" in hit[0].value and "valid values" in hit[0].expected


def test_describing_tables_does_not_need_pandera_until_asked() -> None:
    code = (
        "import sys; from plantrack.data import schema; "
        "assert 'pandera' not in sys.modules; schema.TABLES['regions'].file; "
        "assert 'pandera' in sys.modules"
    )
    subprocess.run([sys.executable, "-c", code], check=True)
