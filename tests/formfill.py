"""Filling in the blank fiche the way an agent does: typing into the value cells and lines."""

from __future__ import annotations

import io

from parsers.form import FormDefinition

#: field -> text typed; "category" holds the category value, whose box gets ticked.
Values = dict[str, str]


def _typed(form: FormDefinition, label: str, values: Values) -> str | None:
    field = form.match_label(label)
    if field is None or field not in values:
        return None
    if field == "category":
        return form.category_labels[values["category"]]
    return values[field]


def _tick(text: str, label: str, empty: str, ticked: str) -> str:
    return text.replace(f"{empty} {label}", f"{ticked} {label}")


def fill_txt(blank: bytes, form: FormDefinition, values: Values) -> bytes:
    lines = []
    for line in blank.decode("utf-8").split("\n"):
        label, sep, rest = line.partition(" : ")
        typed = _typed(form, label, values) if sep else None
        if typed is not None and form.match_label(label) == "category":
            line = _tick(line, typed, "[ ]", "[X]")
        elif typed is not None:
            line = f"{label} : {typed}"
        lines.append(line)
    return "\n".join(lines).encode("utf-8")


def fill_docx(blank: bytes, form: FormDefinition, values: Values) -> bytes:
    import docx

    document = docx.Document(io.BytesIO(blank))
    for row in document.tables[0].rows:
        label_cell, value_cell = row.cells
        typed = _typed(form, label_cell.text, values)
        if typed is None:
            continue
        if form.match_label(label_cell.text) == "category":
            value_cell.text = _tick(value_cell.text, typed, "☐", "☒")
        else:
            value_cell.text = typed
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def fill_xlsx(blank: bytes, form: FormDefinition, values: Values) -> bytes:
    import openpyxl

    workbook = openpyxl.load_workbook(io.BytesIO(blank))
    sheet = workbook.active
    assert sheet is not None
    for row in sheet.iter_rows(min_col=1, max_col=2):
        typed = _typed(form, str(row[0].value or ""), values)
        if typed is not None:
            row[1].value = typed  # the category: picked from the drop-down list
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def fill_odt(blank: bytes, form: FormDefinition, values: Values) -> bytes:
    from odf import table, teletype, text
    from odf.opendocument import load

    document = load(io.BytesIO(blank))
    for row in document.text.getElementsByType(table.TableRow):
        label_cell, value_cell = row.getElementsByType(table.TableCell)
        label = teletype.extractText(label_cell)
        typed = _typed(form, label, values)
        if typed is None:
            continue
        if form.match_label(label) == "category":
            typed = _tick(teletype.extractText(value_cell), typed, "☐", "☒")
        for child in list(value_cell.childNodes):
            value_cell.removeChild(child)
        value_cell.addElement(text.P(text=typed))
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


FILLERS = {"txt": fill_txt, "docx": fill_docx, "xlsx": fill_xlsx, "odt": fill_odt}
