"""Tests of orders: the forms, the desk, addresses, dispatch, missed visits, the order screens
and exports."""
