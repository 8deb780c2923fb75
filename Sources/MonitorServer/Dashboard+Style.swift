extension Dashboard {
    /// The page's CSS. Colour means something only where something is abnormal: alarms by priority (red high,
    /// orange medium, yellow low) and quality (hatched red bad, hatched amber uncertain); the rest is grey.
    static let style = #"""
    :root{--bg:#dcdfe3;--panel:#eceef0;--line:#c3c8ce;--ink:#1e2327;--muted:#5d6770;--equip:#7c858d;
      --high:#d0202a;--medium:#ef7d00;--low:#e0b700;--bad:#b3261e;--unc:#8f6b00}
    *{box-sizing:border-box}
    body{font:13px/1.35 "DejaVu Sans",system-ui,sans-serif;margin:0;background:var(--bg);color:var(--ink)}
    header{background:#26323d;color:#eef1f4;padding:8px 16px;display:flex;align-items:center;gap:24px}
    .brand{display:flex;align-items:center;gap:10px;min-width:330px}
    header h1{font-size:17px;margin:0;font-weight:600} header .brand span{font-size:12px;color:#aeb8c2}
    .summary{flex:1;display:flex;gap:8px;flex-wrap:wrap}
    .chip{border-radius:3px;padding:2px 8px;font-size:12px;font-weight:600;background:#3a4753;color:#d5dce2}
    .chip.high{background:var(--high);color:#fff}.chip.medium{background:var(--medium);color:#1e2327}
    .chip.low{background:var(--low);color:#1e2327}
    .status{display:flex;gap:12px;align-items:center;font-variant-numeric:tabular-nums}
    .pill{border-radius:10px;padding:2px 10px;font-size:12px;font-weight:600;background:#5d6770}
    .pill.live{background:#2f6f3e}.pill.down{background:var(--high)}
    main{display:grid;grid-template-columns:minmax(0,1fr) 460px;gap:12px;padding:12px}
    .left,.right{display:flex;flex-direction:column;gap:12px;min-width:0}
    section{background:var(--panel);border:1px solid var(--line);border-radius:4px;padding:8px 12px}
    h2{font-size:12px;margin:0 0 6px;text-transform:uppercase;letter-spacing:.06em;color:var(--muted);
      display:flex;gap:8px;align-items:center} h2 small{text-transform:none;letter-spacing:0;font-weight:400}
    select,input{font:inherit;font-size:12px;padding:2px 4px;border:1px solid #aab2ba;border-radius:3px;background:#fff}
    button{font:inherit;font-size:12px;padding:2px 8px;border:1px solid #8d969e;border-radius:3px;background:#f7f8f9;
      cursor:pointer} button:hover{background:#e4e8eb} button:disabled{color:#9aa2a9;cursor:default;background:#eceef0}
    #schematic{width:100%;height:auto;display:block;background:#e3e6e9;border:1px solid #cfd4d9}
    #schematic text{font-family:"DejaVu Sans",system-ui,sans-serif}
    .unit-title{font-size:12px;font-weight:700;fill:#4a545d;letter-spacing:.05em}
    .equip{fill:#cdd2d7;stroke:var(--equip);stroke-width:2}
    .pipe{fill:none;stroke:#8a939b;stroke-width:6;stroke-linejoin:round}
    .pipe.eluate{stroke:#6f8fb0;stroke-width:4}.pipe.water{stroke:#9aa9b5;stroke-width:3;stroke-dasharray:8 4}
    .flowarrow{fill:#6d767e}.ground{stroke:#8b7b62;stroke-width:2}
    .bubble circle{fill:#f3f4f5;stroke:#6d767e;stroke-width:1.5}.bubble text{font-size:9px;fill:#3d454c}
    .val rect{fill:#f4f5f6;stroke:#9aa3ab;stroke-width:1}
    .val .tn{font-size:10px;fill:var(--muted)}.val .v{font-size:15px;font-weight:700;fill:var(--ink)}
    .val .u{font-size:11px;fill:var(--muted)}.val .qr{font-size:9px;font-weight:700;fill:var(--bad)}
    .val.uncertain .qr{fill:var(--unc)}
    .val.uncertain rect{fill:url(#hatch-unc);stroke:var(--unc);stroke-dasharray:4 2}.val.uncertain .v{fill:var(--unc)}
    .val.bad rect{fill:url(#hatch-bad);stroke:var(--bad);stroke-dasharray:4 2}
    .val.bad .v{fill:var(--bad);text-decoration:line-through}
    .val .flag{display:none}.val.alarmed .flag{display:inline}
    .val.al-high rect{stroke:var(--high);stroke-width:3;stroke-dasharray:none}.val.al-high .flag rect{fill:var(--high)}
    .val.al-medium rect{stroke:var(--medium);stroke-width:3;stroke-dasharray:none}
    .val.al-medium .flag rect{fill:var(--medium)}
    .val.al-low rect{stroke:var(--low);stroke-width:3;stroke-dasharray:none}.val.al-low .flag rect{fill:var(--low)}
    .flag text{font-size:10px;font-weight:700;fill:#fff}.val.al-low .flag text,.val.al-medium .flag text{fill:#1e2327}
    .level-bg{fill:#f4f5f6;stroke:var(--equip);stroke-width:2}.level{fill:#9fb2c4}
    .phase{font-size:11px;font-weight:700;fill:#3d454c}.colname{font-size:12px;font-weight:700;fill:#3d454c}
    .legend{display:flex;gap:10px;margin-top:6px;font-size:11px;color:var(--muted)}
    .lg{padding:1px 6px;border:1px solid #9aa3ab;border-radius:2px;background:#f4f5f6}
    .lg.uncertain,.tile.uncertain,tr.uncertain td.num{
      background:repeating-linear-gradient(45deg,#f6e7b4 0 4px,#fff 4px 8px);
      border-color:var(--unc);color:var(--unc)}
    .lg.bad,.tile.bad,tr.bad td.num{background:repeating-linear-gradient(45deg,#f3c4c0 0 4px,#fff 4px 8px);
      border-color:var(--bad);color:var(--bad)}
    .lg.al-high{border:2px solid var(--high)}.lg.al-medium{border:2px solid var(--medium)}
    .lg.al-low{border:2px solid var(--low)}
    .tiles{display:grid;grid-template-columns:repeat(2,minmax(0,1fr));gap:8px}
    .tile{border:1px solid var(--line);border-radius:3px;padding:6px 8px;background:#f7f8f9}
    .tile b{font-size:21px;display:block;font-variant-numeric:tabular-nums;font-weight:600}
    .tile small{color:var(--muted);display:block;white-space:nowrap;overflow:hidden;text-overflow:ellipsis}
    .tile.primary{border-left:4px solid #5d7f9e}
    table{border-collapse:collapse;width:100%;font-size:12px}
    td,th{padding:3px 6px;border-bottom:1px solid #dde1e5;text-align:left;vertical-align:top}
    th{color:var(--muted);font-weight:600;position:sticky;top:0;background:var(--panel)}
    .num{text-align:right;font-variant-numeric:tabular-nums;white-space:nowrap}
    .scroll{max-height:320px;overflow:auto}
    .token{display:flex;gap:8px;align-items:center;margin-bottom:4px}.token input{flex:1}
    .token label{color:var(--muted);font-size:12px}
    #alarmStatus{min-height:18px;font-size:12px;color:var(--muted)}#alarmStatus.error{color:var(--bad)}
    #alarms tr td:first-child{width:8px;padding:0}
    #alarms tr.high td:first-child{background:var(--high)}#alarms tr.medium td:first-child{background:var(--medium)}
    #alarms tr.low td:first-child{background:var(--low)}
    #alarms tr.unacknowledgedActive{font-weight:600}
    #alarms tr.unacknowledgedActive .state{color:var(--high)}
    #alarms tr.returnedUnacknowledged .state{color:var(--medium)}
    #alarms .state{font-size:11px;color:var(--muted);font-weight:400}
    #alarms .acts{white-space:nowrap;text-align:right}
    #journal td{font-size:11px}#journal .who{color:#2c5d8a;font-weight:600;white-space:nowrap}
    .dev{display:inline-block;width:9px;height:9px;border-radius:50%;margin-right:6px;background:#2f8a45}
    .dev.down{background:var(--high)}
    #trend svg{width:100%;height:230px;display:block}
    #trend .grid{stroke:#cfd4d9;stroke-width:1}#trend .axis{font-size:10px;fill:var(--muted)}
    #trend .band{fill:#c6d4e2}#trend .mean{fill:none;stroke:#2d4f6e;stroke-width:1.5}
    #trend .badq{fill:#f3c4c0;opacity:.8}#trend .limit{stroke:var(--high);stroke-dasharray:5 3;stroke-width:1}
    #trend .limit.warn{stroke:var(--medium)}
    """#
}
