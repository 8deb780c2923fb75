import Foundation
import RegisterVocabulary

/// The live dashboard: one HTML page with its CSS and JavaScript, no framework, no CDN, no build step.
///
/// An overview in the manner of a high-performance HMI (ISA-101): a grey, quiet process schematic on which
/// only abnormal things draw attention. Values are boxes on the schematic; an alarm outlines its box in the
/// alarm's priority colour; bad and uncertain values are hatched and carry a marker (✖ bad, ? uncertain),
/// so quality never rests on colour alone. Charts and the schematic are SVG drawn by the page's own code.
///
/// The page, its CSS and its scripts are files in `Dashboard/`, embedded in the binary at build time by the
/// EmbedFiles plugin (`EmbeddedFiles.txt`): the page is served from memory, with no file beside the binary.
enum Dashboard {
    /// The page served at `/`: dashboard.html with its CSS and scripts in place.
    static let html = DashboardFiles.html
        .replacingOccurrences(of: "/* dashboard.css */\n", with: DashboardFiles.style)
        .replacingOccurrences(of: "/* dashboard.js */\n", with: DashboardFiles.script)
        .replacingOccurrences(of: "/* schematic.js */\n", with: DashboardFiles.schematicScript)
}
