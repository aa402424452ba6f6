"""The pages of notifications: the list and the to-do inbox (``notifications``), each person's
choices and calendar address (``notifications``, ``calendar``), and the administrators' and
staff's group robots and delivery log (``robots``)."""
