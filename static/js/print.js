// A print button (inline onclick handlers are not allowed by our Content-Security-Policy).
document.getElementById("print")?.addEventListener("click", () => window.print());
