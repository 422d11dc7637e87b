"""The sample files in data/ import cleanly: they are the README's examples."""

from pathlib import Path

from cc_terminal.models import ListKind

SAMPLES = Path(__file__).parents[2] / "data" / "samples"


def test_the_sample_catalogue_imports(ws, lead):
    assert ws.catalog.import_csv(lead, SAMPLES / "catalogue.csv") == 9
    router = next(item for item in ws.catalog.items() if item.code == "ROUTER-AX")
    assert router.price_minor == 249000


def test_the_sample_lists_import(ws, lead):
    assert (
        ws.reference.import_csv(lead, ListKind.REQUEST_CATEGORY, SAMPLES / "request_categories.csv")
        == 4
    )
    assert (
        ws.reference.import_csv(lead, ListKind.REFUSAL_REASON, SAMPLES / "refusal_reasons.csv") == 6
    )
    outage = ws.reference.lists().find(ListKind.REQUEST_CATEGORY, "outage")
    assert (outage.sla_minutes, outage.department) == (60, "technical")
