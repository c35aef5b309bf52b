"""Who a table calls next, and so what a runner's place means.

Each service is its own queue in the order of `seq`: first come, first served, but for a runner put back at the
front, and for the service's priority lanes, which decide where a joiner goes (lanes.py). A table that serves
several services takes turns between them: it calls from the first service after the one it called from last
(in the event's order of services) that has someone waiting.

So a runner's place is their position in their service's queue, and it is exactly the number of calls into
that service it takes to reach them, whatever services each table serves, whoever is on break, whichever
service is paused: no table ever calls a runner of a service past one ahead of them in its queue. Turns rather
than "oldest first across services" keep a short queue moving beside a long one: a pre-race runner behind
ten post-race runners is called at a shared table's next turn, not after all ten.
"""


def turn_order(served, last=None):
    """A table's services in the order it tries them now: those after `last` (the one it called from last) first,
    going round; `served` is in the event's order of services."""
    served = list(served)
    if last in served:
        start = served.index(last) + 1
        served = served[start:] + served[:start]
    return served


def next_service(served, waiting, last=None):
    """The service a table calls from: the first in its turn order that is in `waiting` (services with someone
    waiting); or None."""
    return next((code for code in turn_order(served, last) if code in waiting), None)


def call_order(served, queues, last=None, limit=None):
    """The runners a table would call, in order, if it called again and again with nothing else changing.

    `queues` is {service code: [runners in queue order]}; answers [(service code, runner), ...], at most `limit`.
    """
    remaining = {code: list(queues.get(code, ())) for code in served}
    order = []
    while limit is None or len(order) < limit:
        code = next_service(served, {c for c, runners in remaining.items() if runners}, last)
        if code is None:
            break
        order.append((code, remaining[code].pop(0)))
        last = code
    return order
