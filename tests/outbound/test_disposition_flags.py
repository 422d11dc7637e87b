"""The disposition's flags: one list, checked where it is written twice."""


def test_the_disposition_flags_are_one_list_in_the_model_the_view_and_the_shipped_file():
    """The flags are written in the model and in the plain view the screens get; FLAGS
    converts between them. A flag added in one place only fails here, not on a floor."""
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
