public import ProcessModel

extension Plant {
    /// The flowsheet parameters of this plant: brine and flows from its description, the `process:`
    /// section applied key by key through ``ProcessParameterCatalogue``, then `overrides` (e.g. from
    /// `geolith estimate --set`).
    ///
    /// - Parameter overrides: `(key, value)` pairs applied last, in order.
    /// - Returns: parameters that passed ``FlowsheetParameters/validate()``.
    /// - Throws: ``PlantConfigError`` listing every unknown key, bad value and invalid parameter of the
    ///   `process:` section with its file, line and column; ``ProcessParameterError`` for a bad override.
    public func flowsheetParameters(overrides: [(key: String, value: String)] = []) throws -> FlowsheetParameters {
        guard brine != nil else {
            throw PlantConfigError(issues: [
                issue(source, "brine", "this description is for monitoring only: the process model needs \"brine:\" "
                    + "(and \"wells:\" or process.production.flow; see docs/plant-description.md)", .missingKey)
            ])
        }
        var p = FlowsheetParameters(brine: processBrine, productionFlow: productionFlow)
        p.energy = site.flatMap { SiteEnergy.forCountry($0.country) } ?? .germany
        var issues: [PlantConfigError.Issue] = []
        let leaves = (process.map { Self.leaves(of: $0, path: "") } ?? [])
            .sorted { ProcessParameterCatalogue.applicationOrder($0.key) < ProcessParameterCatalogue.applicationOrder($1.key) }
        for leaf in leaves {
            guard let text = leaf.text else {
                issues.append(issue(leaf.location, "process.\(leaf.key)", "expected a single value", .wrongType))
                continue
            }
            do {
                try ProcessParameterCatalogue.set(leaf.key, to: text, in: &p)
            } catch {
                let kind: PlantConfigError.Kind = ProcessParameterCatalogue.parameter(leaf.key) == nil ? .unknownKey : .invalidValue
                issues.append(issue(leaf.location, "process.\(leaf.key)", error.message, kind))
            }
        }
        if issues.isEmpty {
            do {
                try p.validate(pendingDynamic: true)
            } catch {
                let location = leaves.first { $0.key == error.key }?.location ?? process?.location
                    ?? SourceLocation(file: file, line: 1, column: 1)
                issues.append(issue(location, "process.\(error.key)", error.message, .invalidValue))
            }
        }
        if !issues.isEmpty { throw PlantConfigError(issues: issues) }
        for (key, value) in overrides {
            try ProcessParameterCatalogue.set(key, to: value, in: &p)
        }
        return p
    }

    /// The brine of the description, typed: Li and the species the model knows, TDS, temperature, density.
    /// A monitoring-only description has none: then a brine of no lithium (the process model refuses such a
    /// plant in ``flowsheetParameters(overrides:)`` before it is used).
    public var processBrine: Brine {
        let brine = self.brine ?? BrineSpec(temperature: 20, tds: 0, composition: [:], sources: [])
        var composition: [BrineSpecies: MassConcentration] = [:]
        for (name, value) in brine.composition {
            if let species = BrineSpecies(rawValue: name), species != .Li { composition[species] = .milligramsPerLitre(value) }
        }
        return Brine(
            lithium: .milligramsPerLitre(brine.lithium ?? 0), totalDissolvedSolids: .gramsPerLitre(brine.tds),
            temperature: .celsius(brine.temperature), composition: composition,
            measuredDensity: brine.density.map { .kilogramsPerCubicMetre($0) })
    }

    /// Total design flow of the production wells.
    public var productionFlow: VolumeFlow {
        .cubicMetresPerHour(wells.filter { $0.role == .production }.map(\.flow).reduce(0, +))
    }

    private func issue(_ location: SourceLocation, _ keyPath: String, _ message: String, _ kind: PlantConfigError.Kind)
        -> PlantConfigError.Issue
    {
        .init(file: location.file, line: location.line, column: location.column, keyPath: keyPath, message: message,
            kind: kind)
    }

    private var file: String { process?.location.file ?? id }

    /// The scalar leaves of a mapping tree as dotted key paths (`dle.cycle_bed_volumes.load`).
    static func leaves(of node: ConfigNode, path: String) -> [(key: String, text: String?, location: SourceLocation)] {
        switch node {
        case let .mapping(entries, _):
            return entries.flatMap { entry in
                leaves(of: entry.value, path: path.isEmpty ? entry.key : "\(path).\(entry.key)")
            }
        case let .scalar(text, location):
            return [(path, text, location)]
        case let .sequence(_, location):
            return [(path, nil, location)]
        }
    }
}
