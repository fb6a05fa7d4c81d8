"""An initiative's benefits map: outputs → outcomes → benefits → strategic objectives (DESIGN.md
sections 2 and 4, the benefit dependency chain), drawn as four columns of boxes joined by lines."""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtCore import QRectF, Qt
from PySide6.QtGui import QBrush, QColor, QFont, QFontMetrics, QPainter, QPen
from PySide6.QtWidgets import QGraphicsScene, QGraphicsView

from pmodesk.domain.model import PortfolioData

COLUMNS = ("Outputs", "Outcomes", "Benefits", "Strategic objectives")
FILL = (QColor("#E7ECF7"), QColor("#E3F1E0"), QColor("#FFF1C7"), QColor("#EFE3F5"))
BOX_W, BOX_H, GAP_X, GAP_Y, TOP = 200, 38, 70, 12, 30


@dataclass(frozen=True)
class MapNode:
    column: int
    key: tuple[str, int]
    code: str
    title: str


def benefits_map(data: PortfolioData, initiative_id: int) -> tuple[list[MapNode], list[tuple[tuple, tuple]]]:
    """The nodes (by column) and links of one initiative's benefit dependency chain."""
    outputs = sorted((o for o in data.outputs if o.initiative_id == initiative_id), key=lambda o: o.code)
    outcomes = sorted((o for o in data.outcomes if o.initiative_id == initiative_id), key=lambda o: o.code)
    benefits = sorted((b for b in data.benefits if b.initiative_id == initiative_id), key=lambda b: b.code)
    linked = {link.objective_id for link in data.objective_links if link.initiative_id == initiative_id}
    objectives = sorted((o for o in data.objectives if o.id in linked), key=lambda o: o.code)
    nodes = ([MapNode(0, ("output", o.id), o.code, o.title) for o in outputs]
             + [MapNode(1, ("outcome", o.id), o.code, o.title) for o in outcomes]
             + [MapNode(2, ("benefit", b.id), b.code, ("dis-benefit: " if b.dis_benefit else "") + b.title)
                for b in benefits]
             + [MapNode(3, ("objective", o.id), o.code, o.title + ("" if o.active else " (retired)"))
                for o in objectives])
    links = []
    for outcome in outcomes:
        links += [(("output", o), ("outcome", outcome.id)) for o in outcome.output_ids]
    for b in benefits:
        if b.outcome_id is not None:
            links.append((("outcome", b.outcome_id), ("benefit", b.id)))
        links += [(("output", o), ("benefit", b.id)) for o in b.output_ids]
        links += [(("benefit", b.id), ("objective", o.id)) for o in objectives]
    known = {n.key for n in nodes}
    return nodes, [(a, b) for a, b in links if a in known and b in known]


class BenefitsMapView(QGraphicsView):
    def __init__(self, parent=None):
        super().__init__(parent)
        self.setScene(QGraphicsScene(self))
        self.setRenderHint(QPainter.RenderHint.Antialiasing)
        self.setAccessibleName("Benefits map")
        self.setBackgroundBrush(QBrush(QColor("white")))
        self.nodes: list[MapNode] = []
        self.links: list = []

    def show_map(self, data: PortfolioData | None, initiative_id: int | None) -> None:
        scene = self.scene()
        scene.clear()
        if data is None or initiative_id is None:
            self.nodes, self.links = [], []
            return
        self.nodes, self.links = benefits_map(data, initiative_id)
        font = QFont(self.font())
        bold = QFont(font)
        bold.setBold(True)
        metrics = QFontMetrics(font)
        heading_font = QFont(bold)
        heading_font.setPointSizeF(font.pointSizeF() * 1.05)
        positions: dict[tuple, QRectF] = {}
        rows = [0, 0, 0, 0]
        for column, title in enumerate(COLUMNS):
            heading = scene.addSimpleText(title, heading_font)
            heading.setPos(column * (BOX_W + GAP_X), 0)
        for node in self.nodes:
            x = node.column * (BOX_W + GAP_X)
            y = TOP + rows[node.column] * (BOX_H + GAP_Y)
            rows[node.column] += 1
            rect = QRectF(x, y, BOX_W, BOX_H)
            positions[node.key] = rect
            box = scene.addRect(rect, QPen(QColor("#9AA5B1")), QBrush(FILL[node.column]))
            box.setToolTip(f"{node.code} — {node.title}")
            code = scene.addSimpleText(node.code, bold)
            code.setPos(x + 6, y + 2)
            title = scene.addSimpleText(metrics.elidedText(node.title, Qt.TextElideMode.ElideRight, BOX_W - 12), font)
            title.setPos(x + 6, y + 2 + metrics.height())
            title.setToolTip(node.title)
        for column in range(4):
            if rows[column] == 0:
                empty = scene.addSimpleText("none recorded", font)
                empty.setBrush(QBrush(QColor("#5F6B7A")))
                empty.setPos(column * (BOX_W + GAP_X) + 6, TOP + 6)
        pen = QPen(QColor("#5F6B7A"))
        pen.setWidthF(1.2)
        for a, b in self.links:
            ra, rb = positions[a], positions[b]
            line = scene.addLine(ra.right(), ra.center().y(), rb.left(), rb.center().y(), pen)
            line.setZValue(-1)
        scene.setSceneRect(scene.itemsBoundingRect().adjusted(-10, -10, 10, 10))
