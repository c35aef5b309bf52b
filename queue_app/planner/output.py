"""The staffing planner's answer as people read it: a plain-text table for the command line, and plain values for
the organiser's page and its charts. The sentences the page shows are marked (rules/words.py), so it can translate
them; the command line prints their English."""

from ..rules.words import N_
from ..rules.words import NP_
from ..rules.words import Joined
from ..rules.words import Message
from ..rules.words import Plural
from .search import MOST_TABLES
from .search import busiest_hours
from .search import hour_label
from .search import hour_of
from .search import moment_label

COLUMNS = ("hour", "arrivals", "waiting at peak", "wait p50", "wait p90", "utilisation")


def _minutes(value):
    """A wait in minutes, or a dash for an hour nobody joined in."""
    return "-" if value is None else f"{value:.1f}"


def _share(value):
    """A share as a whole percentage."""
    return "-" if value is None else f"{value:.0%}"


def assumptions_text(plan):
    """The assumptions of a plan, in one paragraph."""
    given = plan.assumptions
    minutes = Joined([Message(N_("%(service)s %(minutes)s min"), service=code, minutes=f"{given.minutes[code]:g}")
                      for code in plan.services], ", ")
    grace = Joined([Message(N_("%(service)s %(seconds)s s"), service=code, seconds=f"{given.grace_seconds[code]:g}")
                    for code in plan.services], ", ")
    return Message(N_("Massage %(minutes)s; walk-over %(walk)s s; cleaning %(clean)s s between runners; no-shows "
                      "%(no_shows)s of runners (seed %(seed)s), each holding its table for the service's grace time "
                      "(%(grace)s); every table serves every service and calls as soon as it is free."),
                   minutes=minutes, walk=f"{given.walk_seconds:g}", clean=f"{given.clean_seconds:g}",
                   no_shows=f"{given.no_show_rate:.0%}", seed=given.seed, grace=grace)


def headline(plan):
    """The size of the day and how its hours are read."""
    counts = {code: sum(1 for a in plan.day.arrivals if a.service == code) for code in plan.services}
    split = ", ".join(f"{code} {count:,}" for code, count in counts.items())
    clock = Message(N_("hours on the event's clock") if plan.day.clock else N_("hours from the start gun"))
    count = len(plan.day.arrivals)
    return Plural(NP_("%(num)s arrival (%(split)s); %(clock)s.", "%(num)s arrivals (%(split)s); %(clock)s."), count,
                  num=f"{count:,}", split=split, clock=clock)


def busiest(plan):
    """[(service, hour label, arrivals, fewest tables)] at each service's busiest hour."""
    return [(code, hour_label(hour, plan.day.clock), count, plan.fewest[hour])
            for code, (hour, count) in busiest_hours(plan.day, plan.services).items()]


def render_text(plan):
    """The whole answer as fixed-width text: a table per number of tables, then the fewest tables per hour."""
    out = [f"Staffing plan: {headline(plan)}", f"Assumptions: {assumptions_text(plan)}",
           f"Target: the 90th percentile wait (joining to being called) at most {plan.target_minutes:g} min.", ""]
    widths = [max(6, len(name)) for name in COLUMNS]
    for tables, outcome in plan.by_tables.items():
        out.extend([f"{tables} table{'s' if tables != 1 else ''}", _row(COLUMNS, widths)])
        for figures in outcome.hours:
            out.append(_row((hour_label(figures.hour, plan.day.clock), figures.arrivals, figures.peak_waiting,
                             _minutes(figures.wait_p50), _minutes(figures.wait_p90), _share(figures.utilisation)),
                            widths))
        out.extend([last_call_text(plan, outcome), ""])
    out.append(f"Fewest tables for a p90 wait of at most {plan.target_minutes:g} min (that many working all day)")
    out.append(_row(("hour", "arrivals", "tables"), widths[:2] + [6]))
    joined = {}
    for arrival in plan.day.arrivals:
        joined[hour_of(arrival.at)] = joined.get(hour_of(arrival.at), 0) + 1
    for hour, tables in plan.fewest.items():
        out.append(_row((hour_label(hour, plan.day.clock), joined[hour], tables or f">{MOST_TABLES}"),
                        widths[:2] + [6]))
    out.append("")
    out.extend(f"Busiest hour of {code}: {label} ({count:,} arrivals): {tables} tables keep its p90 wait within "
               f"{plan.target_minutes:g} min." if tables else
               f"Busiest hour of {code}: {label} ({count:,} arrivals): not even {MOST_TABLES:,} tables keep its p90 "
               f"wait within {plan.target_minutes:g} min." for code, label, count, tables in busiest(plan))
    return "\n".join(out) + "\n"


def last_call_text(plan, outcome):
    """When the last runner is called, with this many tables."""
    if outcome.last_call is None:
        return Message(N_("Nobody is called."))
    return Message(N_("The last runner is called at %(time)s."), time=moment_label(outcome.last_call, plan.day.clock))


def _row(cells, widths):
    """One fixed-width line: the first cell to the left, the others to the right."""
    first, *rest = (str(cell) for cell in cells)
    return "  ".join([first.ljust(widths[0]), *(cell.rjust(width) for cell, width in zip(rest, widths[1:],
                                                                                      strict=True))]).rstrip()


def as_values(plan):
    """The answer as plain values (JSON) for the organiser's page and its charts."""
    return {
        "headline": headline(plan), "assumptions": assumptions_text(plan), "clock": plan.day.clock,
        "target": plan.target_minutes, "target_text": f"{plan.target_minutes:g}",
        # The wait chart stops here: far past the target, a wait's size no longer changes the staffing answer.
        "wait_chart_top": max(10, round(plan.target_minutes * 4)),
        "tables": {str(tables): {"last_call": last_call_text(plan, outcome), "hours": [
            {"hour": figures.hour, "label": hour_label(figures.hour, plan.day.clock), "arrivals": figures.arrivals,
             "peak_waiting": figures.peak_waiting, "wait_p50": figures.wait_p50, "wait_p90": figures.wait_p90,
             "utilisation": figures.utilisation} for figures in outcome.hours]}
                   for tables, outcome in plan.by_tables.items()},
        # None: more than the planner tries (MOST_TABLES).
        "fewest": [{"hour": hour, "label": hour_label(hour, plan.day.clock), "tables": tables,
                    "tables_text": str(tables) if tables else f">{MOST_TABLES:,}"}
                   for hour, tables in plan.fewest.items()],
        "most_tables": f"{MOST_TABLES:,}",
        "busiest": [{"service": code, "label": label, "arrivals": count, "tables": tables}
                    for code, label, count, tables in busiest(plan)],
    }
