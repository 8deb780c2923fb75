/// The fleet overview's two pages: a table of every plant (refreshed every 5 s from `/api/v1/plants`) and a page per
/// plant with its KPIs, alarms, devices and a trend of any of its series from the database. Grey unless something is
/// abnormal (alarms, devices down, a historian behind), as the monitor's dashboard; text is set with `textContent`
/// only, never parsed as HTML.
enum FleetPage {
    static let style = #"""
    body{font:13px/1.4 "DejaVu Sans",system-ui,sans-serif;margin:0;background:#dcdfe3;color:#1e2327}
    header{background:#26323d;color:#eef1f4;padding:8px 16px} header h1{font-size:17px;margin:0;font-weight:600}
    header a{color:#aeb8c2} main{padding:12px;display:flex;flex-direction:column;gap:12px}
    section{background:#eceef0;border:1px solid #c3c8ce;border-radius:4px;padding:8px 12px}
    h2{font-size:12px;margin:0 0 6px;text-transform:uppercase;letter-spacing:.06em;color:#5d6770}
    table{border-collapse:collapse;width:100%} th,td{text-align:left;padding:4px 8px;border-bottom:1px solid #d3d7db}
    th{font-size:11px;color:#5d6770;font-weight:600} td.n{text-align:right;font-variant-numeric:tabular-nums}
    .bad{color:#b3261e;font-weight:700}.warn{color:#8f6b00;font-weight:700}
    .alarm-high{color:#d0202a;font-weight:700}.muted{color:#5d6770}
    #trend{width:100%;height:260px;background:#f4f5f6;border:1px solid #cfd4d9}
    select{font:inherit;font-size:12px}
    """#

    static let script = #"""
    const $ = s => document.querySelector(s);
    function cell(tr, text, cls) { const td = document.createElement('td'); td.textContent = text; if (cls) td.className = cls; tr.appendChild(td); return td; }
    function ago(ms) { if (ms == null) return '–'; const s = Math.max(0, (Date.now() - ms) / 1000); return s < 90 ? s.toFixed(0) + ' s' : s < 5400 ? (s / 60).toFixed(0) + ' min' : (s / 3600).toFixed(1) + ' h'; }
    function fmt(v) { return v == null ? '–' : Math.abs(v) >= 1000 ? v.toFixed(0) : v.toPrecision(4); }
    async function getJSON(url) { const r = await fetch(url); if (!r.ok) throw new Error(url + ': ' + r.status); return r.json(); }
    function historianText(p) {
      const h = p.historian; const lag = p.historianLagSeconds;
      let text = lag == null ? 'no samples' : 'lag ' + (lag < 90 ? lag.toFixed(0) + ' s' : (lag / 60).toFixed(0) + ' min');
      if (h && h.behind) text += ', behind: ' + h.spooledSamples + ' samples spooled';
      if (h && h.spoolFull) text += ', SPOOL FULL';
      return [text, h && (h.behind || h.spoolFull) || lag > 120 ? 'bad' : ''];
    }
    """#

    static let overview = """
    <!doctype html><html lang="en"><head><meta charset="utf-8"><title>Geolith fleet</title><style>\(style)</style></head>
    <body><header><h1>Geolith fleet</h1></header><main><section><h2>Plants</h2>
    <table><thead><tr><th>Plant</th><th>Site</th><th>Devices up</th><th>Active alarms</th><th>KPIs</th><th>Historian</th><th>Last update</th></tr></thead>
    <tbody id="plants"></tbody></table><p class="muted" id="note"></p></section></main>
    <script>\(script)
    async function refresh() {
      try {
        const plants = await getJSON('/api/v1/plants');
        const body = $('#plants'); body.replaceChildren();
        for (const p of plants) {
          const tr = document.createElement('tr'); tr.dataset.plant = p.id;
          const a = document.createElement('a'); a.href = p.links.page; a.textContent = p.name ? p.name + ' (' + p.id + ')' : p.id;
          const first = cell(tr, ''); first.appendChild(a);
          cell(tr, p.site || '–');
          const down = p.devices != null && p.devicesUp < p.devices;
          cell(tr, p.devices == null ? '–' : p.devicesUp + ' / ' + p.devices, 'n' + (down ? ' bad' : ''));
          cell(tr, p.activeAlarms == null ? '–' : p.activeAlarms + (p.unacknowledgedAlarms ? ' (' + p.unacknowledgedAlarms + ' unack.)' : ''), 'n' + (p.activeAlarms ? ' alarm-high' : ''));
          cell(tr, p.kpis.slice(0, 3).map(k => k.label + ' ' + fmt(k.value) + ' ' + k.unit).join(' · ') || '–');
          const [text, cls] = historianText(p); cell(tr, text, cls);
          cell(tr, ago(p.lastWrite), 'n');
          body.appendChild(tr);
        }
        $('#note').textContent = plants.length + ' plants · refreshed ' + new Date().toLocaleTimeString();
      } catch (e) { $('#note').textContent = 'cannot read the fleet: ' + e.message; }
    }
    refresh(); setInterval(refresh, 5000);
    </script></body></html>
    """

    static let plant = """
    <!doctype html><html lang="en"><head><meta charset="utf-8"><title>Geolith plant</title><style>\(style)</style></head>
    <body><header><h1 id="title">Plant</h1><a href="/">← fleet</a></header><main>
    <section><h2>State</h2><p id="state"></p></section>
    <section><h2>KPIs</h2><table><tbody id="kpis"></tbody></table></section>
    <section><h2>Active alarms</h2><table><tbody id="alarms"></tbody></table></section>
    <section><h2>Devices</h2><table><tbody id="devices"></tbody></table></section>
    <section><h2>History (last 24 h)</h2><select id="series"></select> <span id="range" class="muted"></span>
    <svg id="trend" viewBox="0 0 1000 260" preserveAspectRatio="none"></svg></section></main>
    <script>\(script)
    const id = decodeURIComponent(location.pathname.split('/').pop());
    const base = '/api/v1/plants/' + encodeURIComponent(id);
    async function load() {
      const p = await getJSON(base);
      $('#title').textContent = (p.name || p.id) + (p.site ? ' · ' + p.site : '');
      const [text, cls] = historianText(p); $('#state').textContent = 'Historian: ' + text + ' · last update ' + ago(p.lastWrite) + ' ago'; $('#state').className = cls;
      const rows = (sel, items, fill) => { const b = $(sel); b.replaceChildren(); for (const i of items) { const tr = document.createElement('tr'); fill(tr, i); b.appendChild(tr); } };
      rows('#kpis', p.kpis, (tr, k) => { cell(tr, k.label); cell(tr, fmt(k.value) + ' ' + k.unit, 'n'); const q = k.quality; cell(tr, !q ? '' : q.good ? 'good' : q.status + '(' + q.reason + (q.detail ? ' ' + q.detail : '') + ')', q && q.good ? '' : 'warn'); });
      rows('#alarms', p.alarms, (tr, a) => { cell(tr, a.id, a.priority <= 100 ? 'alarm-high' : ''); cell(tr, a.state); cell(tr, a.message); });
      rows('#devices', p.devices, (tr, d) => { cell(tr, d.name); cell(tr, d.up ? 'up' : 'down', d.up ? '' : 'bad'); cell(tr, d.lastError || ''); });
    }
    async function series() {
      const list = await getJSON(base + '/series'); const sel = $('#series');
      for (const s of list) { const o = document.createElement('option'); o.value = s.name; o.textContent = s.name + (s.unit ? ' [' + s.unit + ']' : ''); sel.appendChild(o); }
      sel.onchange = trend; if (list.length) trend();
    }
    async function trend() {
      const name = $('#series').value; const to = Date.now(), from = to - 86400000;
      const path = name.startsWith('kpi:') ? '/kpis/' + encodeURIComponent(name.slice(4)) : '/tags/' + encodeURIComponent(name);
      const svg = $('#trend'); svg.replaceChildren();
      try {
        const h = await getJSON(base + path + '/history?from=' + from + '&to=' + to + '&maxPoints=1000');
        const pts = h.points.filter(p => p.mean != null);
        if (!pts.length) { $('#range').textContent = 'no values in the last 24 h'; return; }
        const lo = Math.min(...pts.map(p => p.min)), hi = Math.max(...pts.map(p => p.max)), span = hi - lo || 1;
        const x = t => (t - from) / (to - from) * 1000, y = v => 250 - (v - lo) / span * 240;
        const line = document.createElementNS('http://www.w3.org/2000/svg', 'polyline');
        line.setAttribute('points', pts.map(p => x(p.t).toFixed(1) + ',' + y(p.mean).toFixed(1)).join(' '));
        line.setAttribute('fill', 'none'); line.setAttribute('stroke', '#26323d'); line.setAttribute('stroke-width', '1.5');
        svg.appendChild(line);
        $('#range').textContent = fmt(lo) + ' … ' + fmt(hi) + (h.behind ? ' (historian behind: the newest samples are still spooled)' : '');
      } catch (e) { $('#range').textContent = e.message; }
    }
    load(); series(); setInterval(load, 5000);
    </script></body></html>
    """
}
