#!/usr/bin/env python3
"""Writes the workbook fixtures and their CSV twins (seeded, so the files are reproducible).

    pip install openpyxl odfpy xlwt
    python3 tests/data/workbooks/make.py

Each workbook holds a "Read me" sheet first and a "Clients" sheet with two title rows above the
header, as exports saved from a case-management system often do. The data carry what real
workbooks carry: Excel error cells (#N/A, #DIV/0!) in item and grouping columns, numbers stored
as text, whole numbers stored as floats, date cells, booleans, a blank row, and invalid
answers. clients.csv is the data region (header down) as text: what reading the sheet must
equal. Error cells become their Excel text (#N/A), which is what Excel's "Save as CSV" writes.
"""
import csv
import datetime
import os
import random

import openpyxl
import xlwt
from odf.opendocument import OpenDocumentSpreadsheet
from odf.table import Table, TableRow, TableCell
from odf.text import P

HERE = os.path.dirname(os.path.abspath(__file__))
rng = random.Random(2026)

LOCATIONS = ["Leeds", "Hull", "York", "Bradford"]
TRIGGERS = ["Bereavement", "Retirement", "New parent", "Mobility / health"]
HEADER = (["id", "trigger_group", "location", "referral_date", "consent"]
          + [f"{tp}_q{k}" for tp in ("pre", "post", "followup") for k in (1, 2, 3)])


def people(n):
    rows = []
    for i in range(n):
        pre = [rng.randint(1, 3) for _ in range(3)]
        post = [max(1, v - rng.choice([0, 0, 1, 1, 2])) for v in pre]
        follow = [min(3, v + rng.choice([0, 0, 0, 1])) for v in post] if i % 3 == 0 else [None] * 3
        if i % 9 == 4:
            post = [None] * 3
        row = {
            "id": f"C{i:04d}",
            "trigger_group": TRIGGERS[rng.randrange(4)],
            "location": LOCATIONS[rng.randrange(4)],
            "referral_date": datetime.date(2024, 1, 1) + datetime.timedelta(days=rng.randrange(365)),
            "consent": i % 7 != 0,
        }
        for tp, values in (("pre", pre), ("post", post), ("followup", follow)):
            for k, v in enumerate(values, 1):
                row[f"{tp}_q{k}"] = v
        # What workbooks hold besides clean numbers.
        if i % 41 == 5:
            row["post_q2"] = "#N/A"        # an error cell: missing
        if i % 53 == 7:
            row["location"] = "#DIV/0!"    # an error cell in a grouping column: (missing)
        if i % 47 == 3:
            row["pre_q1"] = str(row["pre_q1"])  # a number stored as text
        if i % 43 == 8:
            row["pre_q3"] = float(row["pre_q3"])  # a whole number stored as a float
        if i % 61 == 10:
            row["post_q1"] = 7                 # out of range: invalid
        if i % 67 == 11:
            row["pre_q2"] = "Often"            # an answer label: read as 3
        if i % 71 == 12:
            row["trigger_group"] = None        # blank group
        rows.append(row)
    return rows


def text(value):
    if value is None:
        return ""
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, datetime.date):
        return value.isoformat()
    return str(value)


ROWS = people(400)
BLANK_AFTER = 200  # a blank row in the sheet after this many people


def write_csv():
    with open(os.path.join(HERE, "clients.csv"), "w", newline="") as f:
        w = csv.writer(f, lineterminator="\n")
        w.writerow(HEADER)
        for row in ROWS:
            w.writerow([text(row[c]) for c in HEADER])


def sheet_rows():
    """The Clients sheet, row by row: title rows, header, people with one blank row."""
    yield ["Loneliness scheme: clients export"]
    yield ["Exported from the case system; one row per client"]
    yield HEADER
    for i, row in enumerate(ROWS):
        if i == BLANK_AFTER:
            yield []
        yield [row[c] for c in HEADER]


README = [["About this export"], ["The data are on the Clients sheet."]]


def write_xlsx():
    wb = openpyxl.Workbook()
    readme = wb.active
    readme.title = "Read me"
    for r in README:
        readme.append(r)
    ws = wb.create_sheet("Clients")
    for r in sheet_rows():
        ws.append(r)  # openpyxl stores "#N/A" and the other error codes as error cells
    for row in ws.iter_rows(min_row=4):
        cell = row[HEADER.index("referral_date")]
        if isinstance(cell.value, datetime.date):
            cell.number_format = "dd/mm/yyyy"
    wb.properties.created = datetime.datetime(2026, 1, 1)
    wb.properties.modified = datetime.datetime(2026, 1, 1)
    wb.save(os.path.join(HERE, "clients.xlsx"))


def write_xls():
    wb = xlwt.Workbook()
    readme = wb.add_sheet("Read me")
    for r, values in enumerate(README):
        for c, v in enumerate(values):
            readme.write(r, c, v)
    ws = wb.add_sheet("Clients")
    date_style = xlwt.easyxf(num_format_str="dd/mm/yyyy")
    errors = {"#N/A": 0x2A, "#DIV/0!": 0x07}
    for r, values in enumerate(sheet_rows()):
        for c, v in enumerate(values):
            if v is None:
                continue
            if isinstance(v, str) and v in errors:
                ws.write(r, c, xlwt.Formula("NA()" if v == "#N/A" else "1/0"))
            elif isinstance(v, datetime.date):
                ws.write(r, c, v, date_style)
            else:
                ws.write(r, c, v)
    wb.save(os.path.join(HERE, "clients.xls"))


def write_ods():
    doc = OpenDocumentSpreadsheet()
    for name, rows in (("Read me", README), ("Clients", list(sheet_rows()))):
        table = Table(name=name)
        for values in rows:
            tr = TableRow()
            for v in values:
                if v is None:
                    tr.addElement(TableCell())
                    continue
                if isinstance(v, bool):
                    cell = TableCell(valuetype="boolean", booleanvalue="true" if v else "false")
                    cell.addElement(P(text="TRUE" if v else "FALSE"))
                elif isinstance(v, (int, float)):
                    cell = TableCell(valuetype="float", value=v)
                    cell.addElement(P(text=text(v)))
                elif isinstance(v, datetime.date):
                    cell = TableCell(valuetype="date", datevalue=v.isoformat())
                    cell.addElement(P(text=v.strftime("%d/%m/%Y")))
                else:
                    cell = TableCell(valuetype="string")
                    cell.addElement(P(text=v))
                tr.addElement(cell)
            table.addElement(tr)
        doc.spreadsheet.addElement(table)
    doc.save(os.path.join(HERE, "clients.ods"))


if __name__ == "__main__":
    write_csv()
    write_xlsx()
    write_xls()
    write_ods()
