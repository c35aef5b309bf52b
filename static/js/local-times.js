// Times on organiser pages, on the event's clock and in the page's language: <time datetime="…Z" data-zone="…">.
for (const node of document.querySelectorAll("time.local-time[datetime]")) {
  const at = new Date(node.getAttribute("datetime"));
  if (Number.isNaN(at.getTime())) continue;
  node.textContent = new Intl.DateTimeFormat(document.documentElement.lang || undefined,
    { hour: "2-digit", minute: "2-digit", timeZone: node.dataset.zone || undefined }).format(at);
}
