import PlantConfig
import ProcessModel

/// Input: a plant description's text. A load returns a plant whose every number is usable, or a
/// ``PlantConfig/PlantConfigError``; nothing else, and within seconds.
enum ConfigLoaderFuzz {
    static func check(_ bytes: UnsafeRawBufferPointer) -> String? {
        let text = String(decoding: bytes, as: UTF8.self)
        let clock = ContinuousClock()
        let start = clock.now
        defer { _ = start }
        do {
            let plant = try PlantLoader.load(yaml: text, file: "fuzz.yaml")
            for device in plant.devices {
                for tag in device.tags where !(0...65535).contains(tag.address) || tag.lastAddress > 65535 {
                    return "tag \(tag.name) accepted at \(tag.address)...\(tag.lastAddress)"
                }
                for group in device.scanGroups { _ = device.readPlan(group: group.name) }
            }
            _ = plant.allTags.count
        } catch is PlantConfigError {
        } catch {
            return "not a PlantConfigError: \(type(of: error)): \(error)"
        }
        let elapsed = start.duration(to: clock.now)
        return elapsed > .seconds(5) ? "took \(elapsed) for \(bytes.count) bytes" : nil
    }

    static func input(_ random: inout SplitMix64, corpus: [[UInt8]]) -> [UInt8] {
        guard !corpus.isEmpty else { return Mutation.bytes([], &random) }
        // The smallest file (the minimal plant) 19 times in 20: Yams composes a shipped plant in 16 ms in a debug
        // build, the minimal one in under 1 ms, and a loop of 10,000 inputs must take seconds.
        let pick = corpus.indices.min { corpus[$0].count < corpus[$1].count }!
        let base = random.below(20) == 0 ? corpus[Int(random.below(UInt64(corpus.count)))] : corpus[pick]
        switch random.below(10) {
        case 0: return base
        case 1...3: return Mutation.bytes(base, &random)
        case 4...7: return Array(lines(String(decoding: base, as: UTF8.self), &random).utf8)
        default: return Array((String(decoding: base, as: UTF8.self) + "\n" + aliasBomb(&random)).utf8)
        }
    }

    /// Line edits: a number replaced by a hostile one, a line deleted, duplicated or moved, an anchor and alias.
    static func lines(_ text: String, _ random: inout SplitMix64) -> String {
        var lines = text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        guard !lines.isEmpty else { return text }
        for _ in 0..<(1 + Int(random.below(3))) {
            let index = Int(random.below(UInt64(lines.count)))
            switch random.below(5) {
            case 0, 1:
                // Replace the first number on the line.
                let line = lines[index]
                if let start = line.firstIndex(where: \.isNumber) {
                    let end = line[start...].firstIndex { !$0.isNumber && $0 != "." } ?? line.endIndex
                    let hostile = Mutation.hostileNumbers[Int(random.below(UInt64(Mutation.hostileNumbers.count)))]
                    lines[index] = String(line[..<start]) + hostile + String(line[end...])
                }
            case 2: lines.remove(at: index)
            case 3: lines.insert(lines[index], at: Int(random.below(UInt64(lines.count))))
            default:
                // Anchor a value and alias it from another line.
                if let colon = lines[index].firstIndex(of: ":") {
                    lines[index].insert(contentsOf: " &f\(index)", at: lines[index].index(after: colon))
                    let other = Int(random.below(UInt64(lines.count)))
                    if let otherColon = lines[other].firstIndex(of: ":") {
                        lines[other] = String(lines[other][...otherColon]) + " *f\(index)"
                    }
                }
            }
            if lines.isEmpty { break }
        }
        return lines.joined(separator: "\n")
    }

    /// Nested anchors, each aliasing the previous one `width` times, as top-level keys: small ones (at most 243
    /// nodes) that load, and bombs of millions of nodes that the expansion bound refuses. (The bound itself is
    /// tested at its edge by YAMLExpansionTests; documents just under it cost a second each to expand in a debug
    /// build, too slow for a loop of thousands.)
    static func aliasBomb(_ random: inout SplitMix64) -> String {
        let small = random.below(2) == 0
        let depth = small ? 2 + Int(random.below(4)) : 7 + Int(random.below(6))
        let width = small ? 2 + Int(random.below(2)) : 9 + Int(random.below(2))
        var text = "b0: &b0 [" + Array(repeating: "x", count: width).joined(separator: ", ") + "]\n"
        for level in 1...depth {
            text += "b\(level): &b\(level) [" + Array(repeating: "*b\(level - 1)", count: width).joined(separator: ", ") + "]\n"
        }
        return text
    }
}
