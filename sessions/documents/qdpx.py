"""A research export as a REFI-QDA project (``.qdpx``), which qualitative-analysis programs
(ATLAS.ti, MAXQDA, NVivo, QDA Miner, ...) import.

The zip holds ``project.qde`` (XML in the ``urn:QDA-XML:project:1.0`` namespace) and one
plain-text source per meeting under ``Sources/`` (UTF-8, LF; the folder in which the standard
resolves ``internal://`` paths, spelled as it is), and one more for the community's learning
journal, built from the same filtered rows. Every exported entry is a selection of its source's
text, coded with its phase and its kind; every participant code is a case with the variables
of ``research.VARIABLES`` (community, role, group, and what they did over the exported
meetings), referring to the selections of their words. GUIDs are name-based
UUIDs, and the zip's dates are fixed, so exporting the same meetings again gives the same file.
"""

from __future__ import annotations

import io
import json
import uuid
import zipfile
from collections.abc import Iterable
from dataclasses import dataclass
from xml.etree import ElementTree as ET

from kring.sessions.documents.research import (
    VARIABLES,
    ResearchExport,
    ResearchMeeting,
    ResearchRow,
    case_variables,
)
from kring.sessions.model.name_variants import fold

NAMESPACE = "urn:QDA-XML:project:1.0"
_ROOT_UUID = uuid.UUID("5b7c8d2e-6a1f-5e0b-9c3d-4f2a1b0e7d61")
_ZIP_TIME = (1980, 1, 1, 0, 0, 0)


def guid(community: str, *parts: str) -> str:
    """A stable GUID for one thing of one community's export."""
    space = uuid.uuid5(_ROOT_UUID, fold(community))
    return str(uuid.uuid5(space, "\x1f".join(parts)))


@dataclass(frozen=True, slots=True)
class Selection:
    guid: str
    row: ResearchRow
    start: int
    end: int


def source_text(meeting: ResearchMeeting) -> tuple[str, list[Selection]]:
    """A meeting's text and where in it each entry's text stands (character offsets)."""
    return _text_with_selections(
        f"{meeting.date.isoformat()} {meeting.protocol} {meeting.meeting_id}\n",
        ((f"\n[{row.phase}] {row.kind} {row.author}: ", row) for row in meeting.rows))


def journal_text(export: ResearchExport) -> tuple[str, list[Selection]]:
    """The community's learning journal, built from the export's already filtered rows, and
    where in it each line's text stands."""
    return _text_with_selections(
        f"Learning journal {export.community}\n",
        ((f"\n{row.date} [{row.phase}] {row.kind} {row.author}: ", row)
         for row in export.journal_rows))


def _text_with_selections(title: str, lines: Iterable[tuple[str, ResearchRow]],
                          ) -> tuple[str, list[Selection]]:
    """A source: ``title``, then each row's text after its heading, one per line; and the
    offsets that select exactly each row's text."""
    parts = [title]
    length = len(title)
    selections: list[Selection] = []
    for head, row in lines:
        start = length + len(head)
        parts += [head, row.text, "\n"]
        length = start + len(row.text) + 1
        selections.append(Selection("", row, start, start + len(row.text)))
    return "".join(parts), selections


# The participants' variables, each a Text variable: (key, name as the QDA program shows it).
# Kring has no separate school group, CoP or intervision concept, so the group a participant
# belongs to is the community itself.


def _el(parent: ET.Element, tag: str, **attributes: str) -> ET.Element:
    return ET.SubElement(parent, f"{{{NAMESPACE}}}{tag}", attributes)


def build_project(export: ResearchExport) -> tuple[bytes, dict[str, bytes]]:
    """project.qde's bytes, and each source file's path in the zip and its bytes."""
    community = export.community
    ET.register_namespace("", NAMESPACE)
    moment = max((m.date for m in export.meetings), default=None)
    project = ET.Element(f"{{{NAMESPACE}}}Project", {
        "name": f"Kring research export: {community}", "origin": "Kring",
        "creationDateTime": f"{moment.isoformat() if moment else '1970-01-01'}T00:00:00Z"})
    rows = export.rows
    phase_codes = {phase: guid(community, "code", "phase", phase)
                   for phase in sorted({row.phase for row in rows})}
    kind_codes = {kind: guid(community, "code", "kind", kind)
                  for kind in sorted({row.kind for row in rows})}
    book = _el(_el(project, "CodeBook"), "Codes")
    for title, codes, key in (("Phases", phase_codes, "phases"), ("Kinds", kind_codes, "kinds")):
        group = _el(book, "Code", guid=guid(community, "code", key), name=title,
                    isCodable="false")
        for name, code_guid in codes.items():
            _el(group, "Code", guid=code_guid, name=name, isCodable="true")
    variables = _el(project, "Variables")
    variable_guids = {key: guid(community, "variable", key) for key, _ in VARIABLES}
    for key, name in VARIABLES:
        _el(variables, "Variable", guid=variable_guids[key], name=name, typeOfVariable="Text")
    cases = _el(project, "Cases")
    sources = _el(project, "Sources")
    files: dict[str, bytes] = {}
    by_author: dict[str, list[str]] = {}
    texts = [(meeting.meeting_id, f"{meeting.date.isoformat()} {meeting.meeting_id}",
              *source_text(meeting)) for meeting in export.meetings]
    if export.journal_rows:
        texts.append(("journal", f"Learning journal {community}", *journal_text(export)))
    for key, name, text, selections in texts:
        source_guid = guid(community, "source", key)
        files[f"Sources/{source_guid}.txt"] = text.encode("utf-8")
        source = _el(sources, "TextSource", guid=source_guid, name=name,
                     plainTextPath=f"internal://{source_guid}.txt")
        for selection in selections:
            row = selection.row
            selection_guid = guid(community, "selection", key, row.entry_id)
            element = _el(source, "PlainTextSelection", guid=selection_guid,
                          name=f"{row.kind} {row.author}",
                          startPosition=str(selection.start), endPosition=str(selection.end))
            for what, code_guid in (("phase", phase_codes[row.phase]),
                                    ("kind", kind_codes[row.kind])):
                coding = _el(element, "Coding",
                             guid=guid(community, "coding", what, selection_guid))
                _el(coding, "CodeRef", targetGUID=code_guid)
            by_author.setdefault(row.author, []).append(selection_guid)
    values = case_variables(export)
    for code in sorted(by_author):
        case = _el(cases, "Case", guid=guid(community, "case", code), name=code)
        for key, _ in VARIABLES:  # the XSD's order: VariableValue*, then SelectionRef*
            value = _el(case, "VariableValue")
            _el(value, "VariableRef", targetGUID=variable_guids[key])
            ET.SubElement(value, f"{{{NAMESPACE}}}TextValue").text = values[code][key]
        for selection_guid in by_author[code]:
            _el(case, "SelectionRef", targetGUID=selection_guid)
    for element in (cases, sources):  # the XSD wants at least one Case and one Source
        if not len(element):
            project.remove(element)
    ET.indent(project)
    xml = ET.tostring(project, encoding="utf-8", xml_declaration=True)
    return xml, files


def qdpx_bytes(export: ResearchExport, manifest: dict[str, object]) -> bytes:
    """The .qdpx zip: project.qde, Sources/ and manifest.json, the same bytes every time."""
    xml, files = build_project(export)
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        entries = [("project.qde", xml), *sorted(files.items()),
                   ("manifest.json",
                    (json.dumps(manifest, ensure_ascii=False, indent=2) + "\n").encode("utf-8"))]
        for name, data in entries:
            info = zipfile.ZipInfo(name, date_time=_ZIP_TIME)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o600 << 16
            archive.writestr(info, data)
    return buffer.getvalue()
