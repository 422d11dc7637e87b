"""The closed lists a new database gets are data/reference.json, the one current source: the
migrations that first stored them keep frozen copies (never edited), and this test says
when those copies and the current list part (then a data migration brings existing floors
along and this test passes again)."""

import io
import json

from sqlalchemy import text

from cc_terminal.models import ListKind
from cc_terminal.services.common.reference import default_lists, shipped_id
from cc_terminal.services.common.views import Choice


def test_a_new_database_holds_exactly_the_shipped_lists(ws) -> None:
    query = text(
        "SELECT id, kind, code, label, key, sla_minutes, department, position, active "
        "FROM reference_item ORDER BY kind, position"
    )
    with ws.db.connect() as connection:
        stored = connection.execute(query).all()
    shipped = default_lists()
    for kind in ListKind:
        rows = [row for row in stored if row.kind == kind.value]
        assert [
            Choice(row.code, row.label, row.key or "", row.sla_minutes, row.department or "")
            for row in rows
        ] == list(shipped[kind]), kind
        assert [row.position for row in rows] == list(range(len(rows)))
        assert all(row.active for row in rows)
        assert [str(row.id).replace("-", "") for row in rows] == [
            shipped_id(kind.value, row.code).hex for row in rows
        ]


def test_every_shipped_label_reaches_the_translation_template():
    """The labels a floor starts with are in the .pot (babel.cfg's shipped_labels
    extractor), so the Czech catalogue can translate them where they are drawn."""
    from importlib import resources

    from cc_terminal.i18n_extract import extract_labels, labels_of

    data = resources.files("cc_terminal.data")
    template = resources.files("cc_terminal").joinpath("locale/cc_terminal.pot").read_text("utf-8")
    for name in ("reference.json", "dispositions.json"):
        raw = data.joinpath(name).read_bytes()
        labels = list(labels_of(json.loads(raw)))
        extracted = [
            message for _line, _f, message, _c in extract_labels(io.BytesIO(raw), (), (), {})
        ]
        assert labels and extracted == labels
        missing = [
            label
            for label in labels
            if f"msgid {json.dumps(label, ensure_ascii=False)}" not in template
        ]
        assert missing == [], f"run make i18n: {missing}"
