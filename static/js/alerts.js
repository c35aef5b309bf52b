// Getting a runner's attention: sound, vibration, the tab's title and a notification where allowed.
//
// Browsers play sound only after a tap on the page. The Join tap unlocks it (join.js calls unlockSound in the
// tap's handler and shows the ticket in the same document); after a reload, the ticket page asks for one tap.
// The page writes what the sound is doing on <html data-sound="running|starting|locked|none" data-chimed="…">,
// so the runner's screen (and the browser tests) can tell.
//
// Firefox says "suspended" even inside the tap that resumed the context, and "running" only once its audio
// output has opened (tens to hundreds of ms later): the tap did unlock sound, it is just not audible yet. So a
// resume asked inside a tap counts as sound on ("starting") until it settles, and chimes asked meanwhile are
// scheduled on the context's clock, which plays them as soon as it runs. Without this the ticket page, drawn
// right after the Join tap, asked for one more tap (issue 20).
const STARTING_MS = 3000;  // a resume still pending after this is not going to run: say "locked" again
let audio = null;
let starting = null;  // the timer of a resume asked inside a tap and not settled yet
let ringTimer = null;
let titleTimer = null;

function mark() {
  const state = audio && (audio.state === "running" ? "running" : starting ? "starting" : "locked");
  document.documentElement.dataset.sound = state || "none";
}

function settled() {
  clearTimeout(starting);
  starting = null;
  mark();
}

// Create and resume the audio context. Call it inside a tap's handler: that is what unlocks it. `inTap` false
// (a kiosk TV trying at load) only tries: a resume outside a tap may never settle, so it is not "starting".
export function unlockSound(inTap = true) {
  const Context = window.AudioContext || window.webkitAudioContext;
  if (!Context) return mark();
  if (!audio) {
    audio = new Context();
    audio.addEventListener("statechange", mark);
  }
  if (audio.state !== "running" && !inTap) {
    audio.resume().then(mark, mark);
  } else if (audio.state !== "running") {
    clearTimeout(starting);
    starting = setTimeout(settled, STARTING_MS);
    audio.resume().then(settled, settled);
  }
  // A silent blip, started within the tap: iOS unlocks only on a sound that really plays.
  const silent = audio.createBufferSource();
  silent.buffer = audio.createBuffer(1, 1, 22050);
  silent.connect(audio.destination);
  silent.start(0);
  mark();
}

// True when sound can play without another tap: running, or starting from a tap.
export function soundReady() {
  return Boolean(audio) && (audio.state === "running" || (Boolean(starting) && audio.state === "suspended"));
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
