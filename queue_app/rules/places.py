"""How a runner's phone keeps its own place from the public board deltas, with no message of its own.

`static/js/place.js` is the same rule in JavaScript; tests run both on the same cases.
"""


def place_change(change, mine):
    """How one public change moves a waiting ticket's place: +1 if the changed ticket is now waiting ahead of it
    in its queue (same service, lower `seq`), -1 if it was, 0 otherwise.

    `change` is a board delta's entry (`status`, `service`, `seq`, `from`, `from_service`, `from_seq`);
    `mine` is the phone's ticket (`service`, `seq`).
    """
    was_ahead = (change["from"] == "waiting" and change["from_service"] == mine["service"]
                 and change["from_seq"] < mine["seq"])
    is_ahead = change["status"] == "waiting" and change["service"] == mine["service"] and change["seq"] < mine["seq"]
    return int(is_ahead) - int(was_ahead)
