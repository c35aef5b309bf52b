// Following an event live: one socket, versioned deltas, and a fresh snapshot after any gap.
import { io } from "../vendor/socket.io-4.8.4.esm.min.js";
import { t } from "./words.js";

const RESYNC_TIMEOUT_MS = 5000;
// Steps that arrive ahead of a missing version wait this long for it (another server process may send it).
const GAP_WAIT_MS = 1500;

// Connect with `auth` and keep `stream` ("board" or "staff") in step with the server.
// handlers: snapshot(snap), delta(payload), connection(state, detail), and any extra socket events by name.
// `initial`: the snapshot the page was rendered from, applied at once (the server then sends none if current).
export function follow(auth, stream, handlers, initial = null) {
  let version = null;
  // A phone coming back says which version it has: if nothing changed, the server sends no snapshot. Reconnects
  // wait a random 0.15-2.9 s (then longer), so thousands of phones after a Wi-Fi blip do not return together.
  const socket = io({
    auth: (send) => send(version === null ? auth : { ...auth, version }),
    transports: ["websocket"], reconnectionDelay: 1500, randomizationFactor: 0.9, reconnectionDelayMax: 6000,
  });
  const waiting = new Map();  // version -> its delta, received ahead of a version still missing
  let gapTimer = null;
  // The newest version applied on this connection. A snapshot older than it was read before a change that
  // overtook it on its way here: stale, so not applied. Forgotten when the connection drops: after a reconnect a
  // standby restored from the replica may rightly answer an older version.
  let heard = -1;

  const applyWaiting = () => {
    for (const seen of waiting.keys()) if (seen <= version) waiting.delete(seen);
    while (waiting.has(version + 1)) {
      const next = waiting.get(version + 1);
      waiting.delete(version + 1);
      version = next.version;
      heard = Math.max(heard, version);
      handlers.delta(next);
    }
    if (!waiting.size) {
      clearTimeout(gapTimer);
      gapTimer = null;
    } else if (!gapTimer) {
      gapTimer = setTimeout(() => { gapTimer = null; if (waiting.size) { waiting.clear(); resync(); } }, GAP_WAIT_MS);
    }
  };
  const applySnapshot = (snap) => {
    if (!snap || snap.error || snap[stream].version < heard) return;
    version = heard = snap[stream].version;
    handlers.snapshot(snap);
    applyWaiting();
  };
  // Ask for the truth. A socket that slept may still look connected while its connection is dead:
  // if the answer does not come soon, reconnect, and the connect handler sends a fresh snapshot.
  const resync = () => {
    if (!socket.connected) return;
    socket.timeout(RESYNC_TIMEOUT_MS).emit("snapshot", auth, (error, snap) => {
      // The server answers a few snapshots a second per socket: a refused one is asked again shortly.
      if (!error && snap && snap.code === "rate_limited") return setTimeout(resync, 1000);
      if (!error) return applySnapshot(snap);
      socket.disconnect();
      socket.connect();
    });
  };

  socket.on("connect", () => handlers.connection("live"));
  socket.on("disconnect", () => {
    heard = -1;
    handlers.connection("reconnecting");
  });
  socket.on("connect_error", (error) => {
    // The server refused us (unknown ticket, signed out): retrying will not help.
    if (!socket.active) handlers.connection("refused", error.message);
    else handlers.connection("reconnecting");
  });
  socket.on("snapshot", applySnapshot);
  if (initial) applySnapshot(initial);
  // A delta is one version, or (the board) several as `steps`, each applied in order as its own delta with the
  // newest services. Versions ahead of a missing one wait for it; if it never comes, a snapshot.
  socket.on(stream, (payload) => {
    if (version === null) return;
    const steps = payload.steps || [{ version: payload.version, changes: payload.changes }];
    for (const step of steps) {
      if (step.version > version) waiting.set(step.version, { ...payload, version: step.version, changes: step.changes, steps: undefined });
    }
    applyWaiting();
  });
  for (const [name, handler] of Object.entries(handlers)) {
    if (!["snapshot", "delta", "connection"].includes(name)) socket.on(name, handler);
  }
  // A phone that slept may have missed anything: ask for the truth when it wakes. If the system closed its socket
  // meanwhile (an iPhone does), reconnect now rather than at Socket.IO's next try, up to 6 s away: the connect
  // says which version we have and brings a snapshot if we are behind.
  document.addEventListener("visibilitychange", () => {
    if (document.visibilityState !== "visible") return;
    if (socket.connected) resync();
    else if (socket.active) {
      socket.disconnect();
      socket.connect();
    }
  });
  return { socket, resync, version: () => version };
}

// Show the connection state in an element with data-state for styling.
export function showConnection(element, state, detail) {
  const words = {
    live: t("Live"), reconnecting: t("Reconnecting…"), refused: detail || t("Not connected"), connecting: t("Connecting…"),
  };
  element.dataset.state = state;
  element.textContent = words[state] || state;
  // Pages style themselves on it (a tablet greys out a list that may be stale).
  document.body.dataset.connection = state;
}
