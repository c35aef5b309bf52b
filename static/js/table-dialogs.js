// The tablet's two questions: whom to call out of turn (every runner the table serves, in call order, then a
// confirmation), and why the runner at the table goes to the medical tent.
import { $, el } from "./dom.js";
import { t, tn } from "./words.js";

// Open the list of `runners` (in the order the table would call them); `call(ticket)` once one is picked and the
// therapist confirmed, naming how many the call passes in their queue.
export function pickRunner(runners, services, table, call) {
  const dialog = $("pick-dialog");
  const draw = () => {
    const words = $("pick-filter").value.trim().toLowerCase();
    const list = $("pick-list");
    list.replaceChildren();
    const shown = runners.filter((t) => !words || [t.number, t.first_name, t.bib, t.lane?.category].some(
      (text) => String(text ?? "").toLowerCase().includes(words)));
    for (const ticket of shown) {
      const button = el("button", "button secondary pick-runner");
      button.type = "button";
      button.dataset.number = ticket.number;
      const meta = el("span", "up-meta", t("Bib %(bib)s · %(service)s · place %(place)s",
        { bib: ticket.bib ?? "–", service: services[ticket.service]?.name ?? ticket.service, place: ticket.place }));
      if (ticket.lane) meta.append(" ", el("span", "lane-tag", ticket.lane.category));  // the organiser's own word
      button.append(el("span", "up-number", ticket.number), el("span", "up-name", ticket.first_name ?? ""), meta);
      button.addEventListener("click", () => {
        const ahead = ticket.place - 1;
        const who = { number: ticket.number, name: ticket.first_name ?? "", table };
        const ask = ahead
          ? tn("Call %(number)s %(name)s to table %(table)s now, ahead of %(num)s runner who came first?",
            "Call %(number)s %(name)s to table %(table)s now, ahead of %(num)s runners who came first?", ahead, who)
          : t("Call %(number)s %(name)s to table %(table)s now?", who);
        if (!window.confirm(ask)) return;
        dialog.close();
        call(ticket);
      });
      const item = el("li");
      item.append(button);
      list.append(item);
    }
    if (!shown.length) list.append(el("li", "muted", runners.length ? t("Nobody matches.") : t("Nobody waiting for this table.")));
  };
  $("pick-filter").value = "";
  $("pick-filter").oninput = draw;
  $("pick-cancel").onclick = () => dialog.close();
  draw();
  dialog.showModal();
  $("pick-cancel").focus();  // not the search field: the keyboard would cover the list
}

// Ask why `ticket` goes to the medical tent; `send(reason)` with the chosen reason and any details.
export function askMedicalReason(ticket, send) {
  const dialog = $("medical-dialog");
  const form = $("medical-form");
  form.reset();
  $("medical-error").hidden = true;
  $("medical-who").textContent = t("%(number)s %(name)s · bib %(bib)s",
    { number: ticket.number, name: ticket.first_name ?? "", bib: ticket.bib ?? "–" });
  $("medical-cancel").onclick = () => dialog.close();
  form.oninput = () => { $("medical-error").hidden = true; };
  form.onsubmit = (event) => {
    event.preventDefault();
    const chosen = form.querySelector("input[name=reason]:checked")?.value;
    const details = $("medical-details").value.trim();
    const reason = chosen === "Other" || !chosen ? details : (details ? `${chosen}: ${details}` : chosen);
    if (!reason) {
      $("medical-error").textContent = chosen === "Other" ? t("Say in a few words why.") : t("Choose a reason.");
      $("medical-error").hidden = false;
      return;
    }
    dialog.close();
    send(reason);
  };
  dialog.showModal();
}
