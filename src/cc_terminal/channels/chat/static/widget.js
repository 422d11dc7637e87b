/* cc-terminal chat widget: one <script src=".../widget.js"> tag adds the chat button and
 * panel. No framework, no build step. Everything a visitor or an operator wrote is put into
 * the page with textContent, never as HTML. The conversation's token lives in
 * sessionStorage; a dropped socket reconnects with backoff, presents the token and the last
 * line seen, and sends again what was not acknowledged, under the same client id. */
(function () {
  "use strict";
  var script = document.currentScript;
  if (!script || window.ccChatWidget) { return; }
  var base = new URL(script.src, window.location.href);
  var socketUrl = (base.protocol === "https:" ? "wss://" : "ws://") + base.host + "/ws";
  var pageLang = script.getAttribute("data-lang") || document.documentElement.lang || "en";
  var lang = pageLang.slice(0, 2).toLowerCase() === "cs" ? "cs" : "en";
  var privacyUrl = script.getAttribute("data-privacy") || "";
  var topics = [];
  try { topics = JSON.parse(script.getAttribute("data-topics") || "[]"); } catch (e) { topics = []; }
  if (!Array.isArray(topics)) { topics = []; }

  var TEXTS = {
    en: {
      open: "Chat with us", title: "Chat", hide: "Close the chat window",
      name: "Your name", contact: "E-mail or phone", topic: "Topic", anyTopic: "Anything else",
      consent: "I have read the privacy notice", privacy: "privacy notice",
      start: "Start the chat", leave: "Send the message", leaveText: "Your message",
      busy: "Everyone is busy right now. Leave us a message and we will get back to you.",
      connecting: "Connecting…", reconnecting: "Connection lost, reconnecting…",
      typing: "The consultant is typing…", operator: "Consultant", send: "Send",
      input: "Write a message", end: "End the chat", sent: "sent", delivered: "delivered",
      read: "read", waiting: "not sent yet", left: "Thank you, your message was passed on.",
      closed: "The chat has ended. Thank you.", again: "New chat", failed: "Not sent: ",
      transcript: "E-mail me the transcript", transcriptTo: "The transcript is on its way to "
    },
    cs: {
      open: "Napište nám", title: "Chat", hide: "Zavřít okno chatu",
      name: "Vaše jméno", contact: "E-mail nebo telefon", topic: "Téma", anyTopic: "Něco jiného",
      consent: "Četl(a) jsem zásady ochrany osobních údajů", privacy: "zásady ochrany osobních údajů",
      start: "Začít chat", leave: "Odeslat zprávu", leaveText: "Vaše zpráva",
      busy: "Všichni konzultanti jsou teď obsazení. Zanechte nám zprávu, ozveme se vám.",
      connecting: "Připojuji…", reconnecting: "Spojení přerušeno, připojuji znovu…",
      typing: "Konzultant píše…", operator: "Konzultant", send: "Odeslat",
      input: "Napište zprávu", end: "Ukončit chat", sent: "odesláno", delivered: "doručeno",
      read: "přečteno", waiting: "zatím neodesláno", left: "Děkujeme, vaši zprávu jsme předali.",
      closed: "Chat skončil. Děkujeme.", again: "Nový chat", failed: "Neodesláno: ",
      transcript: "Poslat přepis e-mailem", transcriptTo: "Přepis chatu posíláme na "
    }
  };
  var t = TEXTS[lang];
  var KEY = "cc-chat:" + base.host + ":";
  var FIELDS = ["name", "contact", "topic", "consent", "text"];

  function load(name) {
    try { return JSON.parse(window.sessionStorage.getItem(KEY + name)); } catch (e) { return null; }
  }
  function save(name, value) {
    try { window.sessionStorage.setItem(KEY + name, JSON.stringify(value)); } catch (e) { /* private mode */ }
  }
  function forget(name) {
    try { window.sessionStorage.removeItem(KEY + name); } catch (e) { /* private mode */ }
  }
  function el(tag, props, children) {
    var node = document.createElement(tag);
    Object.keys(props || {}).forEach(function (key) {
      if (key === "text") { node.textContent = props[key]; } else { node.setAttribute(key, props[key]); }
    });
    (children || []).forEach(function (child) { node.appendChild(child); });
    return node;
  }
  function newId() {
    if (window.crypto && window.crypto.randomUUID) { return window.crypto.randomUUID(); }
    var bytes = new Uint8Array(16);
    window.crypto.getRandomValues(bytes);
    return Array.prototype.map.call(bytes, function (b) { return ("0" + b.toString(16)).slice(-2); }).join("");
  }

  var state = {
    token: load("token") || "", conversation: load("conversation") || "",
    pending: load("pending") || [], lastSeq: 0, socket: null, retry: 0, timer: null,
    waiting: null, open: false, done: false, typedAt: 0, readSeq: 0, operatorSeq: 0,
    mail: load("mail") === true, ended: ""  /* ended: a closed chat's token, for its transcript */
  };

  var link = el("link", { rel: "stylesheet", href: new URL("widget.css", base).href });
  document.head.appendChild(link);

  /* The parts of the panel. */
  var openButton = el("button", { id: "cc-chat-open", type: "button", text: t.open });
  var hideButton = el("button", { id: "cc-chat-hide", type: "button", "aria-label": t.hide, text: "×" });
  var status = el("div", { id: "cc-chat-status", role: "status" });
  var busyNote = el("p", { id: "cc-chat-busy-note", text: t.busy, hidden: "" });
  var inputs = {
    name: el("input", { id: "cc-chat-name", type: "text", maxlength: "120", autocomplete: "name" }),
    contact: el("input", { id: "cc-chat-contact", type: "text", maxlength: "254", autocomplete: "email" }),
    topic: el("select", { id: "cc-chat-topic" }),
    consent: el("input", { id: "cc-chat-consent", type: "checkbox" }),
    text: el("textarea", { id: "cc-chat-leave-text", rows: "4", maxlength: "4000" })
  };
  inputs.topic.appendChild(el("option", { value: "", text: t.anyTopic }));
  topics.forEach(function (topic) {
    if (Array.isArray(topic) && topic.length === 2) {
      inputs.topic.appendChild(el("option", { value: String(topic[0]), text: String(topic[1]) }));
    }
  });
  var errors = {};
  FIELDS.concat(["form"]).forEach(function (field) {
    errors[field] = el("div", { id: "cc-chat-error-" + field, "class": "cc-error", role: "alert" });
  });
  var consentLabel = el("label", { "class": "cc-consent", "for": "cc-chat-consent" }, [inputs.consent]);
  consentLabel.appendChild(document.createTextNode(" " + t.consent));
  if (privacyUrl) {
    consentLabel.appendChild(document.createTextNode(" ("));
    consentLabel.appendChild(el("a", { href: privacyUrl, target: "_blank", rel: "noopener", text: t.privacy }));
    consentLabel.appendChild(document.createTextNode(")"));
  }
  var leaveLabel = el("label", { "for": "cc-chat-leave-text", text: t.leaveText });
  var submit = el("button", { id: "cc-chat-start", type: "submit", text: t.start });
  var form = el("form", { id: "cc-chat-form", novalidate: "" }, [
    busyNote,
    el("label", { "for": "cc-chat-name", text: t.name }), inputs.name, errors.name,
    el("label", { "for": "cc-chat-contact", text: t.contact }), inputs.contact, errors.contact,
    el("label", { "for": "cc-chat-topic", text: t.topic }), inputs.topic, errors.topic,
    consentLabel, errors.consent, leaveLabel, inputs.text, errors.text, errors.form, submit
  ]);
  if (!topics.length) { inputs.topic.previousSibling.hidden = true; inputs.topic.hidden = true; }
  var log = el("ol", { id: "cc-chat-log", "aria-live": "polite" });
  var typing = el("div", { id: "cc-chat-typing" });
  var input = el("textarea", { id: "cc-chat-input", "aria-label": t.input, placeholder: t.input, maxlength: "4000" });
  var sendButton = el("button", { id: "cc-chat-send", type: "button", text: t.send });
  var endButton = el("button", { id: "cc-chat-end", type: "button", "class": "cc-quiet", text: t.end });
  var conversation = el("div", { id: "cc-chat-conversation", hidden: "" }, [log]);
  var compose = el("div", { id: "cc-chat-compose", hidden: "" }, [input, sendButton]);
  /* The transcript by e-mail, to the address of the pre-chat form (the gateway sends it
   * nowhere else): during the chat beside "End", and after it ended. */
  var transcriptButton = el("button", { id: "cc-chat-transcript", type: "button", "class": "cc-quiet", text: t.transcript });
  var transcriptNote = el("div", { id: "cc-chat-transcript-note", role: "status" });
  var actions = el("div", { id: "cc-chat-actions", hidden: "" }, [endButton]);
  var doneText = el("p", { id: "cc-chat-done-text" });
  var againButton = el("button", { id: "cc-chat-again", type: "button", text: t.again });
  var done = el("div", { id: "cc-chat-done", hidden: "" }, [doneText, againButton]);
  var transcriptRow = el("div", { id: "cc-chat-transcript-row", hidden: "" }, [transcriptButton, transcriptNote]);
  var body = el("div", { id: "cc-chat-body" }, [form, conversation, done]);
  var panel = el("section", { id: "cc-chat-panel", hidden: "", "aria-label": t.title }, [
    el("div", { id: "cc-chat-head" }, [el("span", { text: t.title }), hideButton]),
    status, body, typing, compose, actions, transcriptRow
  ]);
  var root = el("div", { id: "cc-chat-root", lang: lang }, [openButton, panel]);

  function show(view) {
    form.hidden = view !== "form" && view !== "leave";
    conversation.hidden = view !== "chat";
    compose.hidden = view !== "chat";
    actions.hidden = view !== "chat";
    typing.hidden = view !== "chat";
    done.hidden = view !== "done";
    transcriptRow.hidden = !state.mail || (view !== "chat" && !(view === "done" && state.ended));
    var leaving = view === "leave";
    busyNote.hidden = !leaving;
    leaveLabel.hidden = !leaving;
    inputs.text.hidden = !leaving;
    submit.textContent = leaving ? t.leave : t.start;
    form.setAttribute("data-mode", leaving ? "leave" : "start");
  }

  function clearErrors() {
    Object.keys(errors).forEach(function (field) { errors[field].textContent = ""; });
  }

  /* The socket: one at a time, reconnecting with backoff while the panel is open. */
  function connect() {
    if (state.socket || state.done) { return; }
    status.textContent = state.retry ? t.reconnecting : t.connecting;
    var socket = new WebSocket(socketUrl);
    state.socket = socket;
    socket.onopen = function () {
      state.retry = 0;
      status.textContent = "";
      if (state.token) {
        sendFrame({ type: "resume", token: state.token, after: state.lastSeq, conversation: state.conversation, language: lang });
      } else if (state.waiting) {
        sendFrame(state.waiting);
      }
    };
    socket.onmessage = function (event) {
      var frame;
      try { frame = JSON.parse(event.data); } catch (e) { return; }
      if (frame && typeof frame.type === "string" && handlers[frame.type]) { handlers[frame.type](frame); }
    };
    socket.onclose = function () {
      state.socket = null;
      if (state.done || !state.open) { return; }
      status.textContent = t.reconnecting;
      var delay = Math.min(5000, 300 * Math.pow(2, state.retry)) + Math.random() * 300;
      state.retry += 1;
      state.timer = window.setTimeout(connect, delay);
    };
  }

  function sendFrame(frame) {
    if (state.socket && state.socket.readyState === WebSocket.OPEN) {
      state.socket.send(JSON.stringify(frame));
      return true;
    }
    return false;
  }

  function resend(clientId) {
    state.pending.forEach(function (item) {
      if (item.client_id === clientId) { sendFrame({ type: "message", client_id: item.client_id, text: item.text }); }
    });
  }

  function sendPending() {
    state.pending.forEach(function (item) {
      sendFrame({ type: "message", client_id: item.client_id, text: item.text });
    });
  }

  /* The conversation's lines, one element per seq, in order; the visitor's own, until
   * stored, by client id at the end. Keys are looked up in a map, never in a selector. */
  var elements = {};

  function lineElement(key, author, seq) {
    var item = elements[key];
    if (!item) {
      item = el("li", { "class": "cc-" + author }, [
        el("span", { "class": "cc-who" }), el("span", { "class": "cc-text" }), el("span", { "class": "cc-mark" })
      ]);
      elements[key] = item;
      log.insertBefore(item, seq ? laterThan(seq) : null);
    }
    return item;
  }

  function laterThan(seq) {
    for (var child = log.firstChild; child; child = child.nextSibling) {
      var other = Number(child.getAttribute("data-seq") || 0);
      if (!other || other > seq) { return child; }
    }
    return null;
  }

  function rekey(clientId, seq) {
    var item = elements["c:" + clientId];
    if (item && !elements["s:" + seq]) {
      delete elements["c:" + clientId];
      elements["s:" + seq] = item;
      item.setAttribute("data-seq", String(seq));
      log.insertBefore(item, laterThan(seq) === item ? item.nextSibling : laterThan(seq));
    }
    return item;
  }

  function setMark(item, words, read) {
    var mark = item.querySelector(".cc-mark");
    mark.textContent = words === t.waiting ? "…" : (words === t.sent ? "✓" : "✓✓");
    mark.setAttribute("title", words);
    mark.className = read ? "cc-mark cc-read" : "cc-mark";
    item.setAttribute("data-mark", words === t.waiting ? "waiting" : (words === t.sent ? "sent" : (read ? "read" : "delivered")));
  }

  function showPending(item) {
    var element = lineElement("c:" + item.client_id, "visitor", 0);
    element.querySelector(".cc-text").textContent = item.text;
    setMark(element, t.waiting, false);
  }

  function showLine(line) {
    if (line.author === "visitor") { rekey(line.client_id, line.seq); }
    var author = line.author === "visitor" || line.author === "operator" ? line.author : "system";
    var item = lineElement("s:" + line.seq, author, line.seq);
    item.setAttribute("data-seq", String(line.seq));
    item.querySelector(".cc-text").textContent = String(line.text);
    item.querySelector(".cc-who").textContent = line.author === "operator" ? (line.operator_label || t.operator) : "";
    if (line.author === "visitor") {
      setMark(item, line.read ? t.read : (line.delivered ? t.delivered : t.sent), line.read);
      dropPending(line.client_id);
    } else {
      item.querySelector(".cc-mark").textContent = "";
    }
    state.lastSeq = Math.max(state.lastSeq, line.seq);
    log.parentNode.parentNode.scrollTop = log.scrollHeight;
    if (line.author === "operator") { state.operatorSeq = Math.max(state.operatorSeq, line.seq); }
    markRead();
  }

  /* The operator's lines count as read once the panel shows them in a visible tab. */
  function markRead() {
    if (state.operatorSeq > state.readSeq && state.open && !document.hidden) {
      if (sendFrame({ type: "read", seq: state.operatorSeq })) { state.readSeq = state.operatorSeq; }
    }
  }

  function dropPending(clientId) {
    var before = state.pending.length;
    state.pending = state.pending.filter(function (item) { return item.client_id !== clientId; });
    if (state.pending.length !== before) { save("pending", state.pending); }
  }

  function finish(words) {
    state.done = true;
    state.ended = state.token;
    state.token = "";
    state.pending = [];
    ["token", "conversation", "pending"].forEach(forget);
    doneText.textContent = words;
    show("done");
    if (state.socket) { state.socket.close(); }
  }

  var handlers = {
    started: function (frame) {
      state.token = String(frame.token);
      state.conversation = String(frame.conversation || "");
      state.waiting = null;
      save("token", state.token);
      save("conversation", state.conversation);
      show("chat");
      input.focus();
      sendPending();
    },
    resumed: function () { show("chat"); sendPending(); },
    busy: function () { state.waiting = null; show("leave"); inputs.text.focus(); },
    left: function () { state.waiting = null; state.mail = false; finish(t.left); },
    transcript: transcriptSent,
    closed: function () { finish(t.closed); },
    line: showLine,
    ack: function (frame) {
      var item = rekey(frame.client_id, frame.seq);
      if (item && item.getAttribute("data-mark") === "waiting") { setMark(item, t.sent, false); }
      dropPending(frame.client_id);
    },
    typing: function (frame) { typing.textContent = frame.on ? t.typing : ""; },
    error: function (frame) {
      var message = String(frame.message || "");
      if (frame.field === "transcript" || frame.field === "address") {
        transcriptNote.textContent = message;
        transcriptNote.className = "cc-error";
      } else if (frame.client_id && frame.field === "store") {
        /* The store did not answer: the message stays unsent and goes again shortly. */
        window.setTimeout(function () { resend(frame.client_id); }, 3000);
      } else if (frame.client_id) {
        var item = elements["c:" + frame.client_id];
        if (item) { item.classList.add("cc-failed"); item.querySelector(".cc-mark").textContent = t.failed + message; }
        dropPending(frame.client_id);
      } else if (frame.field === "token") {
        state.token = "";
        state.pending = [];
        log.textContent = "";
        elements = {};
        ["token", "conversation", "pending"].forEach(forget);
        show("form");
        errors.form.textContent = message;
      } else if (errors[frame.field]) {
        state.waiting = null;
        errors[frame.field].textContent = message;
      } else {
        state.waiting = null;
        errors.form.textContent = message;
        status.textContent = form.hidden ? message : "";
      }
    }
  };

  function submitForm(event) {
    event.preventDefault();
    clearErrors();
    var filled = {
      name: inputs.name.value, contact: inputs.contact.value, topic: inputs.topic.value,
      consent: inputs.consent.checked, language: lang
    };
    state.mail = filled.contact.indexOf("@") >= 0;
    save("mail", state.mail);
    if (form.getAttribute("data-mode") === "leave") {
      state.waiting = { type: "leave", form: filled, text: inputs.text.value };
    } else {
      state.waiting = { type: "start", form: filled };
    }
    if (!sendFrame(state.waiting)) { connect(); }
  }

  function sendMessage() {
    var text = input.value;
    if (!text.trim()) { return; }
    var item = { client_id: newId(), text: text };
    state.pending.push(item);
    save("pending", state.pending);
    showPending(item);
    input.value = "";
    sendFrame({ type: "message", client_id: item.client_id, text: text });
  }

  function transcriptSent(frame) {
    transcriptNote.textContent = t.transcriptTo + String(frame.to || "") + ".";
    transcriptNote.className = "";
  }

  /* Asked for after the chat ended: its own short socket, which presents the token. */
  function askForTranscript() {
    var frame = { type: "transcript", token: state.token || state.ended, language: lang };
    transcriptNote.textContent = "";
    if (state.token) { sendFrame(frame); return; }
    var once = new WebSocket(socketUrl);
    once.onopen = function () { once.send(JSON.stringify(frame)); };
    once.onmessage = function (event) {
      var answer;
      try { answer = JSON.parse(event.data); } catch (e) { return; }
      if (answer && answer.type === "transcript") { transcriptSent(answer); once.close(); }
      if (answer && answer.type === "error") { handlers.error({ field: "transcript", message: answer.message }); once.close(); }
    };
  }

  function openPanel() {
    state.open = true;
    panel.hidden = false;
    openButton.hidden = true;
    if (state.done) { return; }
    show(state.token ? "chat" : "form");
    state.pending.forEach(showPending);
    connect();
    (state.token ? input : inputs.name).focus();
  }

  openButton.addEventListener("click", openPanel);
  document.addEventListener("visibilitychange", markRead);
  panel.addEventListener("keydown", function (event) {
    if (event.key === "Escape") { hideButton.click(); openButton.focus(); }
  });
  hideButton.addEventListener("click", function () {
    state.open = false;
    panel.hidden = true;
    openButton.hidden = false;
    window.clearTimeout(state.timer);
    if (state.socket) { state.socket.close(); }
  });
  form.addEventListener("submit", submitForm);
  sendButton.addEventListener("click", sendMessage);
  endButton.addEventListener("click", function () { sendFrame({ type: "close" }); });
  transcriptButton.addEventListener("click", askForTranscript);
  againButton.addEventListener("click", function () {
    state.done = false;
    state.ended = "";
    transcriptNote.textContent = "";
    state.lastSeq = 0;
    state.readSeq = 0;
    state.operatorSeq = 0;
    log.textContent = "";
    elements = {};
    show("form");
    connect();
  });
  input.addEventListener("keydown", function (event) {
    if (event.key === "Enter" && !event.shiftKey) { event.preventDefault(); sendMessage(); }
  });
  input.addEventListener("input", function () {
    var now = Date.now();
    if (now - state.typedAt > 1500) { state.typedAt = now; sendFrame({ type: "typing" }); }
  });

  function mount() {
    document.body.appendChild(root);
    if (state.token) { openPanel(); }
  }
  window.ccChatWidget = { open: openPanel };
  if (document.body) { mount(); } else { document.addEventListener("DOMContentLoaded", mount); }
}());
