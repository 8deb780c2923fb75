// The process schematic: production well → heat exchange → DLE columns → reinjection for the brine, and DLE eluate
// → RO concentration → refinery → product. Equipment and pipes are drawn once; each value is a box (`.val`,
// `data-signal`) bound to the first tag of its signal, updated every second. Signals the plant does not have are
// left out, so the page fits any plant description.
const BOX_W = 150, BOX_H = 40;
// [signal, x, y] of each value box, by unit.
const BOXES = [
  ["production.flow", 74, 92], ["production.temperature", 74, 138], ["production.pressure", 74, 184],
  ["production.pump.speed", 74, 230], ["production.pump.power", 74, 276],
  ["hx.outlet.temperature", 250, 92], ["hx.duty", 250, 138],
  ["brine.li", 250, 226], ["brine.tds", 250, 272], ["brine.ph", 250, 318],
  ["dle.inlet.flow", 426, 92], ["dle.inlet.temperature", 426, 138], ["dle.inlet.pressure", 426, 184],
  ["wash.flow", 426, 230],
  ["dle.column.1.dp", 770, 92], ["dle.column.2.dp", 770, 138], ["dle.outlet.li", 770, 184],
  ["dle.sorbent.capacity", 770, 230],
  ["reinjection.flow", 1072, 92], ["reinjection.temperature", 1072, 138], ["reinjection.pressure", 1072, 184],
  ["eluate.flow", 426, 382], ["eluate.li", 426, 472],
  ["ro.pressure", 670, 382], ["ro.concentrate.li", 670, 472], ["ro.permeate.flow", 830, 382],
  ["refinery.feed.flow", 830, 472], ["product.rate", 1000, 526],
  ["freshwater.flow", 74, 378], ["power.total", 74, 424]];
let built = false;

function buildSchematic() {
  const present = s => !!S.bySignal[s];
  let g = `<defs>
    <pattern id="hatch-bad" patternUnits="userSpaceOnUse" width="8" height="8" patternTransform="rotate(45)">
      <rect width="8" height="8" fill="#fdf1f0"/><rect width="4" height="8" fill="#f3c4c0"/></pattern>
    <pattern id="hatch-unc" patternUnits="userSpaceOnUse" width="8" height="8" patternTransform="rotate(45)">
      <rect width="8" height="8" fill="#fdf8e6"/><rect width="4" height="8" fill="#f2dc94"/></pattern></defs>`;
  const title = (x, y, text) => `<text class="unit-title" x="${x}" y="${y}">${text}</text>`;
  const bubble = (x, y, text) => `<g class="bubble"><circle cx="${x}" cy="${y}" r="13"/>
    <text x="${x}" y="${y + 3}" text-anchor="middle">${text}</text></g>`;
  const arrow = (x, y, down) => down ? `<path class="flowarrow" d="M${x - 6} ${y} l6 12 l6 -12 z"/>`
    : `<path class="flowarrow" d="M${x} ${y - 6} l12 6 l-12 6 z"/>`;
  // Ground, and the production well with its pump.
  g += `<path class="ground" d="M10 586 H230 M1040 586 H1230"/>`;
  g += title(20, 26, "PRODUCTION WELL");
  g += `<rect class="equip" x="40" y="60" width="18" height="540"/><path class="equip" d="M32 52 h34 v10 h-34 z"/>`;
  g += `<circle class="equip" cx="49" cy="520" r="14"/><path d="M42 528 L49 512 L56 528 z" fill="#6d767e"/>`;
  g += `<text class="unit-title" x="70" y="524" style="font-size:10px">PUMP P101</text>`;
  // Brine: well → heat exchanger → DLE header → columns → collector → reinjection well.
  g += `<path class="pipe" d="M58 60 H706 V78 M626 60 V78"/>`;
  g += `<path class="pipe" d="M626 300 V330 M706 300 V330 M626 330 H1170"/>`;
  g += arrow(196, 60) + arrow(380, 60) + arrow(560, 60) + arrow(960, 330);
  g += bubble(110, 60, "FT");
  g += title(250, 26, "HEAT EXCHANGE") + `<g><circle class="equip" cx="320" cy="60" r="24"/>
    <path d="M298 60 l8 -12 l8 24 l8 -24 l8 24 l8 -12" fill="none" stroke="#4f585f" stroke-width="2"/></g>`;
  if (present("brine.li")) g += title(250, 216, "BRINE ANALYSER") + bubble(156, 60, "AT");
  g += title(426, 26, "DLE COLUMNS");
  [1, 2].forEach((c, i) => { const x = 600 + i * 80;
    g += `<rect class="equip" x="${x}" y="78" width="52" height="222" rx="22"/>
      <text class="colname" x="${x + 26}" y="110" text-anchor="middle">C${c}</text>
      <text class="phase" data-phase="${c}" x="${x + 26}" y="196" text-anchor="middle">—</text>`; });
  g += title(1072, 26, "REINJECTION WELL");
  g += `<rect class="equip" x="1161" y="330" width="18" height="270"/>`;
  g += `<path class="equip" d="M1153 322 h34 v10 h-34 z"/>`;
  // Eluate: DLE → RO → refinery buffer tank → product silo.
  g += `<path class="pipe eluate" d="M600 280 H588 V460 H1010 M652 280 H680"/>`;
  g += arrow(588, 400, true) + arrow(636, 460) + arrow(940, 460);
  g += title(426, 372, "ELUATE") + title(600, 372, "RO") + title(1000, 372, "REFINERY");
  g += `<g><rect class="equip" x="600" y="440" width="56" height="40"/><path d="M600 480 L656 440" stroke="#4f585f"
    stroke-width="2"/></g>`;
  if (present("refinery.tank.level")) g += level(1000, 400, 56, 96, "refinery.tank.level", "T601");
  if (present("product.tank.level")) g += level(1086, 400, 56, 96, "product.tank.level", "SILO");
  g += `<path class="pipe eluate" d="M1056 470 H1086"/>`;
  g += title(74, 368, "UTILITIES");
  for (const [signal, x, y] of BOXES) if (present(signal)) g += box(signal, x, y);
  $("schematic").innerHTML = g;
  built = true;
  drawSchematicAlarms();
}

function level(x, y, w, h, signal, name) {
  return `<g class="tank" data-level="${signal}">
    <rect class="level-bg" x="${x}" y="${y}" width="${w}" height="${h}" rx="4"/>
    <rect class="level" x="${x + 2}" y="${y + h - 2}" width="${w - 4}" height="0"/>
    <text class="colname" x="${x + w / 2}" y="${y + 14}" text-anchor="middle" style="font-size:10px">${name}</text>
    <text class="phase lvl" x="${x + w / 2}" y="${y + h / 2 + 4}" text-anchor="middle">—</text></g>`;
}

function box(signal, x, y) {
  const t = S.bySignal[signal];
  return `<g class="val good" data-signal="${signal}" data-tag="${esc(t.name)}" transform="translate(${x},${y})">
    <title>${esc(t.name)} · ${esc(t.description)}</title><rect width="${BOX_W}" height="${BOX_H}" rx="3"/>
    <text class="tn" x="6" y="13">${esc(t.name)}</text>
    <text class="qr" x="${BOX_W - 6}" y="13" text-anchor="end"></text>
    <text x="${BOX_W - 6}" y="33" text-anchor="end"><tspan class="v">—</tspan><tspan class="u"
      dx="4">${esc(t.unit === "1" ? "" : t.unit)}</tspan></text>
    <g class="flag" transform="translate(${BOX_W - 30},-8)"><rect width="30" height="14" rx="2"/>
      <text x="15" y="11" text-anchor="middle"></text></g></g>`;
}

const PHASES = ["IDLE", "LOAD", "WASH", "ELUTE"];
function drawSchematicValues() {
  if (!built) return;
  for (const el of document.querySelectorAll("#schematic .val")) {
    const t = S.byName[el.dataset.tag]; if (!t) continue;
    const q = cls(t.quality);
    el.classList.remove("good", "uncertain", "bad"); el.classList.add(q);
    el.querySelector(".v").textContent = fmt(t.value) + mark(t.quality);
    el.querySelector(".qr").textContent = q === "good" ? "" : t.quality.reason + (t.quality.detail ? " " + t.quality.detail : "");
    el.querySelector("title").textContent = `${t.name} · ${t.description} · ${qtext(t.quality)}`;
  }
  for (const el of document.querySelectorAll("#schematic [data-phase]")) {
    const t = S.bySignal[`dle.column.${el.dataset.phase}.phase`];
    el.textContent = t && t.value !== null ? (PHASES[t.value] || String(t.value)) + mark(t.quality) : "—";
  }
  for (const el of document.querySelectorAll("#schematic [data-level]")) {
    const t = S.bySignal[el.dataset.level], bar = el.querySelector(".level"), bg = el.querySelector(".level-bg");
    const h = Number(bg.getAttribute("height")) - 4, y = Number(bg.getAttribute("y"));
    const f = t && isFinite(t.value) && t.value !== null ? Math.max(0, Math.min(1, t.value / 100)) : 0;
    bar.setAttribute("y", y + 2 + h * (1 - f)); bar.setAttribute("height", h * f);
    el.querySelector(".lvl").textContent = t ? fmt(t.value) + " %" + mark(t.quality) : "—";
  }
}

function drawSchematicAlarms() {
  if (!built) return;
  const worst = {};
  for (const a of S.alarms) {
    if (a.state === "normal" || a.shelvedUntil || a.outOfService) continue;
    if (!worst[a.source] || a.priority < worst[a.source].priority) worst[a.source] = a;
  }
  for (const el of document.querySelectorAll("#schematic .val")) {
    const a = worst[el.dataset.tag];
    el.classList.remove("alarmed", "al-high", "al-medium", "al-low");
    if (!a) continue;
    el.classList.add("alarmed", "al-" + band(a.priority));
    el.querySelector(".flag text").textContent = a.kind;
  }
}
