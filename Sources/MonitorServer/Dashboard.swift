/// The live dashboard: one HTML page with its CSS and JavaScript, no framework, no CDN, no build step.
/// Charts and the process schematic are SVG drawn by this page's own code. Bad and stale values look
/// different from good ones by colour and by a marker (✖ bad, ? uncertain), not by colour alone.
enum Dashboard {
    static let html = #"""
<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Geolith</title>
<meta name="viewport" content="width=device-width, initial-scale=1">
<style>
body{font-family:system-ui,sans-serif;margin:0;background:#f4f5f7;color:#1d2430}
header{background:#18324a;color:#fff;padding:10px 18px;display:flex;gap:18px;align-items:baseline}
header h1{font-size:18px;margin:0} header span{opacity:.8;font-size:13px}
main{display:grid;grid-template-columns:2fr 1fr;gap:14px;padding:14px}
section{background:#fff;border-radius:6px;padding:10px 12px;box-shadow:0 1px 2px #0002}
h2{font-size:14px;margin:0 0 8px;text-transform:uppercase;letter-spacing:.05em;color:#46607a}
.tiles{display:grid;grid-template-columns:repeat(auto-fill,minmax(150px,1fr));gap:8px}
.tile{border:1px solid #d8dde3;border-radius:5px;padding:6px 8px}.tile b{font-size:20px;display:block}
.tile small{color:#5a6b7c}
.good{color:#1d2430}.uncertain{color:#8a6d00;background:repeating-linear-gradient(45deg,#fff7d6,#fff7d6 6px,#fff 6px,#fff 12px)}
.bad{color:#a11;background:repeating-linear-gradient(45deg,#fde4e4,#fde4e4 6px,#fff 6px,#fff 12px);text-decoration:line-through}
table{border-collapse:collapse;width:100%;font-size:13px}td,th{padding:3px 6px;border-bottom:1px solid #eef0f2;text-align:left}
.num{text-align:right;font-variant-numeric:tabular-nums}
.alarm-unacknowledgedActive{font-weight:bold;color:#a11}.alarm-returnedUnacknowledged{color:#a15c11}
button{font-size:12px;margin-left:4px}
svg text{font-size:11px;font-family:system-ui,sans-serif}
#trend svg{width:100%;height:180px}
.dev-up::before{content:"● ";color:#2a8a2a}.dev-down::before{content:"✖ ";color:#a11}
</style></head><body>
<header><h1 id="plant">Geolith</h1><span id="site"></span><span id="clock"></span><span id="conn"></span></header>
<main>
<div>
<section><h2>Process</h2><svg id="schematic" viewBox="0 0 900 200" width="100%"></svg></section>
<section style="margin-top:14px"><h2>Key figures</h2><div class="tiles" id="kpis"></div></section>
<section style="margin-top:14px"><h2>Trend <select id="trendTag"></select> <select id="trendRange">
<option value="600000">10 min</option><option value="3600000" selected>1 h</option><option value="86400000">24 h</option></select></h2>
<div id="trend"></div></section>
<section style="margin-top:14px"><h2>Tags</h2><table id="tags"><thead><tr><th>Tag</th><th>Description</th><th class="num">Value</th><th>Unit</th><th>Quality</th></tr></thead><tbody></tbody></table></section>
</div>
<div>
<section><h2>Alarms</h2><div><input id="token" type="password" placeholder="operator token" size="18"></div>
<table id="alarms"><tbody></tbody></table></section>
<section style="margin-top:14px"><h2>Devices</h2><table id="devices"><tbody></tbody></table></section>
</div></main>
<script>
"use strict";
const $ = id => document.getElementById(id);
let tags = {}, kpis = {}, tagMeta = [];
const esc = s => String(s).replace(/[&<>"]/g, c => ({"&":"&amp;","<":"&lt;",">":"&gt;",'"':"&quot;"}[c]));
const cls = q => q.startsWith("good") ? "good" : q.startsWith("uncertain") ? "uncertain" : "bad";
const mark = q => q.startsWith("good") ? "" : q.startsWith("uncertain") ? " ?" : " ✖";
const fmt = v => v === null || v === undefined ? "—" : Math.abs(v) >= 1000 ? v.toFixed(0) : Math.abs(v) >= 10 ? v.toFixed(1) : v.toFixed(2);
async function get(path) { const r = await fetch(path); if (!r.ok) throw new Error(path + " " + r.status); return r.json(); }
function bySignal(signal) { return tagMeta.find(t => t.signal === signal); }
function valueText(signal) {
  const t = bySignal(signal); if (!t) return ["", "good"];
  const v = tags[t.name] || t; return [fmt(v.value) + " " + t.unit + mark(v.quality), cls(v.quality)];
}
function drawSchematic() {
  const boxes = [
    ["Production well", ["production.flow", "production.temperature", "production.pressure"]],
    ["Heat exchange", ["hx.outlet.temperature", "hx.duty"]],
    ["DLE columns", ["dle.inlet.flow", "brine.li", "dle.outlet.li", "dle.sorbent.capacity"]],
    ["Concentration (RO)", ["eluate.flow", "eluate.li", "ro.concentrate.li"]],
    ["Refinery", ["refinery.tank.level", "product.rate", "product.tank.level"]],
    ["Reinjection", ["reinjection.flow", "reinjection.temperature", "reinjection.pressure"]]];
  let svg = "";
  boxes.forEach(([name, signals], i) => {
    const x = 8 + i * 148;
    svg += `<rect x="${x}" y="20" width="132" height="160" rx="6" fill="#eef3f8" stroke="#46607a"/>`;
    svg += `<text x="${x + 8}" y="40" font-weight="bold">${esc(name)}</text>`;
    signals.forEach((s, k) => { const [text, c] = valueText(s);
      svg += `<text x="${x + 8}" y="${64 + k * 24}" class="${c}" fill="${c === "good" ? "#1d2430" : c === "bad" ? "#a11" : "#8a6d00"}">${esc(text || "")}</text>`; });
    if (i < boxes.length - 1) svg += `<path d="M${x + 132} 100 L${x + 148} 100" stroke="#46607a" stroke-width="3" marker-end="url(#a)"/>`;
  });
  $("schematic").innerHTML = `<defs><marker id="a" markerWidth="8" markerHeight="8" refX="6" refY="4" orient="auto"><path d="M0,0 L8,4 L0,8 z" fill="#46607a"/></marker></defs>` + svg;
}
function drawKPIs() {
  $("kpis").innerHTML = Object.values(kpis).map(k =>
    `<div class="tile ${cls(k.quality)}" title="${esc(k.quality)}"><small>${esc(k.label)}</small><b>${fmt(k.value)}${mark(k.quality)}</b><small>${esc(k.unit)}</small></div>`).join("");
}
function drawTags() {
  $("tags").tBodies[0].innerHTML = tagMeta.map(t => { const v = tags[t.name] || t;
    return `<tr class="${cls(v.quality)}"><td>${esc(t.name)}</td><td>${esc(t.description)}</td><td class="num">${fmt(v.value)}${mark(v.quality)}</td><td>${esc(t.unit)}</td><td>${esc(v.quality)}</td></tr>`; }).join("");
}
async function refreshAlarms() {
  const alarms = await get("/api/v1/alarms");
  $("alarms").tBodies[0].innerHTML = alarms.length ? alarms.map(a =>
    `<tr class="alarm-${a.state}"><td>${a.priority}</td><td>${esc(a.message)}<br><small>${esc(a.state)}${a.shelvedUntil ? " · shelved" : ""}</small></td>
     <td><button data-ack="${esc(a.id)}">Ack</button><button data-shelve="${esc(a.id)}">Shelve 1 h</button></td></tr>`).join("") : "<tr><td>No alarms</td></tr>";
}
async function action(path) {
  const r = await fetch(path, {method: "POST", headers: {"Authorization": "Bearer " + $("token").value}});
  if (!r.ok) alert((await r.json()).error.message);
  sessionStorage.setItem("token", $("token").value);
  refreshAlarms();
}
document.addEventListener("click", e => {
  if (e.target.dataset.ack) action(`/api/v1/alarms/${encodeURIComponent(e.target.dataset.ack)}/ack`);
  if (e.target.dataset.shelve) action(`/api/v1/alarms/${encodeURIComponent(e.target.dataset.shelve)}/shelve?minutes=60`);
});
async function refreshDevices() {
  const devices = await get("/api/v1/devices");
  $("devices").tBodies[0].innerHTML = devices.map(d => `<tr><td class="${d.up ? "dev-up" : "dev-down"}">${esc(d.name)}</td><td class="num">${d.requests} req</td>
    <td class="num">${Object.values(d.errors).reduce((a, b) => a + b, 0)} err</td><td>${d.up ? "" : esc(d.lastError || "")}</td></tr>`).join("");
}
async function drawTrend() {
  const name = $("trendTag").value; if (!name) return;
  const to = Date.now(), from = to - Number($("trendRange").value);
  const h = await get(`/api/v1/tags/${encodeURIComponent(name)}/history?from=${from}&to=${to}&maxPoints=300`);
  const pts = h.points.filter(p => p.mean !== null);
  if (!pts.length) { $("trend").innerHTML = "<small>no history yet</small>"; return; }
  const lo = Math.min(...pts.map(p => p.min)), hi = Math.max(...pts.map(p => p.max)), span = (hi - lo) || 1;
  const X = t => 40 + (t - from) / (to - from) * 850, Y = v => 165 - (v - lo) / span * 150;
  const band = pts.map(p => `${X(p.t)},${Y(p.max)}`).join(" ") + " " + pts.slice().reverse().map(p => `${X(p.t)},${Y(p.min)}`).join(" ");
  const line = pts.map(p => `${X(p.t)},${Y(p.mean)}`).join(" ");
  const bad = pts.filter(p => !p.quality.startsWith("good")).map(p => `<rect x="${X(p.t) - 1}" y="10" width="3" height="155" fill="#fde4e4"/>`).join("");
  $("trend").innerHTML = `<svg viewBox="0 0 900 180" preserveAspectRatio="none">${bad}<polygon points="${band}" fill="#cfe0f0"/>
    <polyline points="${line}" fill="none" stroke="#18324a" stroke-width="1.5"/><text x="2" y="15">${fmt(hi)}</text><text x="2" y="165">${fmt(lo)}</text></svg>`;
}
async function refreshAll() {
  try {
    const [t, k] = await Promise.all([get("/api/v1/tags"), get("/api/v1/kpis")]);
    tagMeta = t; t.forEach(x => tags[x.name] = x); k.forEach(x => kpis[x.name] = x);
    if (!$("trendTag").options.length) $("trendTag").innerHTML = t.filter(x => x.signal).map(x => `<option>${esc(x.name)}</option>`).join("");
    drawSchematic(); drawKPIs(); drawTags(); await refreshAlarms(); await refreshDevices(); await drawTrend();
    $("conn").textContent = "live"; $("clock").textContent = new Date().toLocaleTimeString();
  } catch (e) { $("conn").textContent = "disconnected: " + e.message; }
}
async function start() {
  const p = await get("/api/v1/plant"); $("plant").textContent = p.name; $("site").textContent = p.site + " · " + p.devices + " devices · " + p.tags + " tags";
  $("token").value = sessionStorage.getItem("token") || "";
  await refreshAll();
  // Live stream for tag and KPI changes; a full refresh every 5 s keeps alarms, devices and the trend current.
  const stream = new EventSource("/api/v1/stream");
  stream.addEventListener("tag", e => { const u = JSON.parse(e.data); if (tags[u.tag]) { tags[u.tag].value = u.value; tags[u.tag].quality = u.quality; } });
  stream.addEventListener("kpi", e => { const u = JSON.parse(e.data); if (kpis[u.name]) { kpis[u.name].value = u.value; kpis[u.name].quality = u.quality; } });
  setInterval(() => { drawSchematic(); drawKPIs(); drawTags(); }, 1000);
  setInterval(refreshAll, 5000);
  $("trendTag").onchange = drawTrend; $("trendRange").onchange = drawTrend;
}
start();
</script></body></html>
"""#
}
