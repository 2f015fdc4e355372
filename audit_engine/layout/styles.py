"""The values behind the style vocabulary of :mod:`audit_engine.layout.model`, shared by both writers
(XlsxWriter for files, xlwings for live Excel) so the two always format alike: colours, number formats
of cells and chart axes, status fills.

>>> NUM_FORMATS["amount"], STATUS["red"]
('#,##0.00 "€"', ('#FFC7CE', '#9C0006'))
"""

NAVY, GREY = "#1F3864", "#595959"
NUM_FORMATS = {"amount": '#,##0.00 "€"', "date": "dd/mm/yyyy", "days": "#,##0.0", "share": "0.0%", "int": "#,##0",
               "rate": '0.00" %"'}
AXIS_FORMATS = {"amount": '#,##0 "€"', "share": "0%", "days": "0", "int": "#,##0", "rate": "0", "month": "mmm yy",
                "date": "dd/mm/yy"}
STATUS = {"green": ("#C6EFCE", "#006100"), "orange": ("#FFEB9C", "#9C5700"), "red": ("#FFC7CE", "#9C0006")}
