// The sandbox's web chat: customers on the left, their chat in the middle, the ops chat, the Mailbox (the emails
// customers received, each shown as their mail client would: its HTML in a sandboxed frame, no scripts) and the
// suppliers' controls (each product's sources, the generic simulator, the Reloadly simulator, a stock file upload)
// on the right (on a phone: one of them at a time, behind tabs). Plain HTML and JS, no build step; it talks to
// /sandbox/api/*. Whatever a message holds (3,000 characters without a space), it wraps: the panels keep their width.
export const CHAT_PAGE = /* html */ `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Code Shop · sandbox</title>
<link rel="icon" href="/favicon.svg" type="image/svg+xml">
<style>
  :root { --bg:#0e1621; --panel:#17212b; --bubble:#182533; --mine:#2b5278; --text:#e9edf1; --muted:#7f91a4; --accent:#5eb5f7; --warn:#f5a623; }
  * { box-sizing: border-box; }
  body { margin:0; font:14px/1.45 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; background:var(--bg); color:var(--text); height:100vh; height:100dvh; overflow:hidden; display:grid; grid-template-columns: 210px minmax(0, 1fr) minmax(0, 1fr); }
  aside, section { display:flex; flex-direction:column; min-height:0; min-width:0; border-right:1px solid #0b121a; }
  header { padding:10px 14px; background:var(--panel); font-weight:600; display:flex; flex-wrap:wrap; gap:0 8px; align-items:center; justify-content:space-between; }
  header small { color:var(--muted); font-weight:400; }
  .customers { flex:1; overflow:auto; }
  .customer { padding:10px 14px; cursor:pointer; border-bottom:1px solid #0b121a; }
  .customer.active { background:var(--mine); }
  .customer small { color:var(--muted); display:block; }
  .new { padding:10px; display:flex; gap:6px; }
  .new select { flex:1; min-width:0; }
  .messages { flex:1; overflow-y:auto; overflow-x:hidden; padding:12px; display:flex; flex-direction:column; gap:6px; }
  .msg { max-width:85%; min-width:0; padding:7px 10px; border-radius:10px; background:var(--bubble); white-space:pre-wrap; overflow-wrap:anywhere; }
  .msg.mine { align-self:flex-end; background:var(--mine); }
  .msg .who { color:var(--accent); font-size:12px; }
  .msg code { background:#0b121a; padding:1px 4px; border-radius:4px; cursor:copy; font-family:ui-monospace, monospace; }
  .msg a { color:var(--accent); }
  .kb { display:grid; gap:4px; margin-top:6px; }
  .kb .row { display:flex; gap:4px; }
  .kb button { flex:1; min-width:0; overflow-wrap:anywhere; background:#22303f; color:var(--text); border:0; border-radius:6px; padding:7px 6px; cursor:pointer; font:inherit; }
  .kb button:hover { background:#2b3d50; }
  .kb button.url::after { content:" ↗"; color:var(--muted); }
  .kb button.pay { background:var(--accent); color:#06121d; font-weight:600; }
  .msg.invoice { border-left:3px solid var(--warn); }
  form.compose { display:flex; gap:6px; padding:10px; background:var(--panel); }
  form.compose input { flex:1; min-width:0; background:#0b121a; color:var(--text); border:1px solid #22303f; border-radius:8px; padding:8px 10px; font:inherit; }
  button.primary, .new button, form.compose button { background:var(--accent); color:#06121d; border:0; border-radius:8px; padding:8px 12px; font-weight:600; cursor:pointer; }
  select { background:#0b121a; color:var(--text); border:1px solid #22303f; border-radius:6px; padding:5px; font:inherit; }
  .right { display:grid; grid-template-rows: minmax(0, 1fr) auto auto; min-height:0; min-width:0; }
  .mailbox { background:var(--panel); border-top:1px solid #0b121a; min-width:0; }
  .mailbox summary { padding:8px 12px; cursor:pointer; font-weight:600; }
  .mailbox summary small { color:var(--muted); font-weight:400; }
  .mailbox .list { max-height:12vh; overflow:auto; }
  .mailbox[open] ~ .supplier { max-height:22vh; }
  .mail { padding:6px 12px; border-bottom:1px solid #0b121a; cursor:pointer; font-size:13px; overflow-wrap:anywhere; }
  .mail.active { background:var(--mine); }
  .mail small { color:var(--muted); display:block; }
  .mailbox iframe { width:100%; height:28vh; border:0; background:#fff; display:block; }
  header button.toggle { background:#22303f; color:var(--text); border:0; border-radius:6px; padding:4px 8px; font:inherit; font-size:12px; cursor:pointer; }
  .ops { display:flex; flex-direction:column; min-height:0; }
  .supplier { max-height:42vh; overflow:auto; background:var(--panel); padding:8px 12px; border-top:1px solid #0b121a; }
  .supplier table { width:100%; border-collapse:collapse; font-size:12px; }
  .supplier td { padding:3px 4px; border-bottom:1px solid #0b121a; }
  .supplier h4 { margin:10px 0 4px; font-size:13px; }
  .supplier .route { color:var(--muted); }
  .supplier form { display:flex; gap:6px; align-items:center; flex-wrap:wrap; }
  .supplier input[type=text] { background:#0b121a; color:var(--text); border:1px solid #22303f; border-radius:6px; padding:4px 6px; font:inherit; }
  .toast { position:fixed; left:50%; top:14px; transform:translateX(-50%); background:#000c; padding:9px 16px; border-radius:8px; display:none; z-index:9; max-width:60vw; }
  .toast.show { display:block; }
  .hint { color:var(--muted); padding:12px; }
  .replying { color:var(--warn); font-size:12px; padding:0 10px 6px; background:var(--panel); display:none; overflow-wrap:anywhere; }
  nav.tabs { display:none; background:var(--panel); border-bottom:1px solid #0b121a; }
  nav.tabs button { flex:1; background:none; color:var(--muted); border:0; border-bottom:2px solid transparent; padding:10px 4px; font:inherit; font-weight:600; cursor:pointer; }
  body[data-tab="customers"] nav.tabs [data-tab="customers"], body[data-tab="chat"] nav.tabs [data-tab="chat"],
  body[data-tab="ops"] nav.tabs [data-tab="ops"], body[data-tab="supplier"] nav.tabs [data-tab="supplier"],
  body[data-tab="mail"] nav.tabs [data-tab="mail"] { color:var(--text); border-bottom-color:var(--accent); }
  /* A phone: one panel at a time, the tabs choose which. */
  @media (max-width: 760px) {
    body { display:flex; flex-direction:column; }
    nav.tabs { display:flex; }
    .right { display:contents; }
    aside, section.chat, section.ops, .supplier, .mailbox { display:none; flex:1; min-height:0; border:0; }
    .supplier, .mailbox[open] ~ .supplier { max-height:none; }
    body[data-tab="mail"] .mailbox { display:block; overflow:auto; }
    .mailbox iframe { height:60vh; }
    body[data-tab="customers"] aside, body[data-tab="chat"] section.chat, body[data-tab="ops"] section.ops { display:flex; }
    body[data-tab="supplier"] .supplier { display:block; }
    .toast { max-width:90vw; }
  }
</style>
</head>
<body data-tab="chat">
<nav class="tabs" id="tabs"><button type="button" data-tab="customers">Customers</button><button type="button" data-tab="chat">Chat</button><button type="button" data-tab="ops">Ops</button><button type="button" data-tab="mail">Mail</button><button type="button" data-tab="supplier">Supplier</button></nav>
<aside>
  <header>Customers</header>
  <div class="customers" id="customers"></div>
  <div class="new">
    <select id="lang" aria-label="language">__LANGUAGES__</select>
    <button id="newCustomer">+ New</button>
  </div>
</aside>
<section class="chat">
  <header><span id="chatTitle">Chat</span><small>the bot as your customer sees it</small><button class="toggle" id="blockToggle" type="button" title="The customer blocks the bot: deliveries fail in Telegram and go by email">🚫 Block the bot</button></header>
  <div class="messages" id="chat" data-testid="customer-chat"><div class="hint">Press + New, or type /start below, to open a customer.</div></div>
  <form class="compose" id="composeCustomer"><input id="customerInput" placeholder="Message…" autocomplete="off"><button>Send</button></form>
</section>
<div class="right">
  <section class="ops">
    <header>Ops chat <small>alerts · admin commands (/review, /stats…)</small></header>
    <div class="messages" id="ops" data-testid="ops-chat"></div>
    <div class="replying" id="replying"></div>
    <form class="compose" id="composeOps"><input id="opsInput" placeholder="/review" autocomplete="off"><button>Send</button></form>
  </section>
  <details class="mailbox" id="mailboxPanel" data-testid="mailbox">
    <summary>✉️ Mailbox <small id="mailCount">the emails customers receive</small></summary>
    <div class="list" id="mailList"></div>
    <iframe id="mailView" title="The email as the customer sees it" sandbox="" referrerpolicy="no-referrer" data-testid="mail-view"></iframe>
  </details>
  <div class="supplier" id="supplier"></div>
</div>
<div class="toast" id="toast"></div>
<script>
const OPS = __OPS_CHAT_ID__, ADMIN = __ADMIN_ID__;
let state = { version: 0, chats: {}, customers: [] };
let current = Number(localStorage.getItem("customer")) || 0;
let opsReplyTo = null;
// The language menu shows the selected customer's language (after a return from the checkout page too),
// set once per selection so that a choice for the next + New is not undone by the next update.
let languageShownFor = null;
const $ = (id) => document.getElementById(id);

function toast(text) { const t = $("toast"); t.textContent = text; t.classList.add("show"); clearTimeout(toast.timer); toast.timer = setTimeout(() => t.classList.remove("show"), 3500); }
async function api(path, body, method) {
  const response = await fetch("/sandbox/api/" + path, { method: method || (body ? "POST" : "GET"), headers: { "content-type": "application/json" }, body: body ? JSON.stringify(body) : undefined });
  if (!response.ok) throw new Error(await response.text());
  return response.json();
}
function escapeHtml(s) { return s.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;"); }
/** Telegram's HTML subset: everything escaped, then b/i/u/s/code/pre/a let through. */
function renderHtml(text) {
  let out = escapeHtml(text);
  out = out.replace(/&lt;(\\/?)(b|i|u|s|code|pre)&gt;/g, "<$1$2>");
  out = out.replace(/&lt;a href="([^"]*)"&gt;/g, (m, href) => '<a href="' + href.replace(/"/g, "") + '" target="_blank" rel="noopener">').replace(/&lt;\\/a&gt;/g, "</a>");
  out = out.replace(/&amp;(lt|gt|amp|quot);/g, "&$1;");
  return out;
}
function deepLink(url) {
  const m = /^https:\\/\\/t\\.me\\/[^?]+\\?start=([A-Za-z0-9_-]{1,64})$/.exec(url);
  return m ? m[1] : null;
}
function openUrl(url) {
  const start = deepLink(url);
  if (start) return send(current, current, "/start " + start);
  const u = new URL(url, location.href);
  const local = ["localhost", "127.0.0.1", location.hostname].includes(u.hostname) && u.port === location.port;
  if (local) { location.href = u.pathname + u.search; return; }
  window.open(url, "_blank", "noopener");
}
const drawnPanels = new WeakMap();
function renderMessages(el, messages, chatId, userId) {
  // Redraw a panel only when its messages changed: a redraw replaces every bubble, losing a text selection
  // and an open 📄 file, and another chat's news must not do that.
  const drawn = JSON.stringify([chatId, messages]);
  if (drawnPanels.get(el) === drawn) return;
  drawnPanels.set(el, drawn);
  const stick = el.scrollTop + el.clientHeight >= el.scrollHeight - 30;
  el.innerHTML = "";
  if (messages.length === 0) el.innerHTML = '<div class="hint">' + (chatId < 0 ? "Alerts will appear here." : "Say /start to open the shop.") + "</div>";
  for (const m of messages) {
    if (m.deleted) continue;
    const div = document.createElement("div");
    div.className = "msg" + (m.from === "bot" ? "" : " mine") + (m.invoice ? " invoice" : "");
    div.dataset.messageId = m.message_id;
    div.innerHTML = (chatId < 0 && m.from !== "bot" ? '<div class="who">admin</div>' : "") + (m.document && m.from !== "bot" ? "📎 " + escapeHtml(m.document.file_name) + "<br>" : "") + renderHtml(m.text);
    // A file the bot sent (codes too long for messages): its name, and its text when opened.
    if (m.document && m.from === "bot") div.insertAdjacentHTML("afterbegin", "<details><summary>📄 " + escapeHtml(m.document.file_name) + "</summary><pre style='white-space:pre-wrap'>" + escapeHtml(m.document.content ?? "") + "</pre></details>");
    if (chatId < 0 && m.from === "bot") div.title = "Click to reply (for ✍ Enter code)";
    div.querySelectorAll("code").forEach((c) => c.addEventListener("click", () => { navigator.clipboard && navigator.clipboard.writeText(c.textContent); toast("Copied"); }));
    if (m.buttons && m.buttons.length) {
      const kb = document.createElement("div"); kb.className = "kb";
      for (const row of m.buttons) {
        const r = document.createElement("div"); r.className = "row";
        for (const b of row) {
          const btn = document.createElement("button"); btn.textContent = b.text; btn.type = "button";
          if (b.url) { btn.className = "url"; btn.onclick = () => openUrl(b.url); }
          else if (b.pay) { btn.className = "pay"; btn.onclick = () => payInvoice(userId, m.message_id); }
          else btn.onclick = () => tap(chatId, userId, m.message_id, b.callback_data);
          r.appendChild(btn);
        }
        kb.appendChild(r);
      }
      div.appendChild(kb);
    }
    if (chatId < 0 && m.from === "bot" && /Reply to this message/.test(m.text)) {
      div.style.cursor = "pointer";
      div.onclick = (e) => { if (e.target.tagName === "BUTTON") return; opsReplyTo = m.message_id; $("replying").style.display = "block"; $("replying").textContent = "Replying to: " + m.text.slice(0, 60) + "… (Esc to stop)"; $("opsInput").focus(); };
    }
    el.appendChild(div);
  }
  if (stick) el.scrollTop = el.scrollHeight;
}
function render() {
  const list = $("customers"); list.innerHTML = "";
  for (const c of state.customers) {
    const div = document.createElement("div");
    div.className = "customer" + (c.id === current ? " active" : "");
    div.innerHTML = escapeHtml(c.first_name) + "<small>id " + c.id + " · " + escapeHtml(c.language || "en") + "</small>";
    div.onclick = () => { select(c.id); showTab("chat"); render(); };
    list.appendChild(div);
  }
  const me = state.customers.find((c) => c.id === current);
  if (me && languageShownFor !== me.id) { $("lang").value = me.language; languageShownFor = me.id; }
  $("chatTitle").textContent = me ? me.first_name : "Chat";
  $("customerInput").placeholder = me ? "Message…" : "/start opens a new customer";
  if (me) renderMessages($("chat"), state.chats[current] || [], current, current);
  else { $("chat").innerHTML = '<div class="hint">Press + New, or type /start below, to open a customer.</div>'; drawnPanels.delete($("chat")); }
  renderMessages($("ops"), state.chats[OPS] || [], OPS, ADMIN);
  renderBlockToggle();
}
async function poll() {
  for (;;) {
    try {
      state = await api("state?since=" + state.version);
      if (current && !state.customers.some((c) => c.id === current)) await adopt(current);
      render();
    } catch (e) { await new Promise((r) => setTimeout(r, 1000)); }
  }
}
/** A customer the page remembers but the sandbox does not (it restarted): the shop's database keeps their language. */
async function adopt(id) { await api("customers", { id }); }
function select(id) { current = id; localStorage.setItem("customer", String(id)); }
function showTab(tab) {
  document.body.dataset.tab = tab;
  // A panel drawn while hidden (a phone shows one at a time) opens at its newest message, as a chat app does.
  requestAnimationFrame(() => { for (const id of ["chat", "ops"]) $(id).scrollTop = $(id).scrollHeight; });
}
async function newCustomer() {
  const c = await api("customers", { language: $("lang").value });
  select(c.id);
  languageShownFor = c.id;
  showTab("chat");
  return c;
}
async function send(chatId, userId, text, replyTo) { await api("send", { chatId, userId, text, replyTo }); }
/** Telegram's payment form for a Stars invoice, in one step: the bot gets pre_checkout_query, then successful_payment. */
async function payInvoice(userId, messageId) {
  const result = await api("pay-invoice", { userId, messageId });
  toast(result.ok ? "Paid in Stars (sandbox: no Stars were spent)" : "Payment refused: " + result.error_message);
}
async function tap(chatId, userId, messageId, data) {
  const result = await api("tap", { chatId, userId, messageId, data });
  if (result.answer && result.answer.text) toast(result.answer.text);
}
$("newCustomer").onclick = async () => {
  await newCustomer();
  await send(current, current, "/start");
};
$("composeCustomer").onsubmit = async (e) => {
  e.preventDefault();
  const v = $("customerInput").value.trim();
  if (!v) return;
  if (!current) {
    // No customer yet: /start opens one, as a new user's first message does in Telegram.
    if (!/^\\/start(\\s|$)/.test(v)) { toast("Press + New (or type /start) to open a customer first"); return; }
    await newCustomer();
  }
  $("customerInput").value = "";
  await send(current, current, v);
};
for (const tab of document.querySelectorAll("#tabs button")) tab.onclick = () => { showTab(tab.dataset.tab); if (tab.dataset.tab === "mail") $("mailboxPanel").open = true; };

// The Mailbox: what the sandbox's mail server received, newest first; the chosen one shown as the customer's mail
// client would, its HTML in a frame with no scripts (sandbox="") and no way back into this page.
let mailbox = { local: true, blocked: [], mails: [] };
let mailShown = null;
/** Chosen by a click: it stays shown; until then the newest is. */
let mailPicked = false;
function showMail(id) {
  const mail = mailbox.mails.find((m) => m.id === id);
  if (!mail) return;
  mailShown = id;
  $("mailView").srcdoc = mail.html || "<pre style='white-space:pre-wrap;font:14px monospace'>" + escapeHtml(mail.text) + "</pre>";
  for (const row of document.querySelectorAll("#mailList .mail")) row.classList.toggle("active", Number(row.dataset.mailId) === id);
}
async function renderMailbox() {
  try { mailbox = await api("mailbox"); } catch (e) { return; }
  $("mailCount").textContent = mailbox.mails.length ? "(" + mailbox.mails.length + ")" : "the emails customers receive";
  const list = $("mailList");
  const ids = mailbox.mails.map((m) => m.id).join(",");
  if (list.dataset.ids !== ids) {
    list.dataset.ids = ids;
    list.innerHTML = "";
    if (!mailbox.local) list.innerHTML = '<div class="hint">Emails go to the mail server in SMTP_URL, not here.</div>';
    else if (mailbox.mails.length === 0) list.innerHTML = '<div class="hint">No email yet. Buy something: its receipt comes here.</div>';
    for (const m of mailbox.mails) {
      const div = document.createElement("div");
      div.className = "mail" + (m.id === mailShown ? " active" : "");
      div.dataset.mailId = m.id;
      div.innerHTML = escapeHtml(m.subject) + "<small>to " + escapeHtml(m.to.join(", ")) + " · " + escapeHtml(new Date(m.receivedAt).toLocaleTimeString()) + "</small>";
      div.onclick = () => { mailPicked = true; showMail(m.id); };
      list.appendChild(div);
    }
    // The newest, until one is chosen.
    if (mailbox.mails.length && (!mailPicked || !mailbox.mails.some((m) => m.id === mailShown))) showMail(mailbox.mails[0].id);
  }
  renderBlockToggle();
}
function renderBlockToggle() {
  const blocked = current && mailbox.blocked.includes(current);
  $("blockToggle").textContent = blocked ? "✅ Unblock the bot" : "🚫 Block the bot";
  $("blockToggle").style.display = current ? "" : "none";
}
$("blockToggle").onclick = async () => {
  if (!current) return;
  const blocked = !mailbox.blocked.includes(current);
  const result = await api("block", { userId: current, blocked });
  mailbox.blocked = result.blocked;
  renderBlockToggle();
  toast(blocked ? "Blocked: the bot cannot write to this customer; codes go by email" : "Unblocked: undelivered codes are sent again");
};
// Open or closed as it was before the checkout page (a page of its own) took the window.
$("mailboxPanel").open = localStorage.getItem("mailbox") === "open";
$("mailboxPanel").addEventListener("toggle", () => localStorage.setItem("mailbox", $("mailboxPanel").open ? "open" : "closed"));
renderMailbox();
setInterval(renderMailbox, 2000);
$("composeOps").onsubmit = async (e) => { e.preventDefault(); const v = $("opsInput").value.trim(); if (!v) return; $("opsInput").value = ""; await send(OPS, ADMIN, v, opsReplyTo || undefined); opsReplyTo = null; $("replying").style.display = "none"; };
document.addEventListener("keydown", (e) => { if (e.key === "Escape") { opsReplyTo = null; $("replying").style.display = "none"; } });

function presetSelect(presets, attrs) {
  return "<select " + attrs + ">" + Object.entries(presets).map(([k, p]) => '<option value="' + k + '">' + escapeHtml(p.label) + "</option>").join("") + "</select>";
}
async function renderSupplier() {
  const s = await api("supplier");
  const routes = s.routing.map((r) => "<tr><td>" + escapeHtml(r.name) + '</td><td class="route">' + r.sources.map(escapeHtml).join(" → ") + "</td></tr>").join("");
  const rows = s.products.map((p) => "<tr><td>" + escapeHtml(p.name) + "</td><td>" + presetSelect(s.presets, 'data-sku="' + p.sku + '"') + "</td></tr>").join("");
  const reloadlyRows = [...s.reloadly.giftcards.map((p) => ["giftcards", p]), ...s.reloadly.topups.map((p) => ["topups", p])]
    .map(([kind, p]) => "<tr><td>" + (kind === "giftcards" ? "🎁 " : "📱 ") + escapeHtml(p.name) + "</td><td>" + presetSelect(s.reloadly.presets, 'data-reloadly="' + kind + "/" + p.id + '"') + "</td></tr>").join("");
  $("supplier").innerHTML =
    "<h4>Where each product comes from (tried in order)</h4><table>" + routes + "</table>" +
    '<h4>Import stock codes (as the admin, in the ops chat)</h4><form id="stockUpload"><input type="file" id="stockFile" accept=".csv,.txt"> <input type="text" id="stockCaption" value="/stock add spotify-10-usd" size="24"> <button class="primary" type="submit">Send file</button></form>' +
    "<h4>Reloadly simulator · balance <span id=reloadlyBalance>" + (s.reloadly.balance.amount / 100).toFixed(2) + " " + s.reloadly.balance.currency + "</span></h4>" +
    '<button class="primary" id="reloadlyLow" type="button">Set balance low</button> <button class="primary" id="reloadlyRefill" type="button">Refill</button> <button class="primary" id="reloadlyExpire" type="button">Expire tokens</button>' +
    "<table>" + reloadlyRows + "</table>" +
    "<h4>Generic supplier simulator · balance <b id=balance>" + (s.balance.amount / 100).toFixed(2) + " " + s.balance.currency + "</b></h4>" +
    '<button class="primary" id="lowBalance" type="button">Set balance low</button> <button class="primary" id="refill" type="button">Refill</button>' +
    "<table>" + rows + "</table>";
  for (const sel of document.querySelectorAll("#supplier select[data-sku]")) {
    sel.value = s.products.find((p) => p.sku === sel.dataset.sku).preset;
    sel.onchange = async () => { await api("supplier/" + sel.dataset.sku, { preset: sel.value }, "PUT"); toast(sel.dataset.sku + ": " + sel.options[sel.selectedIndex].text); };
  }
  for (const sel of document.querySelectorAll("#supplier select[data-reloadly]")) {
    const [kind, id] = sel.dataset.reloadly.split("/");
    sel.value = s.reloadly[kind].find((p) => String(p.id) === id).preset;
    sel.onchange = async () => { await api("reloadly/" + sel.dataset.reloadly, { preset: sel.value }, "PUT"); toast("Reloadly " + sel.dataset.reloadly + ": " + sel.options[sel.selectedIndex].text); };
  }
  $("lowBalance").onclick = async () => { await api("supplier-balance", { amount: 50000 }, "PUT"); renderSupplier(); toast("Balance set to 500.00: the low-balance alert comes with the next check"); };
  $("refill").onclick = async () => { await api("supplier-balance", { amount: 2500000 }, "PUT"); renderSupplier(); };
  $("reloadlyLow").onclick = async () => { await api("reloadly-balance", { amount: 1000 }, "PUT"); renderSupplier(); toast("Reloadly balance set to 10.00: orders fail over to the next source"); };
  $("reloadlyRefill").onclick = async () => { await api("reloadly-balance", { amount: 500000 }, "PUT"); renderSupplier(); };
  $("reloadlyExpire").onclick = async () => { await api("reloadly-expire-tokens", {}); toast("Reloadly tokens expired: the next call gets 401 TOKEN_EXPIRED and a new token"); };
  $("stockUpload").onsubmit = async (e) => {
    e.preventDefault();
    const file = $("stockFile").files[0];
    if (!file) return toast("Choose a .csv or .txt file: one code per line, code;pin;YYYY-MM-DD");
    await api("document", { chatId: OPS, userId: ADMIN, fileName: file.name, content: await file.text(), caption: $("stockCaption").value });
    setTimeout(renderSupplier, 1500);
  };
}
(async () => {
  const params = new URLSearchParams(location.search);
  if (params.get("user")) { current = Number(params.get("user")); localStorage.setItem("customer", String(current)); }
  await renderSupplier();
  const start = params.get("start");
  state = await api("state?since=-1");
  if (current && !state.customers.some((c) => c.id === current)) await adopt(current);
  if (start && current) { history.replaceState(null, "", "/"); await send(current, current, "/start " + start); }
  render();
  poll();
})();
</script>
</body>
</html>`;
