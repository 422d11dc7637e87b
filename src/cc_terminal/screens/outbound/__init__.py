"""F3 and the campaign side of Setup: the outbound list, closing a lead, consents, campaign
forms, lead import and survey reports."""
