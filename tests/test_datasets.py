"""Data sets: the course's own files validate; broken files fail naming file, row and column."""

from __future__ import annotations

import pytest

from ketamine_course.datasets import DATASETS, data_dictionary_markdown, load_dataset, load_rows
from ketamine_course.errors import DataValidationError
from ketamine_course.paths import data_dir
from ketamine_course.tables import model_columns
from tests.helpers import tiny_references, write_csv

MILESTONE_HEADER = model_columns(DATASETS["milestones"].row_model)
GOOD_ROW = {"source_key": "domino2010", "source_location": "Abstract", "approximate": "false", "year": "1965",
            "date": "", "category": "clinical", "region": "US", "event": "First human study", "detail": "Detail."}


def milestone_file(tmp_path, *overrides: dict[str, str]):
    rows = [[{**GOOD_ROW, **o}[c] for c in MILESTONE_HEADER] for o in overrides]
    return write_csv(tmp_path / "milestones.csv", MILESTONE_HEADER, rows)


REFS = tiny_references("domino2010")


@pytest.mark.parametrize("name", sorted(DATASETS))
def test_every_course_data_set_loads(name: str) -> None:
    frame = load_dataset(name)
    assert len(frame) > 0
    assert frame["source_key"].str.len().min() > 0
    assert frame["source_location"].str.len().min() > 0


def test_good_row_loads(tmp_path) -> None:
    rows = load_rows("milestones", path=milestone_file(tmp_path, {}), references=REFS)
    assert rows[0].year == 1965 and rows[0].source_key == ("domino2010",)


@pytest.mark.parametrize(
    ("override", "column", "message"),
    [
        ({"source_key": ""}, "source_key", "missing value"),
        ({"source_location": ""}, "source_location", "missing value"),
        ({"approximate": ""}, "approximate", "missing value"),
        ({"approximate": "perhaps"}, "approximate", "boolean"),
        ({"year": "nineteen"}, "year", "integer"),
        ({"year": "1865"}, "year", "greater than or equal"),
        ({"category": "gossip"}, "category", "discovery"),
        ({"date": "1965/03/01"}, "date", "pattern"),
        ({"source_key": "nope2020"}, "source_key", "unknown reference key 'nope2020'"),
        ({"source_key": "domino2010;Bad Key"}, "source_key", "pattern"),
    ],
)
def test_bad_cells_name_file_row_and_column(tmp_path, override, column, message) -> None:
    path = milestone_file(tmp_path, {}, override)
    with pytest.raises(DataValidationError) as info:
        load_rows("milestones", path=path, references=REFS)
    problem = info.value.problems[0]
    assert problem.file.endswith("milestones.csv")
    assert problem.where.startswith("row 2 (line 3)")
    assert problem.field == column
    assert message in problem.message
    assert f"row 2 (line 3), column/field '{column}'" in str(info.value)


def test_every_problem_is_listed_at_once(tmp_path) -> None:
    path = milestone_file(tmp_path, {"year": "x"}, {"source_key": ""}, {"category": "y"})
    with pytest.raises(DataValidationError) as info:
        load_rows("milestones", path=path, references=REFS)
    assert [p.where.split(" (")[0] for p in info.value.problems] == ["row 1", "row 2", "row 3"]


def test_missing_and_unexpected_columns(tmp_path) -> None:
    header = [c for c in MILESTONE_HEADER if c != "source_key"] + ["colour"]
    path = write_csv(tmp_path / "milestones.csv", header, [["x"] * len(header)])
    with pytest.raises(DataValidationError, match=r"missing column\(s\): source_key") as info:
        load_rows("milestones", path=path, references=REFS)
    assert "unexpected column(s): colour" in str(info.value)


def test_extra_cells_and_non_utf8_and_empty(tmp_path) -> None:
    path = milestone_file(tmp_path, {})
    path.write_text(path.read_text() + "1,2,3,4,5,6,7,8,9,10,11\n")
    with pytest.raises(DataValidationError, match="beyond the last column"):
        load_rows("milestones", path=path, references=REFS)
    path.write_bytes("year\n19\xe965\n".encode("latin-1"))
    with pytest.raises(DataValidationError, match="not valid UTF-8"):
        load_rows("milestones", path=path, references=REFS)
    write_csv(path, MILESTONE_HEADER, [])
    with pytest.raises(DataValidationError, match="no data rows"):
        load_rows("milestones", path=path, references=REFS)


def test_data_dictionary_is_current() -> None:
    """data/README.md is generated from the row models (ketamine-course regenerate writes it)."""
    assert (data_dir() / "README.md").read_text(encoding="utf-8") == data_dictionary_markdown()
    for spec in DATASETS.values():
        for column in model_columns(spec.row_model):
            assert f"`{column}`" in data_dictionary_markdown()


def test_data_dictionary_names_the_allowed_values_of_optional_choices() -> None:
    from typing import Literal

    from ketamine_course.datasets import _type_name

    assert _type_name(Literal["a", "b"]) == "one of `a`, `b`"
    assert _type_name(Literal["a", "b"] | None) == "one of `a`, `b`"
