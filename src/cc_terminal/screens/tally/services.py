"""What F5 (the tally, pay plans, quality and claims) reaches of the workstation."""

from __future__ import annotations

from typing import TYPE_CHECKING, Protocol

if TYPE_CHECKING:
    from cc_terminal.services.tally.export import TallyExport
    from cc_terminal.services.tally.pay_plans import PayPlans
    from cc_terminal.services.tally.quality import QualityService
    from cc_terminal.services.tally.tally import TallyService


class TallyServices(Protocol):
    tally: TallyService
    tally_export: TallyExport
    pay_plans: PayPlans
    quality: QualityService
