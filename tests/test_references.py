"""The reference list: validation of identifiers, duplicates, formatting, citation links."""

from __future__ import annotations

import pytest

from ketamine_course.errors import DataValidationError
from ketamine_course.references import (
    Reference,
    cited_keys_in_markdown,
    course_references,
    load_references,
    reference_list_html,
)
from tests.helpers import write_csv

HEADER = ["key", "kind", "authors", "year", "title", "container", "volume", "issue", "pages", "doi", "pmid", "pmcid",
          "url", "accessed", "checked_copy_url"]
GOOD = ["smith2020", "article", "Smith AB; Jones C", "2020", "A study", "J Test", "1", "2", "3-4", "10.1000/xyz",
        "123456", "PMC1234567", "", "", ""]


def test_course_reference_list_loads_and_every_entry_formats() -> None:
    refs = course_references()
    assert len(refs) > 0
    for ref in refs:
        assert ref.format_text().strip()
        assert f"{ref.year}" in ref.format_text()
        assert "<script" not in ref.format_html()


def test_good_file_loads(tmp_path) -> None:
    refs = load_references(write_csv(tmp_path / "references.csv", HEADER, [GOOD]))
    ref = refs["smith2020"]
    assert ref.short_label == "Smith & Jones 2020"
    assert "doi:10.1000/xyz" in ref.format_text()
    assert 'href="https://pubmed.ncbi.nlm.nih.gov/123456/"' in ref.format_html()


@pytest.mark.parametrize(
    ("column", "value", "expected"),
    [
        ("doi", "https://doi.org/10.1000/xyz", "doi"),
        ("doi", "10.10/x", "doi"),
        ("pmid", "PMID123", "pmid"),
        ("pmid", "0123", "pmid"),
        ("pmcid", "1234567", "pmcid"),
        ("url", "ftp://example.org", "url"),
        ("key", "Smith 2020", "key"),
        ("year", "twenty", "year"),
        ("kind", "blog", "kind"),
    ],
)
def test_bad_identifier_shapes_name_row_and_column(tmp_path, column, value, expected) -> None:
    row = list(GOOD)
    row[HEADER.index(column)] = value
    with pytest.raises(DataValidationError) as info:
        load_references(write_csv(tmp_path / "references.csv", HEADER, [row]))
    problem = info.value.problems[0]
    assert problem.field == expected
    assert problem.where.startswith("row 1")
    assert "references.csv" in str(info.value)


def test_a_reference_needs_an_identifier(tmp_path) -> None:
    row = list(GOOD)
    for column in ("doi", "pmid", "pmcid"):
        row[HEADER.index(column)] = ""
    with pytest.raises(DataValidationError, match="needs at least one of doi, pmid or url"):
        load_references(write_csv(tmp_path / "references.csv", HEADER, [row]))


def test_duplicate_keys_are_reported(tmp_path) -> None:
    with pytest.raises(DataValidationError, match="duplicate key 'smith2020'"):
        load_references(write_csv(tmp_path / "references.csv", HEADER, [GOOD, GOOD]))


def test_organisation_authors_keep_their_name() -> None:
    ref = Reference(key="fda", kind="regulator", authors="US Food and Drug Administration", year=2023, title="T",
                    url="https://www.fda.gov/x")
    assert ref.short_label == "US Food and Drug Administration 2023"


def test_citation_links_are_found_once_in_order() -> None:
    text = "See [Smith 2020](#ref-smith2020) and [Doe](#ref-doe2019), again [Smith](#ref-smith2020)."
    assert cited_keys_in_markdown(text) == ["smith2020", "doe2019"]


def test_reference_list_has_anchors_and_escapes_text(tmp_path) -> None:
    row = list(GOOD)
    row[HEADER.index("title")] = "<script>alert(1)</script> title"
    refs = load_references(write_csv(tmp_path / "references.csv", HEADER, [row]))
    html = reference_list_html(["smith2020"], refs)
    assert 'id="ref-smith2020"' in html
    assert "<script>" not in html and "&lt;script&gt;" in html


def test_unknown_key_is_a_clear_error() -> None:
    with pytest.raises(KeyError, match="unknown reference key 'nope'"):
        course_references()["nope"]


@pytest.mark.parametrize(("authors", "label"), [
    ("Le Daré B; Pelletier R; Zaller N", "Le Daré et al. 2022"),  # a surname of two words keeps both
    ("van der Berg AB", "van der Berg 2022"),
    ("van Velzen M", "van Velzen 2022"),
    ("Citrome L; DiBernardo A", "Citrome & DiBernardo 2022"),  # two authors: both named
    ("Kapur; Seeman", "Kapur & Seeman 2022"),
    ("Wilkinson ST; et al.", "Wilkinson et al. 2022"),  # a list cut short is not two authors
    ("Fava M; Freeman MP; Flynn M", "Fava et al. 2022"),
    ("Domino EF", "Domino 2022"),
])
def test_short_label_keeps_a_surname_of_several_words(authors: str, label: str) -> None:
    from ketamine_course.references import Reference

    ref = Reference.model_validate({"key": "x2022", "kind": "article", "authors": authors, "year": 2022,
                                    "title": "T", "doi": "10.1000/x"})
    assert ref.short_label == label


def test_source_labels_name_every_key_and_a_placeholder_author_by_journal() -> None:
    from ketamine_course.references import ReferenceList, source_labels

    refs = ReferenceList([
        Reference.model_validate({"key": "a2020", "kind": "article", "authors": "Smith AB", "year": 2020,
                                  "title": "T", "doi": "10.1000/a"}),
        Reference.model_validate({"key": "b2022", "kind": "review", "authors": "[authors not shown]", "year": 2022,
                                  "title": "T", "container": "Pharmacotherapy", "doi": "10.1000/b"}),
    ])
    assert source_labels("a2020; b2022", refs) == "Smith 2020; Pharmacotherapy 2022"
