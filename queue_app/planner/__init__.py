"""The staffing planner, pure: a race day's arrivals replayed through the queue's own rules, and how many tables
each hour needs. `day` reads an arrivals file or export, `replay` runs it, `search` finds the fewest tables,
`output` writes the answer; `process` runs the replays in a bounded worker process. No Flask, no SQL: the event's
own day is read in reads/planning.py."""
