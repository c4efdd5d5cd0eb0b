"""The course's data sets: one CSV per set in ``data/``, one pydantic row model per set, validated on every load.

Every row carries its source (``source_key``: reference key(s), ``source_location``: table / figure / section,
``approximate``: read off a figure or rounded). A row without a source, a cell of the wrong type or an unknown
reference key fails the load with file, row and column named. ``data/README.md`` (the data dictionary) is generated
from these models by :func:`data_dictionary_markdown`, so the descriptions live in one place.
"""

from __future__ import annotations

import typing
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Annotated, Literal

import pandas as pd
from pydantic import BaseModel, BeforeValidator, ConfigDict, Field, model_validator

from ketamine_course.errors import DataValidationError, Problem, display_path
from ketamine_course.paths import data_dir
from ketamine_course.references import KEY_PATTERN, REFERENCES_FILE, ReferenceList, course_references
from ketamine_course.tables import model_columns, read_validated_csv


def _split_keys(value: object) -> object:
    if isinstance(value, str):
        return tuple(part.strip() for part in value.split(";") if part.strip())
    return value


SourceKeys = Annotated[
    tuple[Annotated[str, Field(pattern=KEY_PATTERN)], ...],
    BeforeValidator(_split_keys),
    Field(min_length=1),
]


def unit(text: str) -> dict[str, str]:
    """Field metadata naming a column's unit, shown in the data dictionary."""
    return {"unit": text}


class SourcedRow(BaseModel):
    """Columns every data row ends with: where the value comes from."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    source_key: SourceKeys = Field(description="Reference key(s) in data/references.csv, separated by ';'.")
    source_location: str = Field(min_length=1, description="Where in the source: table, figure, section, text.")
    approximate: bool = Field(description="true if read off a figure or rounded by the course authors.")


class Milestone(SourcedRow):
    """A dated event in ketamine's history (lessons 0, 1 and 7)."""

    year: int = Field(ge=1900, le=2100, description="Year of the event.", json_schema_extra=unit("year"))
    date: str | None = Field(
        None, pattern=r"^\d{4}(-\d{2}(-\d{2})?)?$", description="Exact date when known: YYYY, YYYY-MM or YYYY-MM-DD."
    )
    category: Literal["discovery", "clinical", "approval", "regulation", "psychiatry", "safety"] = Field(
        description="Kind of milestone (one timeline lane per kind)."
    )
    region: str = Field(min_length=1, description="US, UK, EU, international, or a country.")
    event: str = Field(min_length=1, max_length=70, description="Short label shown on the chart.")
    detail: str = Field(min_length=1, max_length=300, description="One sentence shown on hover and in the table.")


class TrialResult(SourcedRow):
    """One comparison and outcome of a randomised trial (lessons 4 and 5): arm sizes, events or mean changes, and the
    effect as the source reported it. Values derived by the course authors are flagged ``approximate`` and the
    working is in ``notes``; empty cells mean the number was not read in the source."""

    trial_id: str = Field(pattern=r"^[A-Za-z0-9_.]+$", description="Trial and comparison (arm or stratum) id.")
    study: str = Field(min_length=1, description="Trial as cited (first author, year, acronym).")
    year: int = Field(ge=1990, le=2100, description="Year of publication seen.", json_schema_extra=unit("year"))
    indication: Literal["trd", "mdd", "mdd_suicidal_ideation", "bipolar_depression", "suicidal_ideation", "anxiety",
                        "ptsd", "substance_use", "status_epilepticus", "pain"] = Field(
        description="Condition studied (trd = treatment-resistant depression).")
    design: Literal["parallel", "crossover", "randomized_withdrawal"] = Field(description="Trial design.")
    drug: Literal["racemic_ketamine", "esketamine", "arketamine"] = Field(description="Which ketamine.")
    route: Literal["iv", "intranasal", "im", "oral", "sc", "sublingual"] = Field(description="Route.")
    dose: str | None = Field(None, description="Dose as stated in the source (text).")
    schedule: str = Field(min_length=1, description="How often and how long, as stated in the source.")
    comparator: str = Field(min_length=1, description="Control condition as stated.")
    comparator_type: Literal["inert_placebo", "active_placebo", "active_treatment"] = Field(
        description="inert placebo (saline, placebo spray), active placebo (midazolam) or active treatment.")
    outcome: str = Field(min_length=1, description="Outcome and scale.")
    outcome_type: Literal["binary", "continuous"] = Field(description="binary (events/n) or continuous.")
    lower_is_better: bool = Field(description="true for symptom change scores and relapse; false for response.")
    timepoint: str = Field(min_length=1, description="When the outcome was measured.")
    n_drug: int | None = Field(None, ge=1, description="Participants in the ketamine/esketamine arm.",
                               json_schema_extra=unit("participants"))
    n_comparator: int | None = Field(None, ge=1, description="Participants in the comparator arm.",
                                     json_schema_extra=unit("participants"))
    events_drug: int | None = Field(None, ge=0, description="Participants with the event, drug arm.",
                                    json_schema_extra=unit("participants"))
    events_comparator: int | None = Field(None, ge=0, description="Participants with the event, comparator arm.",
                                          json_schema_extra=unit("participants"))
    pct_drug: float | None = Field(None, ge=0, le=100, description="Percentage with the event as printed, drug arm.",
                                   json_schema_extra=unit("%"))
    pct_comparator: float | None = Field(None, ge=0, le=100, description="Percentage as printed, comparator arm.",
                                         json_schema_extra=unit("%"))
    mean_change_drug: float | None = Field(None, description="Mean change from baseline, drug arm.",
                                           json_schema_extra=unit("scale points"))
    sd_drug: float | None = Field(None, gt=0, description="SD of the change, drug arm.",
                                  json_schema_extra=unit("scale points"))
    mean_change_comparator: float | None = Field(None, description="Mean change, comparator arm.",
                                                 json_schema_extra=unit("scale points"))
    sd_comparator: float | None = Field(None, gt=0, description="SD of the change, comparator arm.",
                                        json_schema_extra=unit("scale points"))
    effect_measure: str | None = Field(None, description="What ``effect`` is (measure, scale, direction).")
    effect: float | None = Field(None, description="Effect as reported (or derived: see approximate / notes).")
    ci_low: float | None = Field(None, description="Lower 95 % confidence limit of ``effect``.")
    ci_high: float | None = Field(None, description="Upper 95 % confidence limit of ``effect``.")
    result: Literal["positive", "negative", "mixed"] = Field(
        description="Did the trial meet its primary objective (as its authors or the cited sources state)? mixed: "
                    "one of two co-primary outcomes was met.")
    endpoint_role: Literal["primary", "key_secondary", "secondary", "subgroup"] | None = Field(
        None, description="Role of this row's outcome in the trial, when the source names it (lesson 5).")
    row_result: Literal["favours_drug", "no_significant_difference", "favours_comparator"] | None = Field(
        None, description="This row's own result as the source reports it (a trial can meet its primary outcome and "
                          "still show no difference on this one); empty when no test of this row was read.")
    notes: str = Field(min_length=1, description="What was read where, and the working for any derived value.")

    @model_validator(mode="after")
    def _consistent(self) -> TrialResult:
        for events, n, arm in ((self.events_drug, self.n_drug, "drug"),
                               (self.events_comparator, self.n_comparator, "comparator")):
            if events is not None and n is not None and events > n:
                raise ValueError(f"events_{arm} ({events}) is greater than n_{arm} ({n})")
        if self.effect is not None and self.ci_low is not None and self.ci_high is not None:
            if not self.ci_low < self.effect < self.ci_high:
                raise ValueError(f"expected ci_low < effect < ci_high, got {self.ci_low}, {self.effect}, "
                                 f"{self.ci_high}")
        if (self.ci_low is None) != (self.ci_high is None):
            raise ValueError("give both ci_low and ci_high, or neither")
        return self


Compound = Literal[
    "racemic_ketamine", "esketamine", "arketamine", "norketamine", "s_norketamine", "r_norketamine",
    "dehydronorketamine", "hnk_2r6r",
]


class ReceptorAffinity(SourcedRow):
    """One published affinity (Ki) or inhibitory potency (IC50) of ketamine or a metabolite at one target (lesson 2).

    A study that saw *no* effect up to its highest concentration gives a censored value: ``value_uM`` stays empty
    and ``no_effect_up_to_uM`` holds that highest concentration ("> 10 µM"), so it is never plotted as a number.
    """

    target: str = Field(min_length=1, description="Receptor, channel or transporter (and site or state).")
    target_group: Literal["nmda", "dopamine", "serotonin", "monoamine_transporter", "nicotinic"] = Field(
        description="Family of the target (one row of the chart per target)."
    )
    compound: Compound = Field(description="Racemic ketamine, an enantiomer or a metabolite.")
    measure: Literal["Ki", "IC50"] = Field(description="Ki from binding, or IC50 from a functional assay.")
    value_uM: float | None = Field(
        None, gt=0, description="The measured value; empty when censored.", json_schema_extra=unit("µM")
    )
    no_effect_up_to_uM: float | None = Field(
        None, gt=0, description="Censored: no binding or effect seen up to this concentration.",
        json_schema_extra=unit("µM"),
    )
    system: str = Field(min_length=1, description="Tissue or cells, radioligand or assay, as stated by the source.")
    disputed: bool = Field(description="true if independent studies failed to reproduce the finding.")

    @model_validator(mode="after")
    def _one_value(self) -> ReceptorAffinity:
        if (self.value_uM is None) == (self.no_effect_up_to_uM is None):
            raise ValueError("give exactly one of value_uM (a measured value) or no_effect_up_to_uM (censored)")
        return self


class ConcentrationRange(SourcedRow):
    """A plasma (or serum) ketamine concentration range reported for an effect or use (lesson 2)."""

    effect: Literal["analgesia", "antidepressant", "dissociation", "psychotomimetic", "psychedelic",
                    "anaesthesia"] = Field(description="Effect or use the concentrations go with.")
    label: str = Field(min_length=1, max_length=60, description="Short label shown on the chart.")
    regimen: str = Field(min_length=1, description="Dose, route and timing as given by the source.")
    analyte: str = Field(min_length=1, description="What was measured (racemic ketamine in plasma, ...).")
    low_ng_per_ml: float = Field(gt=0, description="Lower end (or the single value).", json_schema_extra=unit("ng/mL"))
    high_ng_per_ml: float = Field(gt=0, description="Upper end (= low for a single value).",
                                  json_schema_extra=unit("ng/mL"))
    low_uM: float = Field(gt=0, description="Lower end in µM (as printed, or converted with 237.7 g/mol).",
                          json_schema_extra=unit("µM"))
    high_uM: float = Field(gt=0, description="Upper end in µM.", json_schema_extra=unit("µM"))

    @model_validator(mode="after")
    def _ordered(self) -> ConcentrationRange:
        if self.high_ng_per_ml < self.low_ng_per_ml or self.high_uM < self.low_uM:
            raise ValueError("high value is below low value")
        return self


# Labels print whole percentages (0.5 for 1 in about 200): a count may differ from the printed figure by up to
# half a point plus a little for rounding.
ADVERSE_EFFECT_ROUNDING_POINTS = 0.6


class AdverseEffect(SourcedRow):
    """How often an adverse effect occurred on a drug (and on placebo, when there was one), from a drug label
    (lesson 6). Percentages are copied as the label rounds them; ``n_*`` are arm sizes and ``events_*`` the patients
    with the effect, when the source gives them (risk differences and ratios are computed from the counts)."""

    product: Literal["Spravato (esketamine) nasal spray", "Ketalar (ketamine) injection"] = Field(
        description="The labelled product the numbers come from."
    )
    category: Literal["adverse_reaction", "blood_pressure", "emergence_reaction"] = Field(
        description="Which label table or statement: adverse-reaction table, blood-pressure table, or emergence note."
    )
    population: str = Field(min_length=1, description="Who was studied and what was compared.")
    adverse_effect: str = Field(min_length=1, description="The adverse effect or threshold, as the label names it.")
    drug_pct: float = Field(ge=0, le=100, description="Share of patients on the drug with the effect.",
                            json_schema_extra=unit("%"))
    placebo_pct: float | None = Field(None, ge=0, le=100, description="Share on placebo (blank: none or not given).",
                                      json_schema_extra=unit("%"))
    n_drug: int | None = Field(None, ge=1, description="Patients in the drug arm.", json_schema_extra=unit("patients"))
    n_placebo: int | None = Field(None, ge=1, description="Patients in the placebo arm.",
                                  json_schema_extra=unit("patients"))
    events_drug: int | None = Field(None, ge=0, description="Patients on the drug with the effect (blank: not given).",
                                    json_schema_extra=unit("patients"))
    events_placebo: int | None = Field(None, ge=0, description="Patients on placebo with the effect (blank: not "
                                       "given).", json_schema_extra=unit("patients"))

    @model_validator(mode="after")
    def _counts_match_percentages(self) -> AdverseEffect:
        """An event count needs its arm size, cannot exceed it, and must round to the label's percentage."""
        for arm, events, n, pct in (("drug", self.events_drug, self.n_drug, self.drug_pct),
                                    ("placebo", self.events_placebo, self.n_placebo, self.placebo_pct)):
            if events is None:
                continue
            if n is None or pct is None:
                raise ValueError(f"events_{arm} needs n_{arm} and {arm}_pct")
            if events > n:
                raise ValueError(f"events_{arm} ({events}) is larger than n_{arm} ({n})")
            if abs(100 * events / n - pct) > ADVERSE_EFFECT_ROUNDING_POINTS:
                raise ValueError(f"events_{arm}/n_{arm} = {100 * events / n:.1f}% does not round to {arm}_pct = "
                                 f"{pct:g}%")
        return self


class BenefitRiskOutcome(SourcedRow):
    """A benefit or harm with its rate on drug and on placebo in one trial, for the NNT/NNH illustration (lesson 7)."""

    outcome: str = Field(min_length=1, description="The outcome as the source names it.")
    kind: Literal["benefit", "harm"] = Field(description="Whether more of it is good (benefit) or bad (harm).")
    drug_pct: float = Field(ge=0, le=100, description="Share of patients on the drug.", json_schema_extra=unit("%"))
    placebo_pct: float = Field(ge=0, le=100, description="Share on placebo.", json_schema_extra=unit("%"))
    trial: str = Field(min_length=1, description="Trial and comparison.")
    timepoint: str = Field(min_length=1, description="When the outcome was measured.")


Schedule = Literal["I", "II", "III", "IV", "V"]


class CsaSchedule(SourcedRow):
    """The findings the US Controlled Substances Act requires for each schedule, 21 U.S.C. 812(b) (lesson 7)."""

    schedule: Schedule = Field(description="CSA schedule.")
    abuse_potential_rank: int = Field(
        ge=1, le=5, json_schema_extra=unit("rank"),
        description="Order of abuse potential in the statute (higher = more; I and II are both 'high', so they tie); "
        "an ordinal rank, not a measurement.")
    abuse_potential: str = Field(min_length=1, description="Finding (A): potential for abuse.")
    accepted_medical_use: str = Field(min_length=1, description="Finding (B): currently accepted medical use.")
    dependence: str = Field(min_length=1, description="Finding (C): safety or dependence.")


class ScheduleExample(SourcedRow):
    """A substance and its US schedule, with the basis for that placement (lesson 7)."""

    substance: str = Field(min_length=1, description="Substance or preparation.")
    schedule: Schedule = Field(description="CSA schedule.")
    basis: str = Field(min_length=1, description="Why we can say so: the rule, listing or record.")


class ControlStatus(SourcedRow):
    """How ketamine or esketamine is controlled or approved in a jurisdiction (lesson 7). Status can change, so every
    row carries two dates: ``source_date``, the date of the newest law, rule or page read that states the status, and
    ``checked_on``, the day the course last checked it against that source."""

    jurisdiction: str = Field(min_length=1, description="Country, region or international body.")
    kind: Literal["national_control", "international_control", "essential_medicine", "approval"] = Field(
        description="Kind of status."
    )
    status: str = Field(min_length=1, description="Schedule, class, listing or approval.")
    since_year: int | None = Field(None, ge=1900, le=2100, description="Year the status began (blank: not verified).",
                                   json_schema_extra=unit("year"))
    source_date: str = Field(pattern=r"^\d{4}(-\d{2}(-\d{2})?)?$",
                             description="Date of the newest law, rule or page read that states this status "
                             "(YYYY[-MM[-DD]]).")
    checked_on: str = Field(pattern=r"^\d{4}-\d{2}-\d{2}$",
                            description="Day the course last checked the status against that source (YYYY-MM-DD): "
                            "the status is stated 'as of' this day.")
    notes: str = Field(min_length=1, description="Details and caveats.")

    @model_validator(mode="after")
    def _checked_after_source(self) -> ControlStatus:
        # compared at the source date's precision: a source dated "2026-12" may be checked on any day from 2026-12-01
        if self.checked_on[: len(self.source_date)] < self.source_date:
            raise ValueError(f"checked_on {self.checked_on} is earlier than source_date {self.source_date}")
        return self


class PKParameter(SourcedRow):
    """One parameter of a published ketamine pharmacokinetic model or summary (lesson 3)."""

    model: str = Field(pattern=r"^[a-z0-9_]+$", description="Model or study id (herd2007, domino_opentiva, ...).")
    drug: Literal["racemic ketamine", "S-ketamine", "esketamine"] = Field(description="What was given and measured.")
    parameter: str = Field(min_length=1, description="Parameter name (V1, CL, k10, t_half_beta, ...).")
    value: float = Field(description="The value as given by the source.")
    unit: str = Field(min_length=1, description="Unit of the value (L per 70 kg, 1/min, L/h, ...).")
    population: str = Field(min_length=1, description="Who the model was built from, as the source says.")
    checked_against: Literal["paper abstract", "paper table", "open-source code", "drug label"] = Field(
        description="What the course authors read the value in: the paper, a label, or only software that "
        "implements the model."
    )
    used_in_simulator: bool = Field(description="true if the lesson's simulator uses this value.")


class RouteBioavailability(SourcedRow):
    """Absolute bioavailability (and Tmax when reported) of ketamine or esketamine by route (lesson 3)."""

    route: Literal["iv", "im", "intranasal", "oral", "sublingual", "sublingual_buccal", "rectal"] = Field(
        description="Route of administration."
    )
    product: str = Field(min_length=1, description="Product, dose and study size as the source describes them.")
    compound: Literal["racemic ketamine", "S-ketamine", "esketamine"] = Field(description="What was given.")
    bioavailability_percent: float = Field(gt=0, le=100, description="Absolute bioavailability F.",
                                           json_schema_extra=unit("%"))
    bioavailability_low_percent: float | None = Field(None, gt=0, le=100, description="Lower limit, when given.",
                                                      json_schema_extra=unit("%"))
    bioavailability_high_percent: float | None = Field(None, gt=0, le=100, description="Upper limit, when given.",
                                                       json_schema_extra=unit("%"))
    tmax_min: float | None = Field(None, gt=0, description="Time of peak plasma concentration, when given.",
                                   json_schema_extra=unit("min"))


@dataclass(frozen=True)
class DatasetSpec:
    """A data set: its name, CSV file, row model and what it is for."""

    name: str
    filename: str
    row_model: type[SourcedRow]
    description: str
    used_in: tuple[str, ...]

    @property
    def path(self) -> Path:
        return data_dir() / self.filename


DEPRESSION_INDICATIONS = ("trd", "mdd", "bipolar_depression")


#: The milestone kinds lesson 7's regulatory timeline shows (lessons 0 and 1 show every kind).
REGULATORY_MILESTONE_CATEGORIES = ("approval", "regulation", "safety")


def regulatory_milestones(milestones: pd.DataFrame) -> pd.DataFrame:
    """The approvals, control measures and safety warnings among the milestones (lesson 7's timeline)."""
    return milestones[milestones["category"].isin(REGULATORY_MILESTONE_CATEGORIES)]


DATASETS: dict[str, DatasetSpec] = {
    spec.name: spec
    for spec in [
        DatasetSpec(
            "milestones",
            "milestones.csv",
            Milestone,
            "Milestones of ketamine's history, from its chemical family to today's regulation, for the timeline chart.",
            ("00-start-here", "01-what-is-ketamine", "07-regulation"),
        ),
        DatasetSpec(
            "adverse_effects",
            "adverse_effects.csv",
            AdverseEffect,
            "Adverse effects and blood-pressure rises on esketamine vs placebo (Spravato label tables) and emergence "
            "reactions on ketamine (Ketalar label).",
            ("06-safety-misuse-harm", "08-capstone"),
        ),
        DatasetSpec(
            "benefit_risk",
            "benefit_risk.csv",
            BenefitRiskOutcome,
            "Benefit and harm rates on esketamine vs placebo in one trial, for the NNT/NNH illustration.",
            ("07-regulation",),
        ),
        DatasetSpec(
            "csa_schedules",
            "csa_schedules.csv",
            CsaSchedule,
            "The findings 21 U.S.C. 812(b) requires for each schedule of the Controlled Substances Act.",
            ("07-regulation",),
        ),
        DatasetSpec(
            "schedule_examples",
            "schedule_examples.csv",
            ScheduleExample,
            "Example substances and their US schedule, each with the basis for its placement.",
            ("07-regulation",),
        ),
        DatasetSpec(
            "control_status",
            "control_status.csv",
            ControlStatus,
            "How ketamine and esketamine are controlled, listed or approved around the world: the date of the "
            "source that states each status and the day the course checked it.",
            ("07-regulation",),
        ),
        DatasetSpec(
            "trials",
            "trials.csv",
            TrialResult,
            "Randomised trials of ketamine and esketamine: one row per comparison and outcome, with arm sizes, "
            "events or mean changes and the reported effect; negative trials included. Derived values are flagged "
            "approximate.",
            ("04-evidence-depression", "05-evidence-beyond-depression", "08-capstone"),
        ),
        DatasetSpec(
            "receptor_affinities",
            "receptor_affinities.csv",
            ReceptorAffinity,
            "Published affinities (Ki) and inhibitory potencies (IC50) of ketamine, its enantiomers and metabolites at "
            "NMDA receptors and other targets, including censored 'no effect up to' results and disputed findings.",
            ("02-pharmacodynamics",),
        ),
        DatasetSpec(
            "concentration_ranges",
            "concentration_ranges.csv",
            ConcentrationRange,
            "Plasma ketamine concentrations reported for analgesia, antidepressant dosing, dissociation and "
            "anaesthesia, shaded on the occupancy chart and on the PK simulator.",
            ("02-pharmacodynamics", "03-pharmacokinetics"),
        ),
        DatasetSpec(
            "pk_parameters",
            "pk_parameters.csv",
            PKParameter,
            "Parameters of published ketamine pharmacokinetic models and summary values (clearance, volume, "
            "half-life), each saying whether it was checked in the paper, a label, or only in software.",
            ("03-pharmacokinetics",),
        ),
        DatasetSpec(
            "route_bioavailability",
            "route_bioavailability.csv",
            RouteBioavailability,
            "Absolute bioavailability and Tmax of ketamine and esketamine by route; the sources disagree for "
            "intranasal racemic ketamine, and the rows show it.",
            ("03-pharmacokinetics",),
        ),
    ]
}


def dataset_spec(name: str) -> DatasetSpec:
    try:
        return DATASETS[name]
    except KeyError:
        raise KeyError(f"unknown data set {name!r}; known: {', '.join(sorted(DATASETS))}") from None


def validate_dataset(
    spec: DatasetSpec, references: ReferenceList | None = None, path: Path | None = None
) -> tuple[list[SourcedRow], list[Problem]]:
    """Validate one data set's CSV and its reference keys; returns the rows and every problem found."""
    path = path or spec.path
    references = references if references is not None else course_references()
    result = read_validated_csv(path, spec.row_model)
    for row, where in zip(result.rows, result.locations, strict=True):
        for key in row.source_key:
            if key not in references:
                message = f"unknown reference key {key!r} (not in data/{REFERENCES_FILE})"
                result.problems.append(Problem(display_path(path), where, "source_key", message))
    return result.rows, result.problems


def load_rows(name: str, path: Path | None = None, references: ReferenceList | None = None) -> list[SourcedRow]:
    """The validated rows of a data set; raises :class:`DataValidationError` listing every problem."""
    rows, problems = validate_dataset(dataset_spec(name), references=references, path=path)
    if problems:
        raise DataValidationError(problems)
    return rows


@cache
def _load_frame_cached(name: str) -> pd.DataFrame:
    rows = load_rows(name)
    frame = pd.DataFrame([row.model_dump() for row in rows], columns=model_columns(dataset_spec(name).row_model))
    frame["source_key"] = frame["source_key"].map(lambda keys: ";".join(keys))
    return frame


def load_dataset(name: str) -> pd.DataFrame:
    """A data set as a DataFrame (validated; ``source_key`` joined back with ';'). Returns a copy."""
    return _load_frame_cached(name).copy()


def data_dictionary_markdown() -> str:
    """The data dictionary (``data/README.md``), generated from the row models so it cannot drift from them."""
    lines = [
        "# Data dictionary",
        "",
        "<!-- Generated by `ketamine-course regenerate` from ketamine_course/datasets.py; edit the models, "
        "not this file. -->",
        "",
        "Every data set is a UTF-8 CSV file validated on load (`ketamine_course.datasets`). Every row names its "
        "source: `source_key` (one or more keys of `references.csv`, separated by `;`), `source_location` (table, "
        "figure, section or text of that source) and `approximate` (`true` when read off a figure or rounded).",
        "",
        "## references.csv",
        "",
        "The course's one reference list: one row per work, cited by key from lessons, data rows and quiz questions.",
        "",
        *_columns_table(_reference_model()),
    ]
    for spec in DATASETS.values():
        lines += [
            "",
            f"## {spec.filename}",
            "",
            spec.description,
            "",
            f"Used in: {', '.join(f'`lessons/{lesson}.ipynb`' for lesson in spec.used_in)}.",
            "",
            *_columns_table(spec.row_model),
        ]
    return "\n".join(lines) + "\n"


def _reference_model() -> type[BaseModel]:
    from ketamine_course.references import Reference

    return Reference


def _columns_table(model: type[BaseModel]) -> list[str]:
    rows = ["| column | type | unit | required | meaning |", "| --- | --- | --- | --- | --- |"]
    fields = model.model_fields
    own = [name for name in fields if name not in SourcedRow.model_fields]
    ordered = own + [name for name in fields if name in SourcedRow.model_fields]
    for name in ordered:
        field = fields[name]
        extra = field.json_schema_extra if isinstance(field.json_schema_extra, dict) else {}
        type_name = _type_name(field.annotation)
        rows.append(
            f"| `{name}` | {type_name} | {extra.get('unit', '')} | {'yes' if field.is_required() else 'no'} "
            f"| {field.description or ''} |"
        )
    return rows


def _literal_values(annotation: object) -> tuple[object, ...] | None:
    """The allowed values of ``Literal[...]`` or ``Literal[...] | None``; None for any other annotation."""
    if typing.get_origin(annotation) is typing.Literal:
        return typing.get_args(annotation)
    for member in typing.get_args(annotation):
        if typing.get_origin(member) is typing.Literal:
            return typing.get_args(member)
    return None


def _type_name(annotation: object) -> str:
    values = _literal_values(annotation)
    if values is not None:
        return "one of " + ", ".join(f"`{value}`" for value in values)
    text = str(annotation).replace("typing.", "")
    for plain in ("int", "float", "bool", "str", "date"):
        if text in (plain, f"<class '{plain}'>", f"{plain} | None", f"<class '{plain}'> | None"):
            return plain if plain != "str" else "text"
    if "tuple" in text:
        return "reference key(s)"
    if "date" in text:
        return "date"
    return text.replace("<class '", "").replace("'>", "").replace(" | None", "")
