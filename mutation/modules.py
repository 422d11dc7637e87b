"""The rules modules mutation testing covers, each with the fast service tests that must
kill its mutants (mutation/run.py runs them)."""

from __future__ import annotations

# Each rules module and the fast SQLite service tests that exercise it: the one table.
MODULES: dict[str, tuple[str, ...]] = {
    "services/tally/pay.py": (
        "tests/tally/test_pay.py",
        "tests/tally/test_tally.py",
        "tests/tally/test_chat_pay.py",  # the per-chat rate
    ),
    "services/outbound/calling_rules.py": (
        "tests/outbound/test_calling_rules.py",
        "tests/outbound/test_calling_window.py",
        "tests/outbound/test_outbound.py",
    ),
    "sync/roles.py": (
        "tests/sync/test_role_rules.py",
        "tests/sync/test_op_refusals.py",
        "tests/store/test_append_only_and_modes.py",
        "tests/calls/test_escalations.py",  # an escalation's steps on a floor
    ),
    "services/privacy/masks.py": ("tests/privacy/test_privacy.py",),
    "services/outbound/consents.py": (
        "tests/outbound/test_consents.py",
        "tests/outbound/test_outbound.py",
    ),
    "services/orders/dispatch.py": ("tests/orders/test_dispatch.py", "tests/orders/test_orders.py"),
    "services/rostering/days_off.py": (
        "tests/rostering/test_days_off.py",
        "tests/rostering/test_day_off_moves.py",
        "tests/rostering/test_day_off_requests.py",
    ),
    "services/rostering/day_off_moves.py": (
        "tests/rostering/test_days_off.py",
        "tests/rostering/test_day_off_moves.py",
    ),
    "services/rostering/planning_rules.py": ("tests/rostering/test_days_off.py",),
    "services/rostering/roster.py": (
        "tests/rostering/test_roster_pins.py",
        "tests/rostering/test_days_off.py",
        "tests/rostering/test_roster_rules.py",
        "tests/rostering/test_roster_words.py",
    ),
    "services/rostering/roster_input.py": (
        "tests/rostering/test_roster_pins.py",
        "tests/rostering/test_days_off.py",
    ),
    "services/privacy/erasure.py": ("tests/privacy/test_erasure.py",),
    "services/privacy/auth.py": (
        "tests/privacy/test_auth.py",
        "tests/privacy/test_role_boundaries.py",
        "tests/privacy/test_sign_in_rules.py",
        "tests/privacy/test_password_secret.py",
        "tests/privacy/test_sign_in_race.py",
    ),
    "services/privacy/account_keys.py": ("tests/privacy/test_account_keys.py",),
    "services/privacy/password_check.py": (
        "tests/privacy/test_password_secret.py",
        "tests/privacy/test_sign_in_rules.py",
        "tests/privacy/test_auth.py",
    ),
    "store/password_secret.py": (
        "tests/privacy/test_password_secret.py",
        "tests/privacy/test_account_keys.py",
    ),
    "services/privacy/accounts.py": (
        "tests/privacy/test_account_keys.py",
        "tests/privacy/test_password_secret.py",
        "tests/privacy/test_account_admin.py",
        "tests/privacy/test_auth.py",
        "tests/sync/test_signed_floor.py",
    ),
    "services/privacy/audit_verify.py": ("tests/privacy/test_audit_chain.py",),
    "services/privacy/retention.py": ("tests/privacy/test_retention.py",),
    "services/privacy/service_identity.py": (
        "tests/privacy/test_service_accounts.py",
        "tests/sync/test_service_identity.py",
    ),
    "services/common/audit.py": (
        "tests/privacy/test_audit.py",
        "tests/privacy/test_audit_chain.py",
        "tests/privacy/test_audit_writing.py",
    ),
    "services/privacy/new_accounts.py": (
        "tests/privacy/test_auth.py",
        "tests/privacy/test_role_boundaries.py",
    ),
    "services/calls/customers.py": (
        "tests/calls/test_customer_rules.py",
        "tests/calls/test_customers.py",
        "tests/calls/test_search.py",
        "tests/store/test_outbox.py",
        "tests/calls/test_ledger.py",
        "tests/calls/test_warm_lookup.py",
    ),
    "services/orders/card_address.py": ("tests/orders/test_card_address.py",),
    "services/calls/cards.py": (
        "tests/calls/test_customers.py",
        "tests/calls/test_customer_rules.py",
        "tests/calls/test_ledger.py",
        "tests/calls/test_calls.py",
        "tests/calls/test_warm_lookup.py",
    ),
    "services/calls/escalation_steps.py": (
        "tests/calls/test_escalations.py",
        "tests/calls/test_escalation_flow.py",
    ),
    "services/calls/offers.py": ("tests/calls/test_offers.py", "tests/calls/test_ledger.py"),
    "services/common/working_hours.py": (
        "tests/common/test_working_hours.py",
        "tests/calls/test_request_due.py",
        "tests/sync/test_working_hours_floor.py",
    ),
    "store/driver_reads.py": ("tests/store/test_driver_reads.py", "tests/calls/test_ledger.py"),
    "services/calls/ledger.py": (
        "tests/calls/test_ledger.py",
        "tests/calls/test_calls.py",
        "tests/calls/test_customers.py",
    ),
    "services/calls/catalog.py": (
        "tests/calls/test_catalog.py",
        "tests/calls/test_offers.py",
        "tests/store/test_busy_store.py",
        "tests/outbound/test_reoffers_and_exports.py",
    ),
    "services/calls/escalations.py": (
        "tests/calls/test_escalations.py",
        "tests/calls/test_escalation_rules.py",
        "tests/calls/test_ledger.py",
    ),
    # the chat's rules (issue 26): who gets a chat, what a line may be, what a visitor sees
    "services/channels/assignment.py": (
        "tests/channels/test_assignment.py",
        "tests/channels/test_conversations.py",
        "tests/channels/test_visitors.py",
    ),
    "services/channels/lines.py": (
        "tests/channels/test_visitors.py",
        "tests/channels/test_conversations.py",
        "tests/channels/test_chat_lines.py",
    ),
    "services/channels/conversations.py": (
        "tests/channels/test_conversations.py",
        "tests/channels/test_conversation_rules.py",
        "tests/channels/test_assignment.py",
        "tests/channels/test_chat_lines.py",
        "tests/channels/test_chat_privacy.py",
        "tests/channels/test_reading.py",
        "tests/channels/test_chat_offers.py",
        "tests/channels/test_offer_rules.py",
        "tests/channels/mail/test_offers.py",  # a letter's consent and standing
    ),
    "services/channels/visitor_posts.py": (
        "tests/channels/test_visitor_posts.py",
        "tests/channels/test_visitors.py",
        "tests/channels/test_chat_lines.py",
    ),
    "services/channels/visitors.py": (
        "tests/channels/test_visitors.py",
        "tests/channels/test_visitor_posts.py",  # post_many's delivered marks
        "tests/channels/test_visitor_rules.py",
        "tests/channels/test_conversations.py",
        "tests/channels/test_assignment.py",
        "tests/channels/test_chat_lines.py",
        "tests/channels/test_chat_privacy.py",
        "tests/channels/test_prechat.py",
        "tests/channels/mail/test_transcripts.py",  # request_transcript
    ),
    # which lines a visitor's socket is sent (moved out of visitors.py for the hub's looks)
    "services/channels/visitor_reads.py": (
        "tests/channels/test_visitors.py",
        "tests/channels/test_chat_lines.py",
        "tests/channels/test_chat_privacy.py",
    ),
    # a chat's transcript by e-mail: to whom, how often, in which words (the visitor's)
    "services/channels/transcripts.py": (
        "tests/channels/mail/test_transcripts.py",
        "tests/channels/mail/test_threads.py",
    ),
    "services/channels/prechat.py": (
        "tests/channels/test_prechat.py",
        "tests/channels/test_visitors.py",
    ),
    # who may be sent an offer by e-mail or chat (Act 480/2004, s. 7), and a refusal's record
    "services/channels/mail_offers.py": (
        "tests/channels/test_offer_rules.py",
        "tests/channels/mail/test_offers.py",
        "tests/channels/test_chat_offers.py",
    ),
    "services/channels/reading.py": (
        "tests/channels/test_reading.py",
        "tests/channels/test_conversations.py",
        "tests/channels/test_chat_privacy.py",
        "tests/channels/test_visitors.py",
    ),
    # owed (issue: the phone and its neighbours): drafts, numbers, views, the register
    "services/calls/drafts.py": ("tests/calls/test_drafts.py",),
    "services/common/phones.py": ("tests/calls/test_phones.py", "tests/common/test_phones_fast.py"),
    "services/common/views.py": (
        "tests/common/test_views.py",
        "tests/calls/test_ledger.py",
        "tests/calls/test_calls.py",
        "tests/calls/test_customers.py",
        "tests/calls/test_customer_rules.py",
    ),
    "services/orders/address_register.py": (
        "tests/orders/test_addresses.py",
        "tests/orders/test_register_rows.py",
        "tests/orders/test_register_bulk.py",
        "tests/orders/test_register_staged.py",  # the staged path (bulk6)
        "tests/orders/test_register_apart.py",
        "tests/hostile/test_hostile_files.py",
    ),
    # the register's files read (split from address_register.py, issue 29)
    "services/orders/register_reading.py": (
        "tests/orders/test_addresses.py",
        "tests/orders/test_register_rows.py",
        "tests/orders/test_register_bulk.py",
        "tests/orders/test_register_staged.py",
        "tests/orders/test_register_apart.py",
        "tests/hostile/test_hostile_files.py",
        "tests/hostile/test_control_input.py",
    ),
    # a large import's files read in a process of its own (issue 29)
    "services/orders/register_apart.py": ("tests/orders/test_register_apart.py",),
    "services/orders/register_rows.py": (
        "tests/orders/test_register_rows.py",
        "tests/orders/test_register_bulk.py",
    ),
    # the register's large import staged beside it and swapped in (issue 29)
    "services/orders/register_staging.py": ("tests/orders/test_register_staged.py",),
    "store/table_swap.py": ("tests/store/test_table_swap.py",),  # on a table of its own
    "store/bulk_gc.py": ("tests/store/test_bulk_gc.py",),  # the collector during a load
    # a lead import's batches in order, the next prepared ahead on PostgreSQL
    "services/outbound/lead_ahead.py": ("tests/outbound/test_prepared_ahead.py",),
    # a big round's op digests from a helper process, and the signatures checked over them
    "sync/digests_ahead.py": (
        "tests/sync/test_digests_ahead.py",
        "tests/sync/test_signed_floor.py",
    ),
    "sync/verify.py": (
        "tests/sync/test_signed_floor.py",
        "tests/sync/test_digests_ahead.py",
        "tests/store/test_signing_text.py",
    ),
    "services/outbound/dialling.py": ("tests/outbound/test_dialling.py",),
    # a lead file's staged import: its batches, their checks and the showing step
    "services/outbound/lead_staging.py": (
        "tests/outbound/test_staged_import.py",
        "tests/outbound/test_staged_import_checks.py",
        "tests/outbound/test_showing_step.py",
        "tests/store/test_bulk_prepared.py",
        "tests/outbound/test_import_pace.py",
    ),
    # a failed staged import taken away: its rows, their index, ops and signed runs (not
    # test_staged_import.py's kill -9 test: 20 s a mutant for the next start's discard,
    # which test_showing_step.py and test_staged_import_checks.py take too)
    "services/outbound/lead_discard.py": (
        "tests/outbound/test_staged_import_discard.py",
        "tests/outbound/test_staged_import_checks.py",
        "tests/outbound/test_showing_step.py",
        "tests/outbound/test_staged_import.py::test_a_failure_after_some_batches_leaves_nothing",
    ),
    # the phone's rules (calls.py and events.py: what a phone event is and does)
    "services/phone/callbacks.py": ("tests/phone/test_callbacks.py",),
    "services/phone/floor_limits.py": (
        "tests/phone/test_floor_limits.py",
        "tests/phone/test_floor_board.py",
    ),
    "services/phone/floor_board.py": (
        "tests/phone/test_floor_board.py",
        "tests/phone/test_presence.py",
    ),
    "services/phone/presence.py": (
        "tests/phone/test_presence.py",
        "tests/phone/test_presence_sign_in.py",
    ),
    "services/phone/transfer.py": ("tests/phone/test_transfer.py",),
    "services/phone/events.py": (
        "tests/phone/test_phone_events.py",
        "tests/phone/test_phone_calls.py",
    ),
    "services/phone/calls.py": (
        "tests/phone/test_phone_calls.py",
        "tests/phone/test_extensions.py",
        "tests/phone/test_callbacks.py",
        "tests/phone/test_transfer.py",
    ),
}
