"""CSV and JSON renderings of report figures, and reading CSV back.

CSV cells that a spreadsheet would run as a formula (=, +, -, @, tab, CR at
the start of a text cell) are written with a leading apostrophe; `read_csv`
strips it again, so a claim quoting "=HYPERLINK(...)" round-trips as text and
never executes in a newsroom's spreadsheet.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterable
from typing import Any

from .catalogue import DATE, DATETIME, FLOAT, INT, NUM, REPORTS, STR, Report

# The apostrophe itself too, so a text that starts with one reads back unchanged.
_ESCAPED_START = ("=", "+", "-", "@", "\t", "\r", "'")


def _cell(value: Any, kind: str) -> str:
    if value is None:
        return ""
    if kind == STR:
        text = str(value)
        return "'" + text if text.startswith(_ESCAPED_START) else text
    if kind in (FLOAT, NUM) and isinstance(value, float):
        return repr(value)
    return str(value)


def _value(cell: str, kind: str) -> Any:
    if kind == STR:
        return cell[1:] if cell.startswith("'") else cell
    if cell == "":
        return None
    if kind == INT:
        return int(cell)
    if kind == FLOAT:
        return float(cell)
    if kind == NUM:
        return float(cell) if any(c in cell for c in ".eE") else int(cell)
    if kind in (DATE, DATETIME):
        return cell
    raise ValueError(f"Unknown column type {kind!r}")


def write_rows(report: Report, rows: Iterable[dict[str, Any]], out: io.TextIOBase) -> None:
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(report.keys)
    for row in rows:
        writer.writerow([_cell(row.get(key), kind) for key, _, kind in report.columns])


def to_csv(report: Report, figure: dict[str, Any]) -> str:
    """One report as CSV: a header of column keys, then one line per row."""
    out = io.StringIO()
    write_rows(report, figure["rows"], out)
    return out.getvalue()


def read_csv(report: Report, text: str) -> list[dict[str, Any]]:
    """The rows `to_csv` wrote, with their types restored."""
    reader = csv.reader(io.StringIO(text))
    header = next(reader)
    if header != report.keys:
        raise ValueError(f"Not a “{report.slug}” CSV: columns are {header}")
    kinds = [kind for _, _, kind in report.columns]
    return [
        {key: _value(cell, kind) for key, cell, kind in zip(header, line, kinds, strict=True)}
        for line in reader
    ]


def to_csv_bundle(built: dict[str, Any]) -> str:
    """Several reports in one CSV: each introduced by a `# report: <slug>` line,
    followed by its header and rows, with a blank line between reports."""
    out = io.StringIO()
    for slug, figure in built["reports"].items():
        out.write(f"# report: {slug}\r\n")
        write_rows(REPORTS[slug], figure["rows"], out)
        out.write("\r\n")
    return out.getvalue()


def read_csv_bundle(text: str) -> dict[str, list[dict[str, Any]]]:
    """The reports `to_csv_bundle` wrote. A one-cell `# report:` line starts a section
    (every report has several columns, so no data row looks like one)."""
    sections: dict[str, list[list[str]]] = {}
    current: list[list[str]] | None = None
    for line in csv.reader(io.StringIO(text)):
        if len(line) == 1 and line[0].startswith("# report: "):
            current = sections.setdefault(line[0].removeprefix("# report: "), [])
        elif line and current is not None:
            current.append(line)
    out = {}
    for slug, lines in sections.items():
        body = io.StringIO()
        csv.writer(body, lineterminator="\r\n").writerows(lines)
        out[slug] = read_csv(REPORTS[slug], body.getvalue())
    return out


def single(built: dict[str, Any], slug: str) -> dict[str, Any]:
    """One report out of `build_all`'s output, with the context it was built in."""
    context = {k: v for k, v in built.items() if k != "reports"}
    return {"report": slug, "title": REPORTS[slug].title, **context, **built["reports"][slug]}


def to_json(data: dict[str, Any]) -> str:
    return json.dumps(data, ensure_ascii=False, indent=2)
