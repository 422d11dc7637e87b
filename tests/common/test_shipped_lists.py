"""The closed lists a new database gets are data/reference.json, the one current source: the
migrations that first stored them keep frozen copies (never edited), and this test says
when those copies and the current list part (then a data migration brings existing floors
along and this test passes again)."""

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
