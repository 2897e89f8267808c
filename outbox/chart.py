"""The digest's chart: fiches per week and category, as PNG bytes (matplotlib, no display)."""

from __future__ import annotations

import io

#: Category -> (legend, colour), in stacking order.
SERIES = {
    "transfer_error": ("Erreur de transfert", "#1f77b4"),
    "wrong_information": ("Information erronée", "#ff7f0e"),
    "other": ("Autre", "#7f7f7f"),
}


def weekly_chart(weeks: list[str], counts: dict[str, list[int]], title: str) -> bytes:
    """Stacked bars: one per week, one colour per category; `counts[category][i]` is week i."""
    # Imported here: matplotlib is slow to load and only the digest needs it. The Agg canvas,
    # without pyplot: no display is ever looked for.
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure
    from matplotlib.ticker import MaxNLocator

    figure = Figure(figsize=(7, 3.2), dpi=100)
    FigureCanvasAgg(figure)
    axes = figure.subplots()
    bottom = [0] * len(weeks)
    for category, (label, colour) in SERIES.items():
        values = counts.get(category, [0] * len(weeks))
        axes.bar(weeks, values, bottom=bottom, label=label, color=colour)
        bottom = [b + v for b, v in zip(bottom, values, strict=True)]
    axes.set_title(title)
    axes.set_ylabel("fiches")
    axes.yaxis.set_major_locator(MaxNLocator(integer=True))
    axes.tick_params(axis="x", labelsize=8)
    axes.legend(loc="upper left", fontsize=8, frameon=False)
    axes.spines[["top", "right"]].set_visible(False)
    figure.tight_layout()
    out = io.BytesIO()
    figure.savefig(out, format="png", metadata={"Software": None})
    return out.getvalue()
