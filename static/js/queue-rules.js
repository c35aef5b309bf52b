// The queue's rules as the pages need them. queue_app/rules/places.py is the same place rule in Python;
// tests/browser/test_place_rule.py runs both on the same cases.

// A ticket in one of these is still in the queue or at a table.
export const ACTIVE = ["waiting", "called", "in_treatment"];

// How one public change moves a waiting ticket's place: +1 if the changed ticket is now waiting ahead of it in
// its queue (same service, lower seq), -1 if it was, 0 otherwise. `mine` is the phone's ticket {service, seq}.
export function placeChange(change, mine) {
  const wasAhead = change.from === "waiting" && change.from_service === mine.service && change.from_seq < mine.seq;
  const isAhead = change.status === "waiting" && change.service === mine.service && change.seq < mine.seq;
  return Number(isAhead) - Number(wasAhead);
}
