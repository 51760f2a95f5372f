"""The analysts' charts as PNG images with a text alternative: pure functions, frame -> Chart.

Rendered with matplotlib's Agg canvas (no pyplot, no global state), so the same bytes show in
Voilà, in JupyterLab and in the Excel download, and nothing is loaded from the network. Every
chart carries a one-sentence Norwegian summary (the image's alt text) and the table it draws.
"""

from __future__ import annotations

import io
from collections.abc import Mapping
from dataclasses import dataclass

import pandas as pd
from matplotlib.axes import Axes
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure
from matplotlib.ticker import FuncFormatter, MaxNLocator

from helsetilbud.analytics.labels import NO_TOOL, service_name
from helsetilbud.catalog import TRIAGE_SERVICES

__all__ = [
    "Chart",
    "adoption_chart",
    "fylke_chart",
    "month_name",
    "number",
    "percent",
    "tool_version_chart",
    "trend_chart",
]

COLOURS = ("#188097", "#7A33D7", "#0CA161", "#C83521", "#08667C", "#E0A800", "#6b6b6b")
NO_TOOL_COLOUR = "#d8d8d8"
DPI = 100
MONTHS = ("jan.", "feb.", "mars", "april", "mai", "juni", "juli", "aug.", "sep.", "okt.",
          "nov.", "des.")  # fmt: skip


@dataclass(frozen=True)
class Chart:
    """One chart: PNG bytes, a heading, the alt text (one sentence with the key numbers) and
    the table it draws (Norwegian headers, values formatted for reading)."""

    title: str
    png: bytes
    alt: str
    table: pd.DataFrame
    width: int
    height: int


# --- Norwegian numbers ---------------------------------------------------------------------


def number(value: float, decimals: int = 1) -> str:
    """1234.5 -> "1 234,5"; 12.0 -> "12" (no ",0"); thousands with a no-break space."""
    text = f"{value:,.{decimals}f}".replace(",", "\u00a0").replace(".", ",")
    if decimals and text.endswith("," + "0" * decimals):
        text = text[: -(decimals + 1)]
    return "0" if text == "-0" else text


def percent(share: float) -> str:
    """0.339 -> "33,9 %" (always one decimal, as in the tables)."""
    return f"{share * 100:.1f} %".replace(".", ",")


def month_name(month: str) -> str:
    """ "2026-11" -> "nov. 2026"."""
    year, mm = month.split("-")
    return f"{MONTHS[int(mm) - 1]} {year}"


_PERCENT_AXIS = FuncFormatter(lambda v, _pos: f"{number(v, 1)} %")
_NUMBER_AXIS = FuncFormatter(lambda v, _pos: number(v, 1))


def _count_axis(axes: Axes, label: str, title: str, peak: float) -> None:
    """A y axis of whole counts from 0 to a little above `peak` (at least 1), Norwegian numbers."""
    axes.set_ylabel(label)
    axes.set_title(title)
    axes.set_ylim(0, max(1.0, peak) * 1.1)
    axes.yaxis.set_major_locator(MaxNLocator(integer=True))
    axes.yaxis.set_major_formatter(_NUMBER_AXIS)


def _png(figure: Figure) -> tuple[bytes, int, int]:
    canvas = FigureCanvasAgg(figure)
    buffer = io.BytesIO()
    figure.savefig(buffer, format="png", dpi=DPI, metadata={"Software": None})
    width, height = canvas.get_width_height()
    return buffer.getvalue(), int(width), int(height)


# --- the charts -----------------------------------------------------------------------------


def adoption_chart(adoption: pd.DataFrame, tools: Mapping[str, str]) -> Chart:
    """Stacked bars: per service the share of offices using each tool (None: no tool).

    `adoption` has service, tool (None for none), offices, share, as `AdoptionView.adoption_frame`.
    """
    title = "Verktøy per tjeneste"
    services = list(dict.fromkeys(adoption["service"]))
    labels = [service_name(s) for s in services]
    tool_order = [t for t in dict.fromkeys(adoption["tool"]) if t is not None] + [None]
    figure = Figure(figsize=(9, 4.2), layout="constrained")
    ax = figure.add_subplot()
    left = pd.Series(0.0, index=services)
    for i, tool in enumerate(tool_order):
        part = adoption[adoption["tool"].map(lambda t, tool=tool: t == tool)]
        shares = part.set_index("service")["share"].reindex(services, fill_value=0.0) * 100
        colour = NO_TOOL_COLOUR if tool is None else COLOURS[i % len(COLOURS)]
        ax.barh(
            labels, shares.to_numpy(), left=left.to_numpy(), color=colour, label=_tool(tool, tools)
        )
        left += shares
    ax.invert_yaxis()
    ax.set_xlabel("Andel legekontorer")
    ax.set_xlim(0, 100)
    ax.xaxis.set_major_formatter(_PERCENT_AXIS)
    ax.set_title(title)
    figure.legend(loc="outside lower center", ncol=3, fontsize=8)
    png, width, height = _png(figure)

    with_tool = (
        adoption[adoption["tool"].notna()].groupby("service", sort=False)["share"].sum()
    ).reindex(services, fill_value=0.0)
    offices = int(adoption[adoption["service"] == services[0]]["offices"].sum()) if services else 0
    if services:
        high, low = with_tool.idxmax(), with_tool.idxmin()
        alt = (
            f"Stablede stolper viser for {len(services)} tjenester hvor stor andel av "
            f"{number(offices, 0)} legekontorer som bruker hvert triageringsverktøy; høyest andel "
            f"med et verktøy har {service_name(high)} ({percent(with_tool[high])}), lavest har "
            f"{service_name(low)} ({percent(with_tool[low])})."
        )
    else:
        alt = "Stablede stolper over verktøy per tjeneste; ingen legekontorer er valgt."
    table = pd.DataFrame(
        {
            "Tjeneste": [service_name(s) for s in adoption["service"]],
            "Verktøy": [_tool(t, tools) for t in adoption["tool"]],
            "Legekontorer": [number(v, 0) for v in adoption["offices"]],
            "Andel": [percent(v) for v in adoption["share"]],
        }
    )
    return Chart(title, png, alt, table, width, height)


def fylke_chart(fylker: pd.DataFrame, what: str) -> Chart:
    """Bars: per fylke the share of offices with `what` (fylke, offices, matching, share)."""
    title = f"Legekontorer med {what}, per fylke"
    figure = Figure(figsize=(9, 4), layout="constrained")
    ax = figure.add_subplot()
    ax.bar(list(fylker["fylke"]), (fylker["share"] * 100).to_numpy(), color=COLOURS[0])
    ax.set_ylabel("Andel legekontorer")
    ax.set_ylim(0, 100)
    ax.yaxis.set_major_formatter(_PERCENT_AXIS)
    ax.set_title(title)
    ax.tick_params(axis="x", labelrotation=60)
    png, width, height = _png(figure)
    if len(fylker):
        ordered = fylker.sort_values("share", kind="stable")
        high, low = ordered.iloc[-1], ordered.iloc[0]
        alt = (
            f"Stolper viser andelen legekontorer med {what} i {len(fylker)} fylker; høyest i "
            f"{high['fylke']} ({percent(high['share'])}, {int(high['matching'])} av "
            f"{int(high['offices'])}), lavest i {low['fylke']} ({percent(low['share'])}, "
            f"{int(low['matching'])} av {int(low['offices'])})."
        )
    else:
        alt = f"Stolper over legekontorer med {what} per fylke; ingen fylker har legekontorer."
    table = pd.DataFrame(
        {
            "Fylke": list(fylker["fylke"]),
            "Legekontorer": [number(v, 0) for v in fylker["offices"]],
            f"Med {what}": [number(v, 0) for v in fylker["matching"]],
            "Andel": [percent(v) for v in fylker["share"]],
        }
    )
    return Chart(title, png, alt, table, width, height)


def trend_chart(trend: pd.DataFrame) -> Chart:
    """Two panels over the months of `analytics.trends`: offices with a tool at month end per
    service (lines, services that never had one left out), and text changes per month (bars)."""
    title = "Utvikling per måned"
    with_tool = (
        trend[trend["measure"] == "with_tool"]
        .pivot(index="month", columns="key", values="value")
        .reindex(columns=list(TRIAGE_SERVICES), fill_value=0)
        .fillna(0)
    )
    texts = trend[trend["measure"] == "text_changes"].groupby("month")["value"].sum()
    months = sorted(set(with_tool.index) | set(texts.index))
    with_tool = with_tool.reindex(months, fill_value=0)
    texts = texts.reindex(months, fill_value=0)
    drawn = [s for s in TRIAGE_SERVICES if with_tool[s].any()]
    ticks = [month_name(m) for m in months]

    figure = Figure(figsize=(9, 6), layout="constrained")
    top, bottom = figure.subplots(2, 1, sharex=True)
    for i, service in enumerate(TRIAGE_SERVICES):
        if service in drawn:
            top.plot(
                ticks, with_tool[service].to_numpy(), label=service_name(service),
                color=COLOURS[i % len(COLOURS)], linestyle="-" if i < 7 else "--",
            )  # fmt: skip
    peak = float(with_tool[drawn].to_numpy().max()) if drawn else 0.0
    _count_axis(top, "Legekontorer med verktøy", "Verktøy ved utgangen av hver måned", peak)
    if drawn:
        top.legend(fontsize=8, ncol=2)
    bottom.bar(ticks, texts.to_numpy(), color=COLOURS[1])
    changed = float(texts.max()) if months else 0.0
    _count_axis(bottom, "Tekstendringer", "Endrede infomeldinger per måned", changed)
    bottom.tick_params(axis="x", labelrotation=60)
    png, width, height = _png(figure)

    if months:
        first, last = month_name(months[0]), month_name(months[-1])
        at_end = (
            ", ".join(f"{service_name(s)} {number(with_tool[s].iloc[-1], 0)}" for s in drawn)
            or "ingen tjenester har verktøy"
        )
        busiest = texts.idxmax()
        changes = (
            f"{number(texts.sum(), 0)} tekstendringer i alt, flest i {month_name(busiest)} "
            f"({number(texts[busiest], 0)})"
            if texts.sum()
            else "ingen tekstendringer"
        )
        alt = (
            f"To diagrammer fra {first} til {last}: legekontorer med verktøy ved utgangen av "
            f"måneden, per tjeneste ({last}: {at_end}), og {changes}."
        )
    else:
        alt = "To tomme diagrammer: ingen måneder å vise."
    table = pd.DataFrame({"Måned": ticks})
    for service in drawn:
        table[service_name(service)] = [number(v, 0) for v in with_tool[service]]
    table["Tekstendringer"] = [number(v, 0) for v in texts]
    return Chart(title, png, alt, table, width, height)


def tool_version_chart(frame: pd.DataFrame, tools: Mapping[str, str], what: str) -> Chart:
    """Two panels over the months of `analytics.tool_versions.tool_version_adoption`: offices
    using each tool at month end, one line per version (a new line where a version starts),
    and per month the changes to a tool and the offices that went back (bars)."""
    title = f"Verktøyversjoner over tid ({what})"
    months = sorted(set(frame["month"]))
    ticks = [month_name(m) for m in months]
    series = list(dict.fromkeys(zip(frame["tool"], frame["version"], strict=True)))
    order = list(dict.fromkeys(frame["tool"]))
    moved = frame.groupby("month")["moved_in"].sum().reindex(months, fill_value=0)
    back = frame.groupby("month")["went_back"].sum().reindex(months, fill_value=0)

    figure = Figure(figsize=(9, 6), layout="constrained")
    top, bottom = figure.subplots(2, 1, sharex=True)
    styles = ("-", "--", ":", "-.")
    for tool, version in series:
        part = frame[(frame["tool"] == tool) & (frame["version"] == version)]
        values = part.set_index("month")["offices"].reindex(months).astype("float64")
        own = [v for t, v in series if t == tool]
        if own.index(version):  # joined to the previous version's last month
            start = months.index(str(part["month"].iloc[0]))
            earlier = frame[(frame["tool"] == tool) & (frame["month"] == months[start - 1])]
            if start and len(earlier):
                values.iloc[start - 1] = float(earlier["offices"].iloc[0])
        top.plot(
            ticks, values.to_numpy(), marker="o", markersize=3,
            color=COLOURS[order.index(tool) % len(COLOURS)],
            linestyle=styles[own.index(version) % len(styles)],
            label=f"{tools.get(tool, tool)}, versjon {version}",
        )  # fmt: skip
    peak = float(frame["offices"].max()) if len(frame) else 0.0
    heading = "Legekontorer som bruker verktøyet ved utgangen av måneden"
    _count_axis(top, "Legekontorer", heading, peak)
    if series:
        top.legend(fontsize=8, ncol=2)
    x = range(len(months))
    bottom.bar([i - 0.2 for i in x], moved.to_numpy(), width=0.4, color=COLOURS[0],
               label="Byttet til et verktøy")  # fmt: skip
    bottom.bar([i + 0.2 for i in x], back.to_numpy(), width=0.4, color=COLOURS[3],
               label="Tilbake til verktøyet de hadde før")  # fmt: skip
    bottom.set_xticks(list(x), ticks)
    _count_axis(bottom, "Legekontorer", "Bytter per måned", float(moved.max()) if months else 0.0)
    bottom.tick_params(axis="x", labelrotation=60)
    bottom.legend(fontsize=8)
    png, width, height = _png(figure)

    if months:
        last = frame[frame["month"] == months[-1]]
        at_end = ", ".join(
            f"{tools.get(t, t)} versjon {v}: {number(n, 0)}"
            for t, v, n in zip(last["tool"], last["version"], last["offices"], strict=True)
        )
        alt = (
            f"To diagrammer fra {month_name(months[0])} til {month_name(months[-1])} for "
            f"{what}: legekontorer som bruker hvert verktøy, per versjon "
            f"({month_name(months[-1])}: {at_end or 'ingen verktøy i bruk'}), og bytter per "
            f"måned: {number(moved.sum(), 0)} bytter til et verktøy, {number(back.sum(), 0)} "
            "tilbake til verktøyet legekontoret hadde før."
        )
    else:
        alt = f"To tomme diagrammer over verktøyversjoner for {what}: ingen måneder å vise."
    shown = frame[(frame["offices"] > 0) | (frame["moved_in"] > 0) | (frame["moved_out"] > 0)]
    table = pd.DataFrame(
        {
            "Måned": [month_name(m) for m in shown["month"]],
            "Verktøy": [tools.get(t, t) for t in shown["tool"]],
            "Versjon": list(shown["version"]),
            "Legekontorer": [number(v, 0) for v in shown["offices"]],
            "Byttet til": [number(v, 0) for v in shown["moved_in"]],
            "Byttet fra": [number(v, 0) for v in shown["moved_out"]],
            "Tilbake til forrige verktøy": [number(v, 0) for v in shown["went_back"]],
        }
    )
    return Chart(title, png, alt, table, width, height)


def _tool(tool: str | None, tools: Mapping[str, str]) -> str:
    return NO_TOOL if tool is None else tools.get(tool, tool)
