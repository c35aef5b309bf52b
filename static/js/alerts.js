// Getting a runner's attention: sound, vibration, the tab's title and a notification where allowed.
//
// Browsers play sound only after a tap on the page. The Join tap unlocks it (join.js calls unlockSound in the
// tap's handler and shows the ticket in the same document); after a reload, the ticket page asks for one tap.
// The page writes what the sound is doing on <html data-sound="running|locked|none" data-chimed="…">, so
// the runner's screen (and the browser tests) can tell.
let audio = null;
let ringTimer = null;
let titleTimer = null;

function mark() {
  document.documentElement.dataset.sound = audio ? audio.state === "running" ? "running" : "locked" : "none";
}

// Create and resume the audio context. Call it inside a tap's handler: that is what unlocks it.
export function unlockSound() {
  const Context = window.AudioContext || window.webkitAudioContext;
  if (!Context) return mark();
  if (!audio) {
    audio = new Context();
    audio.addEventListener("statechange", mark);
  }
  if (audio.state !== "running") audio.resume().then(mark, mark);
  // A silent blip, started within the tap: iOS unlocks only on a sound that really plays.
  const silent = audio.createBufferSource();
  silent.buffer = audio.createBuffer(1, 1, 22050);
  silent.connect(audio.destination);
  silent.start(0);
  mark();
}

// True when sound can play now without another tap.
export function soundReady() {
  return Boolean(audio) && audio.state === "running";
}

// Ask for notifications too (HTTPS only): says which alerts are ready.
export async function enableAlerts() {
  unlockSound();
  if ("Notification" in window && Notification.permission === "default") {
    try { await Notification.requestPermission(); } catch { /* older browsers: callback form only */ }
  }
  chime(1);
  return { sound: soundReady(), notifications: "Notification" in window && Notification.permission === "granted" };
}

// Three rising tones, repeated `times` times.
export function chime(times = 3) {
  if (!soundReady()) return;
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
  document.documentElement.dataset.chimed = String(Number(document.documentElement.dataset.chimed || 0) + 1);
}

export function buzz(pattern) {
  if (navigator.vibrate) navigator.vibrate(pattern);
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

// "You are called": ring, buzz and flash the tab's title (between `tabTitle` and a louder form of it, so the tab
// switcher always reads it) every few seconds until stopRinging(). `title` and `body` make the notification.
export function startRinging(title, body = "", tabTitle = title) {
  stopRinging();
  const ring = () => {
    chime(2);
    buzz([500, 200, 500, 200, 900]);
  };
  ring();
  notify(title, body);
  ringTimer = setInterval(ring, 6000);
  let flip = false;
  const loud = `${tabTitle.split(" – ")[0]}! 🔔🔔🔔`;
  document.title = tabTitle;
  titleTimer = setInterval(() => {
    flip = !flip;
    document.title = flip ? loud : tabTitle;
  }, 1000);
  document.documentElement.dataset.ringing = "yes";
}

export function stopRinging() {
  clearInterval(ringTimer);
  clearInterval(titleTimer);
  ringTimer = titleTimer = null;
  delete document.documentElement.dataset.ringing;
}
