// Last call on the organiser's dashboard: what each service card says about it (the server's figures, by
// queue_app/rules/last_call.py), and the service's last-call settings, each change asked for once and logged.
import { t } from "./words.js";

// [label, value] lines for a service card: the last call at this rate, and what would change it.
export function lastCallFacts(s) {
  const hints = s.last_call_hints || {};
  const facts = [];
  if (s.closes_at && s.last_call) {
    const at = s.keep_open ? t("Kept open past last call") : s.last_join_at
      ? t("Joins stop at %(time)s (fixed)", { time: s.last_join_at }) : null;
    facts.push([t("Last call"), [t("about %(time)s at this rate", { time: s.last_call }), at].filter(Boolean).join(" · ")]);
  }
  if (hints.one_more_table) {
    facts.push([t("With one more table"), t("about %(time)s at this rate", { time: hints.one_more_table })]);
  }
  if (hints.shorter) {
    facts.push([t("Shorter massage"), t("At %(minutes)s instead of %(length)s min you serve all %(waiting)s waiting before %(time)s",
      { ...hints.shorter, time: hints.shorter.closes_at })]);
  }
  if (hints.surge_tables) {
    facts.push([t("Surge"), t("%(tables)s tables bring a new runner's wait back under %(minutes)s min",
      { tables: hints.surge_tables, minutes: s.surge_minutes })]);
  }
  return facts;
}

// Each service's form: only what changed is sent; keeping a queue open past its reach, or fixing a last-join
// time, is asked for first.
export function followLastCallForms(send, names) {
  for (const form of document.querySelectorAll(".last-call-form")) {
    form.addEventListener("submit", async (event) => {
      event.preventDefault();
      const code = form.dataset.service;
      const service = names()[code] || code;
      const changes = {};
      if (form.keep_open.checked !== form.keep_open.defaultChecked) changes.keep_open = form.keep_open.checked;
      for (const name of ["last_join_at", "surge_minutes"]) {
        if (form[name].value !== form[name].defaultValue) changes[name] = form[name].value;
      }
      const asks = [];
      if (changes.keep_open) asks.push(t("Keep %(service)s open past its last call? Runners may be called after closing.", { service }));
      if ("last_join_at" in changes && changes.last_join_at) {
        asks.push(t("Take no new runners for %(service)s from %(time)s?", { service, time: changes.last_join_at }));
      }
      if (asks.some((ask) => !window.confirm(ask))) return;
      const result = form.querySelector(".result");
      if (!Object.keys(changes).length) {
        result.textContent = t("Service saved.");
        return;
      }
      const { ok, answer } = await send("PATCH", `/services/${code}`, changes);
      for (const input of form.querySelectorAll("[aria-invalid]")) input.removeAttribute("aria-invalid");
      if (ok) {
        form.keep_open.defaultChecked = form.keep_open.checked;
        for (const name of ["last_join_at", "surge_minutes"]) form[name].defaultValue = form[name].value;
        result.textContent = t("Service saved.");
      } else {
        result.textContent = answer.error || t("The service could not be changed. Try again.");
        const input = answer.field && form.elements[answer.field];
        if (input) {
          input.setAttribute("aria-invalid", "true");
          input.focus();
        }
      }
    });
  }
}
