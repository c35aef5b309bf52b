"""The words each page's script shows, by their English text: marked here so `pybabel extract` puts them in
the catalogs, and sent to the page translated (i18n.page_words) as JSON for static/js/words.js.

A (singular, plural) pair is a count's words; %(num)s is the count. Keep these in step with the scripts
(tests/contract/test_staff_words.py checks the staff's and organiser's).
"""

from ..rules.words import N_
from ..rules.words import NP_

CONNECTION = (N_("Live"), N_("Reconnecting…"), N_("Not connected"), N_("Connecting…"))
WAIT = (N_("About %(span)s min, around %(time)s"), N_("No table is open for this yet: the wait shows once one is."),
        N_("A table is free: you will be called any moment."))
REFUSALS = (N_("%(service)s %(refusal)s"), N_("is closed"), N_("is paused for a moment"), N_("is full right now"),
            N_("opens at %(time)s"), N_("closed at %(time)s"),
            N_("is full for today: we cannot reach you before %(time)s"))  # rules/joining.py REACH_REFUSAL

JOIN = CONNECTION + WAIT + REFUSALS + (
    N_("%(count)s waiting"), N_("It opens at %(time)s."), N_("Ask at the tent when it opens again."),
)

TICKET = CONNECTION + WAIT + (
    N_("We expect to reach you just before closing."),  # rules/joining.py THIN_WARNING, queue-rules.js reach
    N_("Choose one of the three faces."),
    N_("Not live: last updated %(time)s ago"),
    N_("You left the queue."),
    N_("You were called but did not arrive, so your place has gone."),
    N_("The tent staff took this ticket out of the queue."),
    N_("Please go to the medical tent now."),
    N_("This ticket is now on another phone. Your place is kept there."),
    N_("%(service)s is paused for a moment. You keep your place."),
    N_("%(service)s takes no new runners now. You keep your place."),
    N_("Go to table %(table)s"),
    N_("Time is up: hurry, or ask at the tent."),
    N_("Less than a minute left to reach the table!"),
    N_("Half your time has gone: head to the table now."),
    N_("%(number)s: go to table %(table)s"),
    N_("It is your turn. Your therapist is waiting."),
    N_("It is your turn. Go to table %(table)s."),
    N_("You are next!"),
    N_("Your lane: %(lane)s, called before the other lanes"),
    N_("Your lane: %(lane)s, 1 call in %(every)s"),
    NP_("Almost your turn: %(num)s runner ahead of you.", "Almost your turn: %(num)s runners ahead of you."),
    NP_("%(num)s runner", "%(num)s runners"),
    NP_("Let %(num)s runner go first? You can do this once.", "Let %(num)s runners go first? You can do this once."),
    N_("Done. Thank you!"),
    N_("You are number %(place)s in the queue."),
    N_("sound"), N_("vibration"), N_("notification"),
    N_("✓ Alerts on: %(ways)s"),
    N_("Alerts are not available on this phone."),
    N_("That did not work. Try again."),
    N_("Leave the queue? You would lose your place."),
    N_("Notifications are blocked for this page: the alert rings only while it is open."),
    N_("✓ This phone is alerted even with the screen off."),
    N_("This phone's browser could not take alerts: keep this page open, it rings."),
    N_("Alerts with the screen off need the tent's secure (https) address. Keep this page open: it rings when it "
       "is your turn."),
    N_("✓ You will get a text when you are close and when it is your turn."),
)

BOARD = CONNECTION + WAIT + (
    N_("Table %(table)s"), N_("please come now"), N_("Nobody called right now."), N_("%(service)s · %(count)s waiting"),
    N_("Joining now: %(wait)s"), N_("%(service)s is %(status)s"), N_("open"), N_("paused"), N_("closed"),
    N_("Also called: "), N_("%(number)s → table %(table)s"), N_("Number %(number)s, table %(table)s"),
)

# The staff's and organiser's pages: English only for now (tests/unit/test_catalogs.py requires only the runner's
# pages' words translated; tests/contract/test_staff_words.py that none of these scripts shows unmarked text).
ALARMS = (  # queue-rules.js alarmWords, as rules/alarms.py alarm_words
    NP_("Free for %(minutes)s min while %(num)s runner waits", "Free for %(minutes)s min while %(num)s runners wait"),
    NP_("Free for under a minute while %(num)s runner waits", "Free for under a minute while %(num)s runners wait"),
    N_("In treatment %(minutes)s min: over twice the %(length)s min massage"),
)

TABLE = CONNECTION + ALARMS + (  # table.js and table-dialogs.js
    N_("In treatment"), N_("of %(minutes)s min"), N_("Massage time used"), N_("On a break"),
    N_("This table counts toward no wait until you resume."),
    N_("Nobody called yet. Press Call next when the table is ready."),
    N_("Bib %(bib)s · %(service)s"), N_("⚠ Has a medical condition: ask before you start."),
    N_("✓ On the way"), N_("Waiting for the runner"),
    N_("%(number)s (%(name)s) did not arrive in time and was marked a no-show."),
    N_("%(number)s (%(name)s) was marked a no-show."),
    N_("⚠ medical"), N_("Nobody waiting."), NP_("+ %(num)s more", "+ %(num)s more"),
    N_("The server refused this. Press again."),
    N_("%(number)s is sent to the medical tent; their phone tells them where to go."),
    N_("No connection. Check the network and press again."),
    N_("Screen stays on"), N_("Screen may sleep"),
    N_("Mark %(number)s as a no-show?"), N_("Mark this runner as a no-show?"),
    N_("Bib %(bib)s · %(service)s · place %(place)s"),
    NP_("Call %(number)s %(name)s to table %(table)s now, ahead of %(num)s runner who came first?",
        "Call %(number)s %(name)s to table %(table)s now, ahead of %(num)s runners who came first?"),
    N_("Call %(number)s %(name)s to table %(table)s now?"),
    N_("Nobody matches."), N_("Nobody waiting for this table."),
    N_("%(number)s %(name)s · bib %(bib)s"), N_("Say in a few words why."), N_("Choose a reason."),
)

DASHBOARD = CONNECTION + ALARMS + (  # dashboard.js
    N_("%(minutes)s min"), N_("%(working)s of %(all)s, %(resting)s on a break"), N_("%(working)s of %(all)s"),
    N_("no table working"), N_("called at once: a table is free"), N_("%(span)s min (measured on recent massages)"),
    N_("%(span)s min (from the set %(minutes)s min per massage, until 5 are done)"),
    N_("open"), N_("paused"), N_("closed"), N_("waiting"),  # a service's status, and its count's word
    N_("%(name)s since %(time)s"),
    N_("New runner waits"), N_("Median wait"), N_("90% wait under"), N_("Median massage"), N_("Tables working"),
    N_("Done / no-show"), N_("Sent to medical"),
    N_("Open"), N_("Open %(service)s"), N_("Pause"), N_("Pause %(service)s"), N_("Close"), N_("Close %(service)s"),
    N_("Massages in the last hour"), N_("Median wait (30 min)"), N_("90th percentile wait"),
    N_("Table utilisation (1 h)"), N_("Done today"), N_("No-shows"),
    N_("Table %(table)s"), N_("Nobody signed in"), N_("On a break"), N_("Free"),
    N_("called %(minutes)s min ago"), N_("massage started %(minutes)s min ago"),
    N_("not arrived yet"), N_("running long"),  # a table's warning (rules/stats.py table_warnings)
    N_("Table %(table)s: %(alarm)s"), N_("⚠ A table needs a look"),
    NP_("⚠ %(num)s table needs a look", "⚠ %(num)s tables need a look"),
    N_("%(name)s · bib %(bib)s"), N_("Actions for %(number)s"), N_("⚠ medical"), N_("Remove"),
    N_("Remove %(number)s from the queue"),
    N_("New phone"), N_("Move %(number)s to a new phone"), N_("To front"), N_("Move %(number)s to front of the queue"),
    N_("To %(service)s"), N_("Move %(number)s to %(service)s"),
    N_("Nobody waiting."), N_("Loading…"), NP_("…and %(num)s more", "…and %(num)s more"),
    N_("Waiting"), N_("Median wait"), N_("Massages per hour"),
    N_("Pause %(service)s? Runners cannot join it until you open it again; those waiting keep their place."),
    N_("Close %(service)s? Runners cannot join it any more; those waiting keep their place."),
    N_("The service could not be changed. Try again."),
    # dashboard-last-call.js
    N_("Kept open past last call"), N_("Joins stop at %(time)s (fixed)"), N_("Last call"),
    N_("about %(time)s at this rate"), N_("With one more table"), N_("Shorter massage"),
    N_("At %(minutes)s instead of %(length)s min you serve all %(waiting)s waiting before %(time)s"),
    N_("Surge"), N_("%(tables)s tables bring a new runner's wait back under %(minutes)s min"),
    N_("Keep %(service)s open past its last call? Runners may be called after closing."),
    N_("Take no new runners for %(service)s from %(time)s?"), N_("Service saved."),
    N_("Move %(number)s (%(name)s) to a new phone? The link on their old phone stops working."),
    N_("%(number)s · %(name)s · bib %(bib)s"),
    N_("Move %(number)s (%(name)s) to the front of its queue: everyone now ahead of them moves back one place?"),
    N_("Move %(number)s (%(name)s) to %(service)s, in the order they joined?"),
    N_("The runner could not be moved. Try again."), N_("Remove %(number)s from the queue?"),
    N_("%(number)s added for %(name)s: place %(place)s. About %(span)s min."),
    N_("%(number)s added for %(name)s: place %(place)s. No table is open for it yet."),
    N_("Print the ticket slip"), N_("Not queued: %(reason)s"),
    N_("Sent to every phone and the board."), N_("Cleared."),
)

PLANNER = (  # planner.js
    N_("Planning… replaying the day takes a few seconds."), NP_("%(num)s table", "%(num)s tables"),
    N_("Fewest tables"), N_("Target %(minutes)s min"),
)

PAGES = {"join": JOIN, "ticket": TICKET, "board": BOARD, "table": TABLE, "dashboard": DASHBOARD, "planner": PLANNER}
