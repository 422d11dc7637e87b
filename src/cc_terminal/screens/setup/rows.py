"""What F10's tables show: each tab's columns and a row of each kind of entry."""

from __future__ import annotations

from rich.text import Text

from cc_terminal.formats import money
from cc_terminal.i18n import N_, _, pgettext
from cc_terminal.models import CampaignKind
from cc_terminal.models.reference import ListKind
from cc_terminal.screens.setup.forms import CATALOGUE, product_kind
from cc_terminal.screens.setup.hours import hours_summary
from cc_terminal.services.calls.catalog import ProductItem
from cc_terminal.services.common.reference import ReferenceLists
from cc_terminal.services.common.views import Choice
from cc_terminal.services.outbound.campaigns import KIND_LABELS, CampaignView

CAMPAIGNS = "campaigns"
TEAMS = "teams"
ORDER_FIELDS = "order-fields"
RETENTION = "retention"
ACCOUNTS = "accounts"
MAILBOXES = "mailboxes"


def setup_columns(target: ListKind | str) -> list[str]:
    if target == CAMPAIGNS:
        names = (N_("Kind"), N_("Product"), N_("Mon-Fri"), N_("Sat"), N_("Tries"), N_("In use"))
        return [_("Code"), pgettext("item", "Name"), *(_(name) for name in names)]
    if target == CATALOGUE:
        return [_("Code"), pgettext("item", "Name"), _("Kind"), _("Price"), _("From"), _("Until")]
    if target == TEAMS:
        team_columns = (
            N_("Towns"),
            N_("Postal codes"),
            N_("Base"),
            N_("Days"),
            N_("Slots"),
            N_("In use"),
        )
        return [_("Code"), pgettext("item", "Name"), *(_(name) for name in team_columns)]
    if target == RETENTION:
        return [_("Personal data"), _("Kept for"), _("Default"), _("Erased")]
    if target == ORDER_FIELDS:
        field_columns = (
            N_("Kind"),
            N_("Code"),
            N_("Label"),
            N_("Required"),
            N_("Choices"),
            N_("In use"),
        )
        return [_(name) for name in field_columns]
    columns = [_("Code"), _("Label")]
    if target is ListKind.CALL_OUTCOME:
        columns.append(_("Key"))
    if target is ListKind.REQUEST_CATEGORY:
        columns += [_("Target"), _("Department")]
    columns.append(_("In use"))
    if target is ListKind.DEPARTMENT:  # last: a long week is cut, not what is in use
        columns.append(_("Working hours"))
    return columns


def choice_row(kind: ListKind, choice: Choice, lists: ReferenceLists) -> list[Text | str]:
    style = "" if choice.active else "dim strike"
    # a shipped list's label is translated where it is drawn; one a lead typed stays as it is
    row: list[Text | str] = [Text(choice.code, style=style), Text(_(choice.label), style=style)]
    if kind is ListKind.CALL_OUTCOME:
        row.append(choice.key)
    if kind is ListKind.REQUEST_CATEGORY:
        hours, minutes = divmod(choice.sla_minutes or 0, 60)
        row.append(_("{hours} h {minutes:02d} min").format(hours=hours, minutes=minutes))
        row.append(lists.label(ListKind.DEPARTMENT, choice.department))
    row.append(_("yes") if choice.active else _("retired"))
    if kind is ListKind.DEPARTMENT:
        row.append(hours_summary(choice.working_hours))
    return row


def campaign_row(campaign: CampaignView) -> list[Text | str]:
    style = "" if campaign.active else "dim strike"
    return [
        Text(campaign.code, style=style),
        Text(campaign.name, style=style),
        _(KIND_LABELS[CampaignKind(campaign.kind)]),
        campaign.product_code or "—",
        campaign.weekday_window,
        campaign.saturday_window or "—",
        str(campaign.max_attempts),
        _("yes") if campaign.active else _("retired"),
    ]


def item_row(item: ProductItem, region: str) -> list[Text | str]:
    return [
        item.code,
        item.name,
        product_kind(item.kind),
        money(item.price_minor, item.currency, region),
        item.valid_from.strftime("%d.%m.%Y"),
        item.valid_to.strftime("%d.%m.%Y") if item.valid_to else "—",
    ]
