import Foundation
import Historian
@testable import MonitorServer
import RegisterVocabulary
import Testing

/// The fleet's KPIs carry quality as the monitor's API does: the object `{good,status,reason[,detail]}`, not the
/// text the plant publishes it as.
@Suite struct FleetQualityTests {
    static var everyQuality: [Quality] {
        Quality.Status.allCases.flatMap { status in
            Quality.Reason.allCases.flatMap { reason in [Quality(status, reason), Quality(status, reason, detail: 2)] }
        }
    }

    @Test func theFleetWritesQualityAsTheMonitorsEncoderDoes() {
        for quality in Self.everyQuality {
            let monitor = String(decoding: JSONBodyEncoder.encode(QualityShape(quality: quality)).bytes, as: UTF8.self)
            #expect(FleetAPI.qualityJSON(quality).text == monitor, "\(quality)")
        }
    }

    @Test func aPublishedKPIQualityBecomesTheObject() throws {
        let kpi = PlantSnapshot.KPI(name: "li", label: "Li", value: 1, unit: "kg/h", quality: "bad(exception 2)")
        let text = FleetAPI.kpiJSON(kpi).text
        let object = try #require(try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any])
        let quality = try #require(object["quality"] as? [String: Any], "\(text)")
        #expect(quality["good"] as? Bool == false)
        #expect(quality["status"] as? String == "bad")
        #expect(quality["reason"] as? String == "exception")
        #expect(quality["detail"] as? Int == 2)
        let unreadable = PlantSnapshot.KPI(name: "li", label: "Li", value: 1, unit: "kg/h", quality: "splendid")
        #expect(FleetAPI.kpiJSON(unreadable).text.contains("\"quality\":null"), "\(FleetAPI.kpiJSON(unreadable).text)")
    }
}
