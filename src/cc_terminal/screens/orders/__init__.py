"""F4 and the order side of Setup: the order list, each kind's form and its dialogs, the steps
of an order, and the missed-visit report."""
