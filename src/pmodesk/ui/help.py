"""Help ▸ About and a short help page."""

from __future__ import annotations

from html import escape
from pathlib import Path

from PySide6.QtWidgets import QDialog, QDialogButtonBox, QTextBrowser, QVBoxLayout

FONT_LICENCES = "Bundled fonts are under their own licences (Noto: SIL OFL; see resources/fonts)."


def licence() -> str:
    """The licence the package metadata declares; said plainly when it declares none."""
    try:
        from importlib.metadata import metadata

        meta = metadata("pmodesk")
        declared = meta.get("License-Expression") or meta.get("License")
    except Exception:  # not installed as a distribution (a frozen bundle without metadata)
        declared = None
    return f"Licence: {declared}." if declared else "Licence: not stated in the package metadata."

HELP = """
<h2>pmodesk</h2>
<p>An offline desktop application for an <b>outcome-driven PMO</b>: is each initiative delivering the
business value it was funded for, and should we pivot, pause or stop it? One portfolio file; every
edit is saved as you make it (there is no Save), and Edit ▸ Undo takes it back.</p>
<h3>The monthly value cycle</h3>
<ol>
<li><b>Record actuals</b>: every benefit due a measurement at the as-of date, with its last and planned value.
Type the new values, or copy a column from a spreadsheet and paste it (Ctrl+V) into the first cell. Each cell
is checked as it arrives; <i>Record</i> stores the month as one edit. File ▸ Import measurements reads a CSV
(<code>benefit,date,value,source,note</code>) the same way.</li>
<li><b>Portfolio</b>: what moved — the measures against their targets, and each initiative's value RAG.</li>
<li><b>Decisions required</b>: every pivot rule the evidence now triggers, most severe first. <i>Record
decision</i> opens a prefilled form; a rule that already has a decision shows it instead.</li>
<li><b>Decision log</b>: every decision, filtered by state, escalation, outcome and quarter, with its
<i>follow-up</i>: realisation vs plan and forecast at the decision date against now.</li>
</ol>
<h3>Words</h3>
<p><b>Realisation vs plan</b>: realised value ÷ planned value to the as-of date. <b>Forecast</b>: a straight-line
trend of the latest measurements, projected to the target date, with an 80% band. <b>Value RAG</b>: green at 90% of
plan or better, amber from 70%, red below (portfolio settings).</p>
<h3>Keys</h3>
<p>Ctrl+Z undo · Ctrl+Shift+Z or Ctrl+Y redo · Ctrl+Tab / Ctrl+PgDn next tab · Ctrl+Shift+Tab / Ctrl+PgUp previous
tab · Alt+underlined letter for a tab or a button · Ctrl+P board pack.</p>
"""


def about_text(where: str | Path | None) -> str:
    """Version, licence and where the open portfolio is (a file path or a server location)."""
    from pmodesk import __version__

    where = escape(str(Path(where).resolve()) if isinstance(where, Path) else where) if where else "no portfolio open"
    return (f"<h3>pmodesk {escape(__version__)}</h3><p>An offline desktop application for an outcome-driven PMO.</p>"
            f"<p>{escape(licence())} {escape(FONT_LICENCES)}</p><p>This portfolio: {where}</p>")


class HelpDialog(QDialog):
    def __init__(self, parent=None):
        super().__init__(parent)
        self.setWindowTitle("pmodesk Help")
        self.resize(640, 560)
        layout = QVBoxLayout(self)
        self.text = QTextBrowser()
        self.text.setHtml(HELP)
        layout.addWidget(self.text)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)
