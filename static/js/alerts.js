// Getting a runner's attention when called: sound, vibration, and a notification if allowed.
let audio = null;

// Unlock sound (browsers need a tap first) and ask for notifications; says which of them are ready.
export async function enableAlerts() {
  const Context = window.AudioContext || window.webkitAudioContext;
  if (Context && !audio) audio = new Context();
  if (audio && audio.state === "suspended") await audio.resume();
  // Notifications need HTTPS (or localhost): on a plain LAN address the API is missing or always denied.
  if ("Notification" in window && Notification.permission === "default") {
    try { await Notification.requestPermission(); } catch { /* older browsers: callback form only */ }
  }
  chime(1);
  return { sound: Boolean(audio), notifications: "Notification" in window && Notification.permission === "granted" };
}

// Three rising tones, repeated `times` times.
export function chime(times = 3) {
  if (!audio) return;
  const start = audio.currentTime + 0.05;
  [660, 880, 1100].forEach((frequency, index) => {
    for (let round = 0; round < times; round += 1) {
      const at = start + round * 1.2 + index * 0.25;
      const oscillator = audio.createOscillator();
      const gain = audio.createGain();
      oscillator.frequency.value = frequency;
      gain.gain.setValueAtTime(0.0001, at);
      gain.gain.exponentialRampToValueAtTime(0.6, at + 0.02);
      gain.gain.exponentialRampToValueAtTime(0.0001, at + 0.22);
      oscillator.connect(gain).connect(audio.destination);
      oscillator.start(at);
      oscillator.stop(at + 0.25);
    }
  });
}

// Show a system notification when the runner allowed it and is looking at something else.
function notify(title, body) {
  if (!("Notification" in window) || Notification.permission !== "granted") return;
  if (document.visibilityState === "visible" && document.hasFocus()) return;  // the page itself says it, bigger
  try {
    const note = new Notification(title, { body, tag: "called", renotify: true, requireInteraction: true });
    note.addEventListener("click", () => { window.focus(); note.close(); });
  } catch { /* Android Chrome allows notifications from a service worker only; the page still rings */ }
}

// Everything at once, for "you are called".
export function alertCalled(title, body = "") {
  chime(3);
  if (navigator.vibrate) navigator.vibrate([500, 200, 500, 200, 900]);
  notify(title, body);
}
