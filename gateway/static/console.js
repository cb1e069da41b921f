/* Guichet — agents' console: live queue and conversation through server-sent events. */
(() => {
  "use strict";
  const file = document.querySelector("[data-live='file']");
  const thread = document.getElementById("echanges");
  if (!file && !thread) return;
  const WHO = { resident: "Habitant", assistant: "Assistant", agent: "Agent", system: "Information" };
  const events = new EventSource("/console/evenements");

  let scheduled = null; // a burst of messages refreshes the queue once
  function refreshQueue() {
    if (scheduled) return;
    scheduled = setTimeout(() => { scheduled = null; loadQueue(); }, 250);
  }

  async function loadQueue() {
    try {
      const res = await fetch("/console/?fragment=1", { headers: { Accept: "text/html" }, cache: "no-store" });
      if (res.ok) file.innerHTML = await res.text(); // server-rendered and escaped
    } catch (_) { /* the next event retries */ }
  }

  function append(m) {
    const last = Number(thread.dataset.last || "0");
    if (m.id <= last) return;
    thread.dataset.last = String(m.id);
    const item = document.createElement("li");
    item.className = `msg msg--${m.author}`;
    const who = document.createElement("span");
    who.className = "msg__qui";
    who.textContent = WHO[m.author] || m.author;
    const at = document.createElement("time");
    at.dateTime = m.at;
    at.textContent = m.label; // the commune's local time, worded by the server
    const text = document.createElement("p");
    text.className = "msg__texte";
    text.textContent = m.text; // never innerHTML: resident text stays text
    item.append(who, at, text);
    thread.append(item);
  }

  events.addEventListener("message", (e) => {
    let m = null;
    try { m = JSON.parse(e.data); } catch (_) { return; }
    if (thread && m.conversation === thread.dataset.conversation) append(m);
    if (file) refreshQueue();
  });
  events.addEventListener("file", () => { if (file) refreshQueue(); });
})();
