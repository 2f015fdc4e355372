"""Where blocks and charts fall on the grid, in cells, with Excel's default font (Calibri 11: 7 pixels
per width unit, 20-pixel rows). Used to place charts beside tables and to check that no chart covers a
block.

>>> from audit_engine.layout.model import Text
>>> block_bounds(Text(3, 1, "Titre")), overlaps((0, 0, 4, 4), (4, 4, 6, 6))
((3, 1, 3, 1), True)
"""

from __future__ import annotations

from .model import DEFAULT_ROW_POINTS, Block, Cells, Chart, SheetLayout, Table, column_px, row_px


def block_bounds(block: Block) -> tuple[int, int, int, int]:
    """(row0, col0, row1, col1) of the cells a block writes."""
    if isinstance(block, (Cells, Table)):
        return block.row, block.col, block.last_row, block.last_col
    return block.row, block.col, block.row, block.col


def chart_bounds(sheet: SheetLayout, chart: Chart) -> tuple[int, int, int, int]:
    """(row0, col0, row1, col1) of the cells a chart covers, from the sheet's widths and heights."""
    heights = dict(sheet.row_heights)

    def width(c: int) -> float:
        return sheet.column_widths[c] if c < len(sheet.column_widths) else 8.43

    col, px = chart.col, -chart.x_offset
    while True:
        px += column_px(width(col))
        if px >= chart.width:
            break
        col += 1
    row, py = chart.row, 0
    while True:
        py += row_px(heights.get(row, DEFAULT_ROW_POINTS))
        if py >= chart.height:
            break
        row += 1
    return chart.row, chart.col, row, col


def overlaps(a: tuple[int, int, int, int], b: tuple[int, int, int, int]) -> bool:
    return not (a[2] < b[0] or b[2] < a[0] or a[3] < b[1] or b[3] < a[1])
