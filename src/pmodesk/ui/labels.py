"""Collision-aware placement of bubble labels (pure: pixels in, positions out; no Qt)."""

from __future__ import annotations

from dataclasses import dataclass

# Candidate positions around a bubble of radius r, in order of preference: right, left, above,
# below, then the four corners.
_PLACES = ((1, 0), (-1, 0), (0, -1), (0, 1), (1, -1), (-1, -1), (1, 1), (-1, 1))


@dataclass(frozen=True)
class Placed:
    index: int
    x: float  # top-left corner of the label, pixels
    y: float
    shown: bool


def place_labels(bubbles: list[tuple[float, float, float]], sizes: list[tuple[float, float]],
                 width: float, height: float) -> list[Placed]:
    """Place each label (w, h) beside its bubble (x, y, radius) without overlapping another label or
    bubble, inside a width × height area. Bigger bubbles are placed first; a label with no free place
    is not shown (its code stays in the tooltip and the table)."""
    cell = 64.0  # a grid of cells, so each candidate is checked only against its neighbours
    grid: dict[tuple[int, int], list[tuple[float, float, float, float, int]]] = {}

    def cells(box):
        x0, y0, x1, y1 = box
        for i in range(int(x0 // cell), int(x1 // cell) + 1):
            for j in range(int(y0 // cell), int(y1 // cell) + 1):
                yield i, j

    def add(box, owner: int) -> None:
        for key in cells(box):
            grid.setdefault(key, []).append((*box, owner))

    for n, (x, y, r) in enumerate(bubbles):
        add((x - r, y - r, x + r, y + r), n)
    out: dict[int, Placed] = {}
    order = sorted(range(len(bubbles)), key=lambda n: -bubbles[n][2])

    def free(box, own: int) -> bool:
        x0, y0, x1, y1 = box
        if x0 < 0 or y0 < 0 or x1 > width or y1 > height:
            return False
        for key in cells(box):
            for a0, b0, a1, b1, owner in grid.get(key, ()):
                if owner != own and x0 < a1 and a0 < x1 and y0 < b1 and b0 < y1:
                    return False
        return True

    for n in order:
        x, y, r = bubbles[n]
        w, h = sizes[n]
        for dx, dy in _PLACES:
            left = x + r + 3 if dx > 0 else x - r - 3 - w if dx < 0 else x - w / 2
            top = y - r - 2 - h if dy < 0 else y + r + 2 if dy > 0 else y - h / 2
            box = (left, top, left + w, top + h)
            if free(box, n):
                add(box, -1)  # a label: it blocks every other label and bubble
                out[n] = Placed(n, left, top, True)
                break
        else:
            out[n] = Placed(n, x, y, False)
    return [out[n] for n in range(len(bubbles))]
