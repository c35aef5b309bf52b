// Following an event live: one socket, versioned deltas, and a fresh snapshot after any gap.
import { io } from "../vendor/socket.io-4.8.4.esm.min.js";

const RESYNC_TIMEOUT_MS = 5000;

// Connect with `auth` and keep `stream` ("board" or "staff") in step with the server.
// handlers: snapshot(snap), delta(payload), connection(state, detail), and any extra socket events by name.
export function follow(auth, stream, handlers) {
  const socket = io({ auth, transports: ["websocket"], reconnectionDelayMax: 4000 });
  let version = null;

  const applySnapshot = (snap) => {
    if (!snap || snap.error) return;
    version = snap[stream].version;
    handlers.snapshot(snap);
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
  socket.on("disconnect", () => handlers.connection("reconnecting"));
  socket.on("connect_error", (error) => {
    // The server refused us (unknown ticket, signed out): retrying will not help.
    if (!socket.active) handlers.connection("refused", error.message);
    else handlers.connection("reconnecting");
  });
  socket.on("snapshot", applySnapshot);
  socket.on(stream, (payload) => {
    if (version === null || payload.version <= version) return;
    if (payload.version !== version + 1) return resync();
    version = payload.version;
    handlers.delta(payload);
  });
  for (const [name, handler] of Object.entries(handlers)) {
    if (!["snapshot", "delta", "connection"].includes(name)) socket.on(name, handler);
  }
  // A phone that slept may have missed anything: ask for the truth when it wakes.
  document.addEventListener("visibilitychange", () => {
    if (document.visibilityState === "visible") resync();
  });
  return { socket, resync, version: () => version };
}

// Show the connection state in an element with data-state for styling.
export function showConnection(element, state, detail) {
  const words = { live: "Live", reconnecting: "Reconnecting…", refused: detail || "Not connected", connecting: "Connecting…" };
  element.dataset.state = state;
  element.textContent = words[state] || state;
  // Pages style themselves on it (a tablet greys out a list that may be stale).
  document.body.dataset.connection = state;
}
