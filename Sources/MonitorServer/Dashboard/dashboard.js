// The dashboard's behaviour: the first load, the live stream (tags, KPIs, alarm and device events applied as they
// come), a full refresh every 5 s, the alarm list with acknowledge and shelve, the journal, devices, tags and the
// trend. Embedded in the binary at build time (Plugins/EmbedFiles); served inside dashboard.html.
const $ = id => document.getElementById(id);
const S = {meta: [], byName: {}, bySignal: {}, kpis: {}, alarms: [], journal: [], devices: []};
const ENTITIES = {"&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;"};
const esc = s => String(s).replace(/[&<>"']/g, c => ENTITIES[c]);
// A quality is {good, status, reason, detail}: its class, and its text as the tags table shows it.
const cls = q => !q ? "uncertain" : q.status;
const qtext = q => !q ? "" : q.good ? "good" : `${q.status}(${q.reason}${q.detail ? " " + q.detail : ""})`;
const mark = q => ({good: "", uncertain: " ?", bad: " ✖"})[cls(q)];
const fmt = v => v === null || v === undefined || !isFinite(v) ? "—"
  : v.toFixed(Math.abs(v) >= 1000 ? 0 : Math.abs(v) >= 100 ? 1 : Math.abs(v) >= 1 ? 2 : 3);
const hms = t => t ? new Date(t).toLocaleTimeString("en-GB") : "—";
const HOURS_MINUTES = {hour: "2-digit", minute: "2-digit"};
const band = p => p <= 100 ? "high" : p <= 300 ? "medium" : "low";
async function get(path) {
  const r = await fetch(path);
  if (!r.ok) throw new Error(path + ": HTTP " + r.status);
  return r.json();
}
function setConn(text, state) { const c = $("conn"); c.textContent = text; c.className = "pill " + state; }

async function refreshTags() {
  const tags = await get("/api/v1/tags");
  S.meta = tags; S.byName = {}; S.bySignal = {};
  for (const t of tags) { S.byName[t.name] = t; if (t.signal && !S.bySignal[t.signal]) S.bySignal[t.signal] = t; }
  const select = $("trendTag");
  if (!select.options.length) {
    select.innerHTML = tags.filter(t => t.signal && t.unit !== "1").map(t =>
      `<option value="${esc(t.name)}">${esc(t.name)} · ${esc(t.description)}</option>`).join("");
    const first = S.bySignal["production.temperature"];
    if (first) select.value = first.name;
  }
}
function drawTags() {
  const filter = $("tagFilter").value.toLowerCase();
  const matches = t => !filter || (t.name + " " + t.description).toLowerCase().includes(filter);
  const rows = S.meta.filter(matches).slice(0, 300);
  $("tags").tBodies[0].innerHTML = rows.map(t => `<tr class="${cls(t.quality)}"><td>${esc(t.name)}</td>
    <td>${esc(t.description)}</td><td class="num">${fmt(t.value)}${mark(t.quality)}</td><td>${esc(t.unit)}</td>
    <td>${esc(qtext(t.quality))}</td><td class="num">${hms(t.time)}</td></tr>`).join("");
}

const PRIMARY = ["li_recovery", "lce_per_day", "freshwater_per_tonne", "refining_utilisation", "sorbent_health",
                 "li_balance_closure"];
async function refreshKPIs() { for (const k of await get("/api/v1/kpis")) S.kpis[k.name] = k; }
function drawKPIs() {
  const rank = k => { const i = PRIMARY.indexOf(k.name); return i < 0 ? 100 : i; };
  const kpis = Object.values(S.kpis).sort((a, b) => rank(a) - rank(b));
  $("kpis").innerHTML = kpis.length ? kpis.map(k =>
    `<div class="tile ${cls(k.quality)}${rank(k) < 100 ? " primary" : ""}"
    data-kpi="${esc(k.name)}" title="${esc(k.label)}: ${esc(qtext(k.quality))}"><small>${esc(k.label)}</small>
    <b>${k.idle ? "idle" : fmt(k.value) + mark(k.quality)}</b><small>${k.idle ? "" : esc(k.unit)}</small></div>`).join("")
    : "<small>no KPIs yet: they need the tags bound to their signals</small>";
}

async function refreshAlarms() { setAlarms(await get("/api/v1/alarms")); }
function setAlarms(alarms) {
  S.alarms = alarms;
  S.alarms.sort((a, b) => (a.state === "acknowledgedActive") - (b.state === "acknowledgedActive") ||
                          a.priority - b.priority || (b.activeSince || 0) - (a.activeSince || 0));
  drawAlarms(); drawSchematicAlarms();
}
// A live alarm event carries the alarm's status after the transition and its journal entry.
function applyAlarm(a) {
  const others = S.alarms.filter(x => x.id !== a.id);
  setAlarms(a.state === "normal" && !a.shelvedUntil ? others : others.concat([a]));
}
const STATE_TEXT = {unacknowledgedActive: "active · unacknowledged", acknowledgedActive: "active · acknowledged",
                    returnedUnacknowledged: "returned · unacknowledged", normal: "normal"};
// Rows are updated in place, keyed by alarm id: re-creating them would replace a button under the
// operator's pointer between mouse-down and mouse-up, and the click would be lost.
function drawAlarms() {
  const body = $("alarms").tBodies[0], rows = {};
  for (const tr of body.querySelectorAll("tr[data-alarm]")) rows[tr.dataset.alarm] = tr;
  const none = body.querySelector("tr.none");
  if (S.alarms.length && none) none.remove();
  if (!S.alarms.length && !none) {
    body.innerHTML = `<tr class="none"><td></td><td colspan="3">No active alarms</td></tr>`;
  }
  let previous = null;
  for (const a of S.alarms) {
    let tr = rows[a.id];
    if (!tr) {
      tr = document.createElement("tr"); tr.dataset.alarm = a.id;
      tr.innerHTML = `<td></td><td class="num"></td><td></td>
        <td class="acts"><button data-ack="${esc(a.id)}">Ack</button>
        <button data-shelve="${esc(a.id)}">Shelve 1 h</button></td>`;
    }
    delete rows[a.id];
    const by = a.acknowledgedBy ? ` by ${esc(a.acknowledgedBy)}` : "";
    const value = a.value === null ? "" : ` · ${fmt(a.value)} (limit ${fmt(a.limit)})`;
    const unacked = a.state === "unacknowledgedActive" || a.state === "returnedUnacknowledged";
    tr.className = `${band(a.priority)} ${a.state}`; tr.dataset.state = a.state;
    const cells = tr.children;
    cells[1].textContent = hms(a.activeSince);
    const shelved = a.shelvedUntil ? " · shelved until " + hms(a.shelvedUntil) : "";
    const service = a.outOfService ? " · out of service" : "";
    const state = (STATE_TEXT[a.state] || esc(a.state)) + by + value + shelved + service;
    const text = `${esc(a.source)} <b>${esc(a.kind)}</b><br>${esc(a.message)}<div class="state">${state}</div>`;
    if (cells[2].innerHTML !== text) cells[2].innerHTML = text;
    cells[3].querySelector("[data-ack]").disabled = !unacked;
    const next = previous ? previous.nextSibling : body.firstChild;
    if (next !== tr) body.insertBefore(tr, next);
    previous = tr;
  }
  for (const tr of Object.values(rows)) tr.remove();
  const count = (b, pred) => S.alarms.filter(a => band(a.priority) === b && pred(a)).length;
  const unack = a => a.state === "unacknowledgedActive" || a.state === "returnedUnacknowledged";
  $("summary").innerHTML = ["high", "medium", "low"].map(b => { const u = count(b, unack), n = count(b, () => true);
    return `<span class="chip ${u ? b : ""}" data-band="${b}">${b}: ${u} unack / ${n}</span>`; }).join("");
}
async function action(path, verb) {
  const token = $("token").value.trim(), status = $("alarmStatus");
  if (!token) { status.textContent = `Enter the operator token to ${verb}.`; status.className = "error"; return; }
  sessionStorage.setItem("geolith-token", token);
  const r = await fetch(path, {method: "POST", headers: {"Authorization": "Bearer " + token}});
  const body = await r.json().catch(() => ({}));
  status.textContent = r.ok ? `${verb}: done by ${body.by}`
    : `${verb} refused: ${body.error ? body.error.message : r.status}`;
  status.className = r.ok ? "" : "error";
  // The alarm's new state and its journal entry arrive on the live stream.
}
document.addEventListener("click", e => {
  const b = e.target.closest("button"); if (!b) return;
  const path = id => `/api/v1/alarms/${encodeURIComponent(id)}`;
  if (b.dataset.ack) action(`${path(b.dataset.ack)}/ack`, "acknowledge");
  if (b.dataset.shelve) action(`${path(b.dataset.shelve)}/shelve?minutes=60`, "shelve");
});
const JOURNAL_ROWS = 12;
async function refreshJournal() { S.journal = await get(`/api/v1/alarms/journal?limit=${JOURNAL_ROWS}`); drawJournal(); }
function drawJournal() {
  const events = S.journal;
  $("journal").tBodies[0].innerHTML = events.length ? events.map(e => `<tr><td class="num">${hms(e.time)}</td>
    <td>${esc(e.source)}</td><td>${esc(e.message)}</td>
    <td class="who">${e.user ? esc(e.user) : ""}</td></tr>`).join("")
    : "<tr><td>No alarm events yet</td></tr>";
}
async function refreshDevices() { S.devices = await get("/api/v1/devices"); drawDevices(); }
function drawDevices() {
  const ms = v => v === null ? "—" : (1000 * v).toFixed(1);
  $("devices").tBodies[0].innerHTML = `<tr><th>Device</th><th class="num">requests</th><th class="num">errors</th>
    <th class="num">p50 / p99 ms</th></tr>` + S.devices.map(d => `<tr>
    <td><span class="dev${d.up ? "" : " down"}"></span>${esc(d.name)}${d.up ? ""
      : `<br><small>${esc(d.lastError || "down")}</small>`}</td><td class="num">${d.requests}</td>
    <td class="num">${Object.values(d.errors).reduce((a, b) => a + b, 0)}</td>
    <td class="num">${ms(d.latencyP50)} / ${ms(d.latencyP99)}</td></tr>`).join("");
}

async function drawTrend() {
  const name = $("trendTag").value; if (!name) return;
  const tag = S.byName[name] || {unit: ""}, W = 1000, H = 230, L = 56, R = 990, T = 12, B = 200;
  const to = Date.now(), from = to - Number($("trendRange").value);
  const h = await get(`/api/v1/tags/${encodeURIComponent(name)}/history?from=${from}&to=${to}&maxPoints=400`);
  const pts = h.points.filter(p => p.mean !== null);
  $("trendInfo").textContent = `${name} [${tag.unit}] · ${h.points.length} points`;
  if (!pts.length) { $("trend").innerHTML = "<small>no history yet</small>"; return; }
  let lo = Math.min(...pts.map(p => p.min)), hi = Math.max(...pts.map(p => p.max));
  const pad = (hi - lo) * 0.08 || Math.abs(hi) * 0.01 || 1; lo -= pad; hi += pad;
  const X = t => L + (t - from) / (to - from) * (R - L), Y = v => B - (v - lo) / (hi - lo) * (B - T);
  let svg = "";
  for (let i = 0; i <= 4; i++) { const v = lo + (hi - lo) * i / 4, y = Y(v);
    svg += `<line class="grid" x1="${L}" x2="${R}" y1="${y}" y2="${y}"/><text class="axis" x="${L - 6}" y="${y + 3}"
      text-anchor="end">${fmt(v)}</text>`; }
  // Time ticks on round local minutes or hours, 4 to 10 of them.
  const step = [1, 2, 5, 10, 15, 30, 60, 120, 180, 360].map(m => m * 60000).find(s => (to - from) / s <= 10);
  const offset = new Date(from).getTimezoneOffset() * 60000;
  for (let t = Math.ceil((from - offset) / step) * step + offset; t <= to; t += step) { const x = X(t);
    svg += `<line class="grid" x1="${x}" x2="${x}" y1="${T}" y2="${B}"/><text class="axis" x="${x}" y="${B + 16}"
      text-anchor="middle">${new Date(t).toLocaleTimeString("en-GB", HOURS_MINUTES)}</text>`; }
  const width = (R - L) / Math.max(1, h.points.length);
  svg += h.points.filter(p => !p.quality.good).map(p =>
    `<rect class="badq" x="${X(p.t)}" y="${T}" width="${Math.max(2, width)}" height="${B - T}">
      <title>${esc(qtext(p.quality))}</title></rect>`).join("");
  for (const [k, v] of Object.entries(tag.limits || {})) if (v > lo && v < hi) svg +=
    `<line class="limit${k.length > 1 ? "" : " warn"}" x1="${L}" x2="${R}" y1="${Y(v)}" y2="${Y(v)}"/>
     <text class="axis" x="${R - 4}" y="${Y(v) - 3}" text-anchor="end">${k} ${fmt(v)}</text>`;
  const up = pts.map(p => `${X(p.t).toFixed(1)},${Y(p.max).toFixed(1)}`).join(" ");
  const down = pts.slice().reverse().map(p => `${X(p.t).toFixed(1)},${Y(p.min).toFixed(1)}`).join(" ");
  svg += `<polygon class="band" points="${up} ${down}"/><polyline class="mean" points="${
    pts.map(p => `${X(p.t).toFixed(1)},${Y(p.mean).toFixed(1)}`).join(" ")}"/>`;
  if (pts.length === 1) svg += `<circle class="mean" cx="${X(pts[0].t)}" cy="${Y(pts[0].mean)}" r="3"/>`;
  svg += `<text class="axis" x="4" y="${T + 4}">${esc(tag.unit)}</text>`;
  $("trend").innerHTML = `<svg viewBox="0 0 ${W} ${H}" preserveAspectRatio="none">${svg}</svg>`;
}

function redraw() {
  drawSchematicValues(); drawKPIs(); drawTags();
  $("clock").textContent = new Date().toLocaleTimeString("en-GB");
}
async function refreshAll() {
  try {
    await Promise.all([refreshTags(), refreshKPIs(), refreshAlarms(), refreshJournal(), refreshDevices()]);
    redraw(); await drawTrend();
    $("updated").textContent = "updated " + new Date().toLocaleTimeString("en-GB");
  } catch (e) { setConn("disconnected", "down"); $("updated").textContent = e.message; }
}
// Live events are applied as they come, in the shapes the REST answers have: a tag's reading, a KPI, an
// alarm's status with its journal entry, a device's change.
function applyTag(u) { const t = S.byName[u.name]; if (t) { t.value = u.value; t.quality = u.quality; t.time = u.time; } }
function applyKPI(u) { S.kpis[u.name] = u; }
function applyDevice(u) {
  const d = S.devices.find(x => x.name === u.name);
  if (d) { d.up = u.up; d.lastError = u.lastError; drawDevices(); }
}
function listen() {
  const stream = new EventSource("/api/v1/stream");
  const on = (name, apply) => stream.addEventListener(name, e => apply(JSON.parse(e.data)));
  stream.onopen = () => setConn("live", "live");
  stream.onerror = () => setConn("reconnecting…", "down");
  on("tag", applyTag);
  on("kpi", applyKPI);
  on("alarm", u => {
    if (u.alarm) applyAlarm(u.alarm);
    S.journal = [u.journal].concat(S.journal).slice(0, JOURNAL_ROWS); drawJournal();
  });
  on("device", applyDevice);
  // Behind or resumed from too far back: the server sends every current value at once; only the journal
  // entries missed in between are read again.
  on("resync", s => {
    s.tags.forEach(applyTag); s.kpis.forEach(applyKPI); setAlarms(s.alarms);
    S.devices = s.devices; drawDevices();
    refreshJournal().catch(() => {});
  });
}
async function start() {
  try {
    const p = await get("/api/v1/plant");
    $("plant").textContent = p.name;
    $("site").textContent = `${p.site}, ${p.country} · ${p.devices} devices · ${p.tags} tags`;
    document.title = p.name + " · Geolith";
  } catch (e) { setConn("disconnected", "down"); }
  $("token").value = sessionStorage.getItem("geolith-token") || "";
  await refreshAll();
  buildSchematic(); redraw();
  listen();
  setInterval(redraw, 1000);
  setInterval(refreshAll, 5000);
  $("trendTag").onchange = drawTrend; $("trendRange").onchange = drawTrend; $("tagFilter").oninput = drawTags;
}
