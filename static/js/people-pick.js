// The tablet's "who is working here": the roster narrows as a name is typed, and at most two can be chosen
// (queue_app/rules/roster.py TABLE_PEOPLE_MAX says the same).
import { $ } from "./dom.js";

const MOST = 2;
const boxes = [...$("people-list")?.querySelectorAll("input") ?? []];

function limit() {
  const chosen = boxes.filter((box) => box.checked).length;
  for (const box of boxes) box.disabled = !box.checked && chosen >= MOST;
}

$("people-search")?.addEventListener("input", (event) => {
  const wanted = event.target.value.trim().toLowerCase();
  for (const box of boxes) {
    const item = box.closest("li");
    item.hidden = Boolean(wanted) && !box.closest("label").dataset.name.includes(wanted) && !box.checked;
  }
});
for (const box of boxes) box.addEventListener("change", limit);
limit();
$("people-error")?.focus();
