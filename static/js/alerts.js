// Getting a runner's attention when called: sound, vibration, and a notification if allowed.
let audio = null;

// Unlock sound (browsers need a tap first) and ask for notifications; returns true if sound is ready.
export async function enableAlerts() {
  const Context = window.AudioContext || window.webkitAudioContext;
  if (Context && !audio) audio = new Context();
  if (audio && audio.state === "suspended") await audio.resume();
  if ("Notification" in window && Notification.permission === "default") {
    try { await Notification.requestPermission(); } catch { /* older browsers: callback form only */ }
  }
  chime(1);
  return Boolean(audio);
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

// Everything at once, for "you are called".
export function alertCalled(message) {
  chime(3);
  if (navigator.vibrate) navigator.vibrate([500, 200, 500, 200, 900]);
  if ("Notification" in window && Notification.permission === "granted" && document.visibilityState !== "visible") {
    try { new Notification(message); } catch { /* Android needs a service worker for this; the page still rings */ }
  }
}
