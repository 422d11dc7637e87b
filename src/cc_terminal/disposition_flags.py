"""What a disposition's flags mean, declared once (as dialers' statuses): a success, a
contact, a refusal (it needs a reason), do not call (the number is never called again), a
callback (it needs a time), unworkable (the number is no good), final (the lead is done).
The model's columns (models/campaign.py) and the view the screens get
(services/outbound/campaigns.py) are both made from this class. It imports nothing of the
layers."""

from __future__ import annotations

from dataclasses import dataclass, fields


@dataclass(kw_only=True)  # not frozen: the model mixes it in for mypy (models/campaign.py)
class DispositionFlags:
    success: bool = False
    contact: bool = False
    refusal: bool = False
    dnc: bool = False
    callback: bool = False
    unworkable: bool = False
    final: bool = False


FLAGS = tuple(flag.name for flag in fields(DispositionFlags))
