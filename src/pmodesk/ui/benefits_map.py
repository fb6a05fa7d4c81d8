"""An initiative's benefits map: outputs → outcomes → benefits → strategic objectives (DESIGN.md
sections 2 and 4, the benefit dependency chain), drawn as four columns of boxes joined by lines.
The chain itself is :func:`pmodesk.engine.benefits_map.benefits_map`, shared with the board pack."""

from __future__ import annotations

from PySide6.QtCore import QRectF, Qt
from PySide6.QtGui import QBrush, QColor, QFont, QFontMetrics, QPainter, QPen
from PySide6.QtWidgets import QGraphicsScene, QGraphicsView

from pmodesk.domain.model import PortfolioData
from pmodesk.engine.benefits_map import COLUMNS, MapNode, benefits_map

FILL = (QColor("#E7ECF7"), QColor("#E3F1E0"), QColor("#FFF1C7"), QColor("#EFE3F5"))
BOX_W, BOX_H, GAP_X, GAP_Y, TOP = 200, 38, 70, 12, 30


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
