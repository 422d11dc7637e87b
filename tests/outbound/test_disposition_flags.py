"""The disposition's flags, declared once (disposition_flags.py): the model's columns,
the view the screens get and the shipped file agree."""


def test_the_disposition_flags_are_one_list_in_the_model_the_view_and_the_shipped_file():
    """The model's boolean columns and the view's flags are made from DispositionFlags;
    the shipped dispositions name no other flag."""
    import dataclasses
    import json
    from importlib import resources

    from cc_terminal.models import Disposition
    from cc_terminal.services.outbound.campaigns import FLAGS, DispositionView

    columns = {c.name for c in Disposition.__table__.columns if str(c.type) == "BOOLEAN"}
    view = {f.name for f in dataclasses.fields(DispositionView) if f.type in (bool, "bool")}
    shipped = json.loads(
        resources.files("cc_terminal.data").joinpath("dispositions.json").read_text()
    )
    named = {key for item in shipped for key, value in item.items() if value is True}
    assert set(FLAGS) == columns - {"active"} == view - {"active"} and named <= set(FLAGS)
