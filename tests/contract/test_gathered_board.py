"""The board's deltas are gathered (issue 13): a burst of changes reaches phones and the TV as a few deltas, each
carrying every version since the last as steps, while tablets hear each change at once."""

import time

from tests.support.clients import Staff
from tests.support.clients import join


def test_a_burst_of_joins_reaches_the_tv_in_a_few_deltas_with_every_version_and_tablets_at_once(site):
    tv = site.listen({"event": "demo"})
    start = tv.next("snapshot")["board"]["version"]
    tablet = Staff(site).listen()
    tablet.next("snapshot")
    begun = time.monotonic()
    for bib in range(1, 13):
        assert join(site, bib).status_code == 201
        # The tablet has each change by the time the request answered: no gathering for staff.
        assert tablet.next("staff", timeout=0.01)["version"] == start + bib
    took = time.monotonic() - begun
    deltas = []
    while not deltas or deltas[-1]["version"] < start + 12:
        deltas.append(tv.next("board"))
    versions = [step["version"] for delta in deltas for step in delta["steps"]]
    assert versions == list(range(start + 1, start + 13)), "every version, once, in order"
    for delta in deltas:
        assert delta["since"] == delta["steps"][0]["version"] and delta["version"] == delta["steps"][-1]["version"]
        assert delta["changes"] == [c for step in delta["steps"] for c in step["changes"]]
    # At most one delta per quarter second (and one at once): 12 joins in `took` seconds.
    assert len(deltas) <= 2 + took / 0.25, f"{len(deltas)} deltas for 12 joins in {took:.2f} s"
    assert deltas[-1]["services"]["pre"]["waiting"] == 12  # the newest numbers ride on the last delta


def test_a_phone_back_from_a_blip_with_nothing_missed_gets_no_snapshot(site):
    mine = join(site, 1).json()
    first = site.listen({"ticket": mine["token"]})
    have = first.next("snapshot")["board"]["version"]
    first.close()
    back = site.listen({"ticket": mine["token"], "version": have})
    time.sleep(0.3)
    assert [name for name, _ in back.heard()] == [], "an up-to-date phone was sent a snapshot again"
    join(site, 2)  # a change after it came back still reaches it
    assert back.next("board", lambda b: b["version"] == have + 1)["services"]["pre"]["waiting"] == 2
    behind = site.listen({"ticket": mine["token"], "version": have})  # now one behind: a snapshot
    assert behind.next("snapshot")["board"]["version"] == have + 1
