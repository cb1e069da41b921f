/* Guichet — resident web chat (vanilla JS, no dependencies, CSP-friendly). */
(() => {
  "use strict";

  const API = "/webhooks/rest/webhook";
  const SENDER_KEY = "guichet.sender";
  const TRANSCRIPT_KEY = "guichet.transcript";
  const PUSHED_KEY = "guichet.pushed"; // last agent message shown, per conversation
  const POLL_MS = 3000;
  const MAX_STORED = 200;
  const NBSP = "\u00a0";
  const WELCOME = `Bonjour${NBSP}! Je suis l’assistant de la mairie de Clairval. ` +
    `Posez-moi votre question${NBSP}: horaires, papiers d’identité, déchetterie, urbanisme…`;
  const NETWORK_ERROR = "Connexion impossible. Vérifiez votre connexion et réessayez.";
  const GENERIC_ERROR = "Le service est momentanément indisponible. Réessayez dans quelques instants.";
  const PREFIX = {
    resident: `Vous${NBSP}: `, bot: `Assistant${NBSP}: `, agent: `Agent de la mairie${NBSP}: `,
    system: `Information${NBSP}: `,
  };
  const URL_RE = /https?:\/\/[^\s<>"«»]+/g;

  const log = document.getElementById("transcript");
  const form = document.getElementById("composer");
  const input = document.getElementById("message");
  const sendButton = document.getElementById("send");
  const resetButton = document.getElementById("reset");

  let sender = loadSender();
  let history = loadHistory();
  let pending = false;
  let generation = 0; // bumped on reset so late answers are dropped
  let typing = null;

  // ---- storage -----------------------------------------------------------
  function newId() {
    try {
      if (window.crypto && typeof crypto.randomUUID === "function") return crypto.randomUUID();
    } catch (_) { /* insecure context */ }
    const b = new Uint8Array(16);
    try { crypto.getRandomValues(b); } catch (_) {
      for (let i = 0; i < b.length; i++) b[i] = Math.floor(Math.random() * 256);
    }
    b[6] = (b[6] & 0x0f) | 0x40; // UUID v4 layout
    b[8] = (b[8] & 0x3f) | 0x80;
    const h = Array.from(b, (x) => x.toString(16).padStart(2, "0")).join("");
    return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
  }

  function loadSender() {
    try {
      const id = localStorage.getItem(SENDER_KEY);
      if (id) return id;
    } catch (_) { /* storage disabled */ }
    return storeSender(newId());
  }

  function storeSender(id) {
    try { localStorage.setItem(SENDER_KEY, id); } catch (_) { /* ignore */ }
    return id;
  }

  function loadHistory() {
    try {
      const data = JSON.parse(sessionStorage.getItem(TRANSCRIPT_KEY) || "[]");
      if (!Array.isArray(data)) return [];
      return data.filter((e) => e && typeof e === "object" && Object.prototype.hasOwnProperty.call(PREFIX, e.who)).slice(-MAX_STORED);
    } catch (_) {
      return [];
    }
  }

  function saveHistory() {
    if (history.length > MAX_STORED) history = history.slice(-MAX_STORED);
    try { sessionStorage.setItem(TRANSCRIPT_KEY, JSON.stringify(history)); } catch (_) { /* ignore */ }
  }

  // ---- rendering ---------------------------------------------------------
  function safeUrl(raw) {
    try {
      const url = new URL(raw, window.location.href);
      return url.protocol === "http:" || url.protocol === "https:" ? url.href : null;
    } catch (_) {
      return null;
    }
  }

  // Appends text to el, turning http(s) URLs into links — no innerHTML.
  function appendLinkified(el, text) {
    let last = 0;
    for (const match of text.matchAll(URL_RE)) {
      const raw = match[0].replace(/[.,;:!?)\]’']+$/, "");
      const href = safeUrl(raw);
      if (!href) continue;
      el.append(document.createTextNode(text.slice(last, match.index)));
      const a = document.createElement("a");
      a.href = href;
      a.textContent = raw;
      a.target = "_blank";
      a.rel = "noopener";
      el.append(a);
      last = match.index + raw.length;
    }
    el.append(document.createTextNode(text.slice(last)));
  }

  function scrollToEnd() {
    log.scrollTop = log.scrollHeight;
  }

  function render(entry) {
    if (entry.text || entry.image) {
      const msg = document.createElement("div");
      msg.className = `message message--${entry.who}`;
      if (entry.welcome) msg.classList.add("message--welcome");
      const prefix = document.createElement("span");
      prefix.className = "visually-hidden";
      prefix.textContent = PREFIX[entry.who];
      msg.append(prefix);
      if (entry.text) {
        const body = document.createElement("div");
        body.className = "message__text";
        if (entry.who === "bot") appendLinkified(body, String(entry.text));
        else body.textContent = String(entry.text);
        msg.append(body);
      }
      const src = entry.image && safeUrl(entry.image);
      if (src) {
        const img = document.createElement("img");
        img.className = "message__image";
        img.alt = "Image envoyée par l’assistant";
        img.src = src;
        img.addEventListener("load", scrollToEnd, { once: true });
        msg.append(img);
      }
      log.insertBefore(msg, typing);
    }
    if (Array.isArray(entry.buttons) && entry.buttons.length) renderChoices(entry);
    scrollToEnd();
  }

  function renderChoices(entry) {
    const group = document.createElement("div");
    group.className = "choices";
    group.setAttribute("role", "group");
    group.setAttribute("aria-label", "Choix proposés");
    for (const b of entry.buttons) {
      const button = document.createElement("button");
      button.type = "button";
      button.className = "choice";
      button.textContent = b.title;
      button.disabled = Boolean(entry.used);
      button.addEventListener("click", () => {
        if (pending) return;
        for (const other of group.querySelectorAll("button")) other.disabled = true;
        entry.used = true;
        saveHistory();
        input.focus();
        send(b.payload || b.title, b.title);
      });
      group.append(button);
    }
    log.insertBefore(group, typing);
  }

  function add(entry) {
    history.push(entry);
    saveHistory();
    render(entry);
  }

  function setPending(on) {
    pending = on;
    sendButton.disabled = on;
    if (on && !typing) {
      typing = document.createElement("div");
      typing.className = "typing";
      typing.textContent = "L’assistant écrit…";
      log.append(typing);
      scrollToEnd();
    } else if (!on && typing) {
      typing.remove();
      typing = null;
    }
  }

  // ---- network -----------------------------------------------------------
  function toEntry(m) {
    if (!m || typeof m !== "object") return null;
    const entry = { who: "bot" };
    if (typeof m.text === "string" && m.text.trim()) entry.text = m.text;
    if (typeof m.image === "string" && m.image) entry.image = m.image;
    if (Array.isArray(m.buttons)) {
      const buttons = m.buttons
        .filter((b) => b && typeof b.title === "string" && b.title.trim())
        .map((b) => ({ title: b.title, payload: typeof b.payload === "string" ? b.payload : "" }));
      if (buttons.length) entry.buttons = buttons;
    }
    return entry.text || entry.image || entry.buttons ? entry : null;
  }

  async function send(message, shown, metadata) {
    if (pending) return;
    add({ who: "resident", text: shown || message });
    const gen = generation;
    setPending(true);
    try {
      const res = await fetch(API, {
        method: "POST",
        headers: { "Content-Type": "application/json", Accept: "application/json" },
        body: JSON.stringify(metadata ? { sender, message, metadata } : { sender, message }),
      });
      let data = null;
      try { data = await res.json(); } catch (_) { data = null; }
      if (gen !== generation) return;
      setPending(false);
      if (!res.ok || !Array.isArray(data)) {
        const text = data && typeof data.error === "string" && data.error.trim();
        add({ who: "system", text: text || GENERIC_ERROR });
        return;
      }
      for (const m of data) {
        const entry = toEntry(m);
        if (entry) add(entry);
      }
    } catch (_) {
      if (gen !== generation) return;
      setPending(false);
      add({ who: "system", text: NETWORK_ERROR });
    }
  }

  // An agent's replies (and handoff notices) are fetched: nothing can push to a web page.
  function lastPushed() {
    try {
      const saved = JSON.parse(localStorage.getItem(PUSHED_KEY) || "{}");
      return saved && saved.sender === sender && Number.isInteger(saved.last) ? saved.last : 0;
    } catch (_) { return 0; }
  }

  async function poll() {
    const gen = generation;
    try {
      const res = await fetch(`/api/chat/${encodeURIComponent(sender)}/messages?apres=${lastPushed()}`,
        { headers: { Accept: "application/json" }, cache: "no-store" });
      if (!res.ok || gen !== generation) return;
      const data = await res.json();
      if (!data || !Array.isArray(data.messages)) return;
      for (const m of data.messages) {
        if (typeof m.text === "string" && m.text.trim()) {
          add({ who: m.author === "agent" ? "agent" : "system", text: m.text });
        }
      }
      if (Number.isInteger(data.last)) {
        try { localStorage.setItem(PUSHED_KEY, JSON.stringify({ sender, last: data.last })); } catch (_) { /* ignore */ }
      }
    } catch (_) { /* offline: the next poll retries */ }
  }

  // A photo is checked and cleaned by the server first; the message then names it.
  async function sendPhoto(file) {
    if (!file || pending) return;
    const accepted = ["image/jpeg", "image/png", "image/webp"];
    if (!accepted.includes(file.type)) {
      add({ who: "system", text: "Seules les photos JPEG, PNG ou WebP sont acceptées." });
      return;
    }
    setPending(true);
    try {
      // The photo belongs to this conversation: only it may attach it to a report.
      const res = await fetch(`/api/photos?sender=${encodeURIComponent(sender)}`,
        { method: "POST", headers: { "Content-Type": file.type }, body: file });
      let data = null;
      try { data = await res.json(); } catch (_) { data = null; }
      setPending(false);
      if (!res.ok || !data || data.photo === undefined) {
        const text = data && typeof data.error === "string" && data.error.trim();
        add({ who: "system", text: text || GENERIC_ERROR });
        return;
      }
      send("Photo jointe", "Photo jointe", { photo: data.photo });
    } catch (_) {
      setPending(false);
      add({ who: "system", text: NETWORK_ERROR });
    }
  }

  function sharePosition() {
    if (!navigator.geolocation) {
      add({ who: "system", text: "Votre navigateur ne peut pas partager votre position." });
      return;
    }
    navigator.geolocation.getCurrentPosition(
      (pos) => send("Position partagée", "Position partagée",
        { location: { lat: pos.coords.latitude, lon: pos.coords.longitude } }),
      () => add({ who: "system", text: "Position non disponible : indiquez plutôt le nom de la rue." }),
      { enableHighAccuracy: true, timeout: 15000 },
    );
  }

  function submitComposer() {
    const text = input.value.trim();
    input.focus();
    if (!text || pending) return;
    input.value = "";
    send(text);
  }

  function start() {
    log.replaceChildren();
    if (!history.length) {
      history.push({ who: "bot", text: WELCOME, welcome: true });
      saveHistory();
    }
    history.forEach(render);
  }

  // ---- events ------------------------------------------------------------
  form.addEventListener("submit", (e) => {
    e.preventDefault();
    submitComposer();
  });

  input.addEventListener("keydown", (e) => {
    if (e.key === "Enter" && !e.shiftKey && !e.isComposing) {
      e.preventDefault();
      submitComposer();
    }
  });

  const photoInput = document.getElementById("photo");
  photoInput.addEventListener("change", () => {
    const file = photoInput.files && photoInput.files[0];
    photoInput.value = "";
    sendPhoto(file);
  });
  document.getElementById("locate").addEventListener("click", sharePosition);

  resetButton.addEventListener("click", () => {
    generation += 1;
    setPending(false);
    sender = storeSender(newId());
    history = [];
    try { sessionStorage.removeItem(TRANSCRIPT_KEY); } catch (_) { /* ignore */ }
    start();
    input.value = "";
    input.focus();
  });

  start();
  poll();
  setInterval(poll, POLL_MS);
})();
