"""The course's one reference list (``data/references.csv``) and citation formatting.

Lessons cite a work by linking to its anchor, ``[Domino 2010](#ref-domino2010)``; the lesson's reference list (built by
:func:`reference_list_html`) carries the matching ``id="ref-domino2010"`` anchors. Data rows and quiz questions cite
by key. :mod:`ketamine_course.citations` checks that every key resolves and every reference is cited.
"""

from __future__ import annotations

import html
import re
from collections.abc import Iterable
from datetime import date
from functools import lru_cache
from pathlib import Path
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator

from ketamine_course.errors import DataValidationError, Problem, display_path
from ketamine_course.paths import data_dir
from ketamine_course.tables import read_validated_csv

REFERENCES_FILE = "references.csv"
KEY_PATTERN = r"^[a-z0-9_]+$"
DOI_PATTERN = r"^10\.\d{4,9}/\S+$"
PMID_PATTERN = r"^[1-9]\d{0,8}$"
PMCID_PATTERN = r"^PMC\d{4,9}$"
URL_PATTERN = r"^https?://\S+$"
CITATION_LINK = re.compile(r"\]\(#ref-([a-z0-9_]+)\)")

ReferenceKind = Literal["article", "review", "label", "regulator", "legislation", "report", "website", "book"]


class Reference(BaseModel):
    """One work in the reference list."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    key: str = Field(pattern=KEY_PATTERN, description="Citation key: lowercase letters, digits, underscore.")
    kind: ReferenceKind = Field(description="article, review, label, regulator, legislation, report, website, book.")
    authors: str = Field(min_length=1, description="'Surname AB; Surname CD; et al.' or the organisation.")
    year: int = Field(ge=1900, le=2100, description="Year of publication (or of the label / page version).")
    title: str = Field(min_length=1, description="Title of the work.")
    container: str | None = Field(None, description="Journal (PubMed abbreviation), publisher or agency.")
    volume: str | None = Field(None, description="Journal volume.")
    issue: str | None = Field(None, description="Journal issue.")
    pages: str | None = Field(None, description="Pages or article number.")
    doi: str | None = Field(None, pattern=DOI_PATTERN, description="DOI, bare (10.xxxx/...).")
    pmid: str | None = Field(None, pattern=PMID_PATTERN, description="PubMed id, digits only.")
    pmcid: str | None = Field(None, pattern=PMCID_PATTERN, description="PubMed Central id, PMC followed by digits.")
    url: str | None = Field(None, pattern=URL_PATTERN,
                            description="The work's own web address: the publisher's, regulator's, legislature's or "
                                        "registry's page (labels, regulator pages, legislation). Never a copy.")
    accessed: date | None = Field(None, description="Date a web page or label was read (YYYY-MM-DD).")
    checked_copy_url: str | None = Field(
        None, pattern=URL_PATTERN,
        description="Where the facts were actually read when that was a copy (an archive, a repository, a mirror), "
                    "not the work's own page: the audit trail for a reviewer. Not shown to readers, who get the "
                    "DOI, PMID or official address.")

    @model_validator(mode="after")
    def _has_identifier(self) -> Reference:
        if not (self.doi or self.pmid or self.url):
            raise ValueError("needs at least one of doi, pmid or url")
        return self

    @property
    def author_names(self) -> list[str]:
        """The listed authors, without a closing 'et al.'."""
        names = [name.strip() for name in self.authors.split(";") if name.strip()]
        return [name for name in names if name.lower().rstrip(".") != "et al"]

    @property
    def first_author_surname(self) -> str:
        return self._surname(self.author_names[0] if self.author_names else self.authors.strip())

    def _surname(self, name: str) -> str:
        if self.kind in ("label", "regulator", "legislation", "report", "website") and " " in name:
            parts = name.split()
            if not (len(parts) == 2 and parts[1].isupper() and len(parts[1]) <= 3):
                return name  # an organisation: keep its whole name
        parts = name.split()
        if len(parts) > 2 and parts[-1].isalpha() and parts[-1].isupper() and len(parts[-1]) <= 3:
            return " ".join(parts[:-1])  # a surname of several words: 'Le Daré B', 'van Velzen M'
        return parts[0] if parts else name

    @property
    def short_label(self) -> str:
        """'Domino 2010', 'Kapur & Seeman 2002', 'Zanos et al. 2018', 'US Food and Drug Administration 2023': two
        authors are both named, three or more (or a list ending in 'et al.') give the first and 'et al.'."""
        if self.authors.startswith("["):  # authors not known to the course (a placeholder): journal and year instead
            return f"{self.container or self.title} {self.year}"
        names = self.author_names
        truncated = len(names) < len([n for n in self.authors.split(";") if n.strip()])
        if len(names) == 2 and not truncated:
            return f"{self._surname(names[0])} & {self._surname(names[1])} {self.year}"
        several = len(names) > 1 or truncated
        return f"{self.first_author_surname}{' et al.' if several else ''} {self.year}"

    def links(self) -> list[tuple[str, str]]:
        """(label, url) pairs for the work's identifiers."""
        out: list[tuple[str, str]] = []
        if self.doi:
            out.append((f"doi:{self.doi}", f"https://doi.org/{self.doi}"))
        if self.pmid:
            out.append((f"PMID {self.pmid}", f"https://pubmed.ncbi.nlm.nih.gov/{self.pmid}/"))
        if self.pmcid:
            out.append((self.pmcid, f"https://www.ncbi.nlm.nih.gov/pmc/articles/{self.pmcid}/"))
        if self.url and not (self.doi or self.pmid):
            out.append((self.url, self.url))
        return out

    def _body(self) -> str:
        """Authors. Title. Container. Year;volume(issue):pages."""
        title = self.title.rstrip(".")
        parts = [f"{self.authors.replace(';', ',').rstrip('.')}.", f"{title}."]
        where = self.container or ""
        if self.kind in ("article", "review"):
            numbers = self.volume or ""
            if self.issue:
                numbers += f"({self.issue})"
            if self.pages:
                numbers += f":{self.pages}"
            separator = "" if numbers.startswith(":") else ";"  # no volume: "2021:1133-1152", not "2021;:1133-1152"
            parts.append(f"{where}. {self.year}{separator + numbers if numbers else ''}.")
        else:
            parts.append(f"{where + ', ' if where else ''}{self.year}.")
        return " ".join(parts)

    def format_text(self) -> str:
        """A plain-text citation (Vancouver-like), for quiz feedback and text alternatives."""
        extra = [label for label, _ in self.links()]
        if self.accessed:
            extra.append(f"accessed {self.accessed.isoformat()}")
        return self._body() + (" " + ". ".join(extra) + "." if extra else "")

    def format_html(self) -> str:
        """The citation as HTML with clickable identifiers; all text escaped."""
        links = [f'<a href="{html.escape(url)}">{html.escape(label)}</a>' for label, url in self.links()]
        if self.accessed:
            links.append(f"accessed {self.accessed.isoformat()}")
        return html.escape(self._body()) + (" " + ". ".join(links) + "." if links else "")


# Hosts whose pages are a label's, regulator's or legislature's own (a manufacturer's label site counts for its label).
# A label, regulator page or piece of legislation cited by web address must be on one of these; a copy found elsewhere
# is recorded in ``checked_copy_url`` and the official address goes in ``url``.
OFFICIAL_HOST_SUFFIXES = (
    ".gov", ".gov.uk", ".gov.hk", ".govt.nz", ".gc.ca", "canada.ca", ".europa.eu", "who.int", ".gov.au", ".gouv.fr",
    ".admin.ch", "swissmedicinfo.ch", "unodc.org", "incb.org", "legislation.gov.uk", "janssenlabels.com",
    "pfizermedicalinformation.com", "spravatorems.com", "parpharm.com", "par.com",
)
PLACEHOLDER_TEXT = re.compile(r"not (?:seen|shown)|anonymous|\[\.\.\.\]|\[…\]|full subtitle", re.IGNORECASE)
COPY_OF_ANOTHER_PAGE = re.compile(r"proxy|%3A%2F%2F|[?&](?:q|url)=https?", re.IGNORECASE)


def url_host(url: str) -> str:
    return url.split("/")[2].split(":")[0].lower() if "://" in url else ""


def is_official_host(host: str) -> bool:
    return any(host == suffix.lstrip(".") or host.endswith(suffix if suffix.startswith(".") else "." + suffix)
               or host == suffix for suffix in OFFICIAL_HOST_SUFFIXES)


def source_quality_problems(ref: Reference) -> list[str]:
    """What keeps ``ref`` from being a citation a reader can open and trust: placeholder authors or titles, a journal
    article without DOI or PMID, a web proxy's address, an official document cited at an unofficial address."""
    problems = []
    for column in ("authors", "title"):
        if PLACEHOLDER_TEXT.search(getattr(ref, column)):
            problems.append(f"{column} is a placeholder ({getattr(ref, column)[:60]!r}): give the work's own")
    if ref.kind in ("article", "review") and not (ref.doi or ref.pmid):
        problems.append("a journal article needs a DOI or a PMID")
    if ref.url and COPY_OF_ANOTHER_PAGE.search(ref.url):
        problems.append(f"url {ref.url[:60]!r} is a proxy's copy: put the original address there")
    if (ref.kind in ("label", "regulator", "legislation") and ref.url and not (ref.doi or ref.pmid)
            and not is_official_host(url_host(ref.url))):
        problems.append(f"a {ref.kind} needs its official address, not {url_host(ref.url)!r} (a copy goes in "
                        "checked_copy_url)")
    return problems


def duplicate_work_problems(references: Iterable[Reference]) -> list[str]:
    """One key per work: two keys with the same DOI, PMID or PMCID cite one work twice (and split its citations)."""
    seen: dict[tuple[str, str], str] = {}
    problems = []
    for ref in references:
        for column in ("doi", "pmid", "pmcid"):
            value = getattr(ref, column)
            if not value:
                continue
            first = seen.setdefault((column, value.lower()), ref.key)
            if first != ref.key:
                problems.append(f"{ref.key} and {first} have the same {column} {value}: one work, keep one key")
    return problems


class ReferenceList:
    """The loaded, validated reference list, indexed by key."""

    def __init__(self, references: Iterable[Reference]) -> None:
        self._by_key = {ref.key: ref for ref in references}

    def __contains__(self, key: object) -> bool:
        return key in self._by_key

    def __getitem__(self, key: str) -> Reference:
        try:
            return self._by_key[key]
        except KeyError:
            raise KeyError(f"unknown reference key {key!r} (not in data/{REFERENCES_FILE})") from None

    def __iter__(self):
        return iter(self._by_key.values())

    def __len__(self) -> int:
        return len(self._by_key)

    def keys(self) -> list[str]:
        return list(self._by_key)


def load_references(path: Path | None = None) -> ReferenceList:
    """Load and validate the reference list; raises :class:`DataValidationError` listing every problem."""
    path = path or data_dir() / REFERENCES_FILE
    result = read_validated_csv(path, Reference)
    seen: dict[str, str] = {}
    for ref, where in zip(result.rows, result.locations, strict=True):
        if ref.key in seen:
            message = f"duplicate key {ref.key!r} (first in {seen[ref.key]})"
            result.problems.append(Problem(display_path(path), where, "key", message))
        seen.setdefault(ref.key, where)
    if result.problems:
        raise DataValidationError(result.problems)
    return ReferenceList(result.rows)


@lru_cache(maxsize=1)
def course_references() -> ReferenceList:
    """The course's reference list, loaded once per process."""
    return load_references()


def cite(key: str, references: ReferenceList | None = None) -> str:
    """A Markdown citation link for prose: ``[Domino 2010](#ref-domino2010)``."""
    ref = (references or course_references())[key]
    return f"[{ref.short_label}](#ref-{ref.key})"


def source_labels(keys: str, references: ReferenceList | None = None) -> str:
    """'Zanos et al. 2018; Domino 2010' for a data row's ``source_key`` (keys joined by ';'): how charts, hover text
    and tables name a row's sources."""
    references = references or course_references()
    return "; ".join(references[key.strip()].short_label for key in keys.split(";") if key.strip())


def cited_keys_in_markdown(text: str) -> list[str]:
    """Keys cited in Markdown by ``[label](#ref-key)`` links, in order of first appearance."""
    return list(dict.fromkeys(CITATION_LINK.findall(text)))


def reference_list_html(keys: Iterable[str], references: ReferenceList | None = None) -> str:
    """An ordered list of formatted references with ``ref-<key>`` anchors, sorted by first author then year."""
    references = references or course_references()
    works = sorted({references[k] for k in keys}, key=lambda r: (r.first_author_surname.lower(), r.year, r.key))
    items = "\n".join(f'<li id="ref-{r.key}">{r.format_html()}</li>' for r in works)
    return f'<ol class="course-references">\n{items}\n</ol>'
