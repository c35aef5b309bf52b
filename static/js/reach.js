// Reaching the runner with the page closed: Web Push where the browser offers it (HTTPS only), texts where the
// tent set them up. The page still rings by itself while open; neither of these is needed for that.
import { $ } from "./dom.js";
import { callApi } from "./api.js";
import { lang, t } from "./words.js";

function keyBytes(base64url) {
  const text = atob(base64url.replace(/-/g, "+").replace(/_/g, "/"));
  return Uint8Array.from(text, (ch) => ch.charCodeAt(0));
}

function say(id, text) {
  $(id).textContent = text;
  $(id).hidden = !text;
}

async function subscribe(token, key, closeAt) {
  if ((await Notification.requestPermission()) !== "granted") {
    return say("push-status", t("Notifications are blocked for this page: the alert rings only while it is open."));
  }
  const registration = await navigator.serviceWorker.register("/sw.js");
  const subscription = await registration.pushManager.subscribe({ userVisibleOnly: true, applicationServerKey: keyBytes(key) });
  const { ok, answer } = await callApi("POST", `/api/v1/tickets/${encodeURIComponent(token)}/push`,
    { body: { subscription: subscription.toJSON(), close_at: closeAt() }, headers: { "Accept-Language": lang() } });
  say("push-status", ok ? t("✓ This phone is alerted even with the screen off.") : answer.error);
  $("push-on").hidden = ok;
  $("push-on-hint").hidden = ok;
}

// Offer push where it can work, and say plainly where it cannot.
export function offerReach(token, reach, closeAt) {
  const pushable = window.isSecureContext && "serviceWorker" in navigator && "PushManager" in window
    && "Notification" in window;
  if (pushable && reach.push_key) {
    $("push-on").hidden = false;
    $("push-on-hint").hidden = false;
    $("push-on").addEventListener("click", () => subscribe(token, reach.push_key, closeAt).catch(() => {
      say("push-status", t("This phone's browser could not take alerts: keep this page open, it rings."));
    }));
  } else {
    say("push-status", t("Alerts with the screen off need the tent's secure (https) address. Keep this page open: it rings when it "
      + "is your turn."));
  }
  $("text-form")?.addEventListener("submit", async (event) => {
    event.preventDefault();
    const { ok, answer } = await callApi("POST", `/api/v1/tickets/${encodeURIComponent(token)}/text`,
      { body: { phone: $("phone").value, close_at: closeAt() }, headers: { "Accept-Language": lang() } });
    say("text-status", ok ? t("✓ You will get a text when you are close and when it is your turn.") : answer.error);
  });
}
