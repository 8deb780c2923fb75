import RegisterVocabulary
/// The live dashboard: one HTML page with its CSS and JavaScript, no framework, no CDN, no build step.
///
/// An overview in the manner of a high-performance HMI (ISA-101): a grey, quiet process schematic on which
/// only abnormal things draw attention. Values are boxes on the schematic; an alarm outlines its box in the
/// alarm's priority colour; bad and uncertain values are hatched and carry a marker (✖ bad, ? uncertain),
/// so quality never rests on colour alone. Charts and the schematic are SVG drawn by the page's own code
/// (``Dashboard/schematicScript``); the rest of the behaviour is ``Dashboard/script``.
enum Dashboard {
    /// The page served at `/`.
    static let html = head + "<style>" + style + "</style></head>" + body
        + "<script>\n\"use strict\";\n" + script + schematicScript + "\nstart();\n</script></body></html>\n"

    /// `<link rel="icon" href="data:,">` keeps the browser from asking for /favicon.ico (a 404 in the console).
    static let head = #"""
    <!doctype html>
    <html lang="en"><head><meta charset="utf-8"><title>Geolith · plant overview</title>
    <meta name="viewport" content="width=device-width, initial-scale=1"><link rel="icon" href="data:,">
    """#

    static let body = #"""
    <body>
    <header>
      <div class="brand"><svg viewBox="0 0 20 20" width="20" height="20" aria-hidden="true">
        <path d="M10 1 L19 10 L10 19 L1 10 Z"
        fill="none" stroke="#d7dde3" stroke-width="2"/><circle cx="10" cy="10" r="3" fill="#d7dde3"/></svg>
        <div><h1 id="plant">Geolith</h1><span id="site"></span></div></div>
      <div class="summary" id="summary" aria-live="polite"></div>
      <div class="status"><span id="conn" class="pill">connecting…</span><span id="clock"></span></div>
    </header>
    <main>
    <div class="left">
      <section id="process"><h2>Process overview <small id="updated"></small></h2>
        <svg id="schematic" viewBox="0 0 1240 600" role="img" aria-label="process schematic"></svg>
        <div class="legend"><span class="lg good">good</span><span class="lg uncertain">? uncertain</span>
          <span class="lg bad">✖ bad</span><span class="lg al-high">alarm: high</span>
          <span class="lg al-medium">medium</span>
          <span class="lg al-low">low</span></div></section>
      <section><h2>Trend <select id="trendTag" aria-label="tag"></select> <select id="trendRange" aria-label="range">
        <option value="600000" selected>10 min</option><option value="3600000">1 h</option>
        <option value="21600000">6 h</option><option value="86400000">24 h</option></select>
        <small id="trendInfo"></small></h2><div id="trend"></div></section>
      <section><h2>Tags <input id="tagFilter" placeholder="filter" aria-label="filter tags"></h2>
        <div class="scroll"><table id="tags"><thead><tr><th>Tag</th><th>Description</th><th class="num">Value</th>
        <th>Unit</th><th>Quality</th><th>Time</th></tr></thead><tbody></tbody></table></div></section>
    </div>
    <div class="right">
      <section><h2>Key figures</h2><div class="tiles" id="kpis"></div></section>
      <section id="alarmPanel"><h2>Alarms</h2>
        <div class="token"><label for="token">Operator token</label>
          <input id="token" type="password" autocomplete="off" placeholder="needed to acknowledge or shelve"></div>
        <div id="alarmStatus" role="status"></div>
        <table id="alarms"><tbody></tbody></table></section>
      <section><h2>Alarm journal</h2><table id="journal"><tbody></tbody></table></section>
      <section><h2>Devices</h2><table id="devices"><tbody></tbody></table></section>
    </div>
    </main>

    """#
}
