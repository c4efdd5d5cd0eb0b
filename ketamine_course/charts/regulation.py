"""Charts for lesson 7 (regulation): the CSA schedules, where ketamine is controlled, and a benefit-risk
illustration built from one trial's rates (NNT vs NNH).

Pure builders returning ``go.Figure``; interactivity is plotly-only (hover, legend, buttons), so it works on nbviewer.
"""

from __future__ import annotations

import pandas as pd
import plotly.graph_objects as go

from ketamine_course.charts.theme import MARKER_SYMBOLS, OKABE_ITO, PALETTE, wrap_lines
from ketamine_course.evidence.nnt import whole_patients


def number_needed(drug_pct: float, placebo_pct: float) -> float:
    """Number needed to treat (benefit) or to harm: 100 / absolute difference in percentage points.

    Raises ValueError when the rates are equal (no difference: the number is infinite).
    """
    difference = drug_pct - placebo_pct
    if difference == 0:
        raise ValueError(f"drug and placebo rates are equal ({drug_pct}%): number needed is infinite")
    return 100.0 / abs(difference)


def benefit_risk_table(frame: pd.DataFrame) -> pd.DataFrame:
    """Per outcome: rates, extra patients per 100 treated, and NNT/NNH (exact and rounded up, the usual convention)."""
    rows = []
    for row in frame.itertuples():
        exact = number_needed(row.drug_pct, row.placebo_pct)
        rows.append({
            "Outcome": row.outcome,
            "Kind": row.kind,
            "Esketamine (%)": row.drug_pct,
            "Placebo (%)": row.placebo_pct,
            "Extra per 100 treated": round(row.drug_pct - row.placebo_pct, 1),
            "NNT or NNH (exact)": round(exact, 1),
            "NNT or NNH (rounded up)": whole_patients(exact),
        })
    return pd.DataFrame(rows)


def benefit_risk_figure(frame: pd.DataFrame) -> go.Figure:
    """Horizontal bars: extra patients per 100 treated with each benefit (green) and harm (vermillion), with buttons
    to show the same numbers as NNT / NNH. An illustration from one trial, not a full benefit-risk assessment."""
    table = benefit_risk_table(frame).sort_values(["Kind", "Extra per 100 treated"])
    fig = go.Figure()
    for kind, colour, symbol in (("benefit", OKABE_ITO["bluish_green"], ""), ("harm", OKABE_ITO["vermillion"], "x")):
        part = table[table["Kind"] == kind]
        label = "NNT" if kind == "benefit" else "NNH"
        fig.add_trace(go.Bar(
            y=part["Outcome"].tolist(), x=part["Extra per 100 treated"].tolist(), orientation="h",
            name="Benefit (more is better)" if kind == "benefit" else "Harm (more is worse)",
            marker={"color": colour, "pattern": {"shape": symbol}},
            text=[f"{v:g}" for v in part["Extra per 100 treated"]], textposition="outside",
            customdata=list(zip(part["Esketamine (%)"], part["Placebo (%)"], part["NNT or NNH (rounded up)"],
                                strict=True)),
            hovertemplate="<b>%{y}</b><br>Esketamine %{customdata[0]:g}% vs placebo %{customdata[1]:g}%"
                          f"<br>{label} = %{{customdata[2]}}<extra></extra>",
        ))
    per_100 = [t["Extra per 100 treated"].tolist() for _, t in table.groupby("Kind", sort=True)]
    needed = [t["NNT or NNH (rounded up)"].tolist() for _, t in table.groupby("Kind", sort=True)]
    fig.update_layout(
        title={"text": "Illustration: benefits and harms of esketamine vs placebo in one 4-week trial"},
        height=480, barmode="group",
        xaxis={"title": {"text": "Extra patients per 100 treated (esketamine minus placebo)"}},
        yaxis={"title": {"text": ""}},
        legend={"orientation": "h", "y": -0.2},
        margin={"l": 300, "t": 110},
        updatemenus=[{
            "type": "buttons", "direction": "right", "x": 0, "y": 1.14, "xanchor": "left", "showactive": True,
            "buttons": [
                {"label": "Extra patients per 100", "method": "update",
                 "args": [{"x": per_100, "text": [[f"{v:g}" for v in xs] for xs in per_100]},
                          {"xaxis.title.text": "Extra patients per 100 treated (esketamine minus placebo)"}]},
                {"label": "Number needed (NNT / NNH)", "method": "update",
                 "args": [{"x": needed, "text": [[str(v) for v in xs] for xs in needed]},
                          {"xaxis.title.text": "Patients treated for one extra benefit (NNT) or harm (NNH)"}]},
            ],
        }],
    )
    return fig


SCHEDULE_ORDER = {"I": 1, "II": 2, "III": 3, "IV": 4, "V": 5}


def schedule_examples_table(examples: pd.DataFrame) -> pd.DataFrame:
    """Text alternative of the schedules chart: each example substance, its schedule and the basis for it."""
    return examples[["substance", "schedule", "basis"]].rename(
        columns={"substance": "Substance", "schedule": "Schedule", "basis": "Basis"})


def schedules_figure(schedules: pd.DataFrame, examples: pd.DataFrame) -> go.Figure:
    """Bars of the statute's ordinal abuse-potential rank per schedule; hover shows the three findings, labels show
    example substances. Ketamine's schedule is highlighted."""
    schedules = schedules.sort_values("schedule", key=lambda column: column.map(SCHEDULE_ORDER))
    names = {s: "<br>".join(examples.loc[examples["schedule"] == s, "substance"].str.split(" \\(").str[0])
             for s in schedules["schedule"]}
    colours = [OKABE_ITO["vermillion"] if s == "III" else OKABE_ITO["sky_blue"] for s in schedules["schedule"]]
    top = int(schedules["abuse_potential_rank"].max())
    fig = go.Figure(go.Bar(
        x=[f"Schedule {s}" for s in schedules["schedule"]], y=schedules["abuse_potential_rank"].tolist(),
        marker={"color": colours, "line": {"width": 1, "color": "#333333"}},
        text=[names[s] for s in schedules["schedule"]], textposition="inside", insidetextanchor="start",
        customdata=list(zip(schedules["abuse_potential"], schedules["accepted_medical_use"], schedules["dependence"],
                            strict=True)),
        hovertemplate="<b>%{x}</b><br>(A) Abuse potential: %{customdata[0]}<br>(B) Medical use: %{customdata[1]}"
                      "<br>(C) %{customdata[2]}<extra></extra>",
        showlegend=False,
    ))
    fig.update_layout(
        title={"text": "US Controlled Substances Act: five schedules, ordered by abuse potential (21 U.S.C. 812(b))"},
        height=460,
        yaxis={"title": {"text": "Abuse potential (statutory order)"}, "tickvals": [1, top],
               "ticktext": ["lowest", "highest"], "range": [0, top + 0.4]},
        xaxis={"title": {"text": "Schedule (ketamine and esketamine: III, highlighted)"}},
    )
    return fig


KIND_LABELS = {
    "national_control": "National control",
    "international_control": "International (UN/WHO)",
    "essential_medicine": "WHO Essential Medicines",
    "approval": "Esketamine approval",
}



def control_status_table(status: pd.DataFrame) -> pd.DataFrame:
    """The control-status rows as the lesson shows them: both dates of every status (the source's and the check's)."""
    table = status[["jurisdiction", "status", "since_year", "source_date", "checked_on", "notes"]].copy()
    table["since_year"] = table["since_year"].map(lambda year: "" if pd.isna(year) else str(int(year)))
    return table.rename(columns={
        "jurisdiction": "Jurisdiction", "status": "Status", "since_year": "Since", "source_date": "Source dated",
        "checked_on": "Checked (as of)", "notes": "Notes"})


def control_status_figure(status: pd.DataFrame) -> go.Figure:
    """Strip chart: the year each status began, one row per jurisdiction, one marker per kind (hover: status, the
    source's date and the day it was checked). Rows whose start year was not verified are left out of the chart (they
    stay in the table)."""
    dated = status[status["since_year"].notna()].copy()
    order = list(dict.fromkeys(dated.sort_values("since_year")["jurisdiction"]))
    fig = go.Figure()
    for index, (kind, label) in enumerate(KIND_LABELS.items()):
        part = dated[dated["kind"] == kind]
        if part.empty:
            continue
        fig.add_trace(go.Scatter(
            x=part["since_year"].astype(int).tolist(), y=part["jurisdiction"].tolist(), mode="markers", name=label,
            marker={"size": 15, "symbol": MARKER_SYMBOLS[index], "color": PALETTE[index],
                    "line": {"width": 1, "color": "#333333"}},
            customdata=list(zip(part["status"].map(wrap_lines), part["source_date"], part["checked_on"], strict=True)),
            hovertemplate="<b>%{y}</b> (since %{x})<br>%{customdata[0]}<br><i>Source dated %{customdata[1]}; "
                          "checked %{customdata[2]}</i><extra></extra>",
        ))
    fig.update_layout(
        title={"text": "When ketamine was controlled, listed or (as esketamine) approved"},
        height=460,
        xaxis={"title": {"text": "Year the status began"}, "range": [1980, 2027], "dtick": 5},
        yaxis={"title": {"text": ""}, "categoryorder": "array", "categoryarray": order},
        legend={"orientation": "h", "y": -0.2},
        margin={"l": 250},
    )
    return fig
