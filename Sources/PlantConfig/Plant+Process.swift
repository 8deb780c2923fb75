public import ProcessModel

extension Plant {
    /// The process parameters of this plant: the one parameter set that `geolith estimate`, `sweep`, `compare`,
    /// `column`, `replay`, the simulator and the monitor's soft sensors all take. Brine, flows and well pressures
    /// come from the description; the `process:` section and then `overrides` (e.g. `geolith estimate --set`) are
    /// applied together in the catalogue's order (``ProcessParameterCatalogue/ordered(_:key:)``), an override
    /// taking the place of the same key in the file, so the result does not depend on the order of either.
    ///
    /// - Parameter overrides: `(key, value)` pairs; a key given twice keeps its last value.
    /// - Returns: parameters that passed ``FlowsheetParameters/validate(pendingDynamic:)``.
    /// - Throws: ``PlantConfigError`` listing every unknown key, bad value and invalid parameter of the
    ///   `process:` section with its file, line and column; ``ProcessParameterError`` for a bad override.
    public func flowsheetParameters(overrides: [(key: String, value: String)] = []) throws -> FlowsheetParameters {
        guard brine != nil else {
            throw PlantConfigError(issues: [
                issue(source, "brine", "this description is for monitoring only: the process model needs \"brine:\" "
                    + "(and \"wells:\" or process.production.flow; see docs/plant-description.md)", .missingKey)
            ])
        }
        var p = describedParameters
        let base = p
        var issues: [PlantConfigError.Issue] = []
        let leaves = process.map { Self.leaves(of: $0, path: "") } ?? []
        var fileAssignments: [(key: String, value: String, location: SourceLocation)] = []
        for leaf in leaves {
            guard let text = leaf.text else {
                issues.append(issue(leaf.location, "process.\(leaf.key)", "expected a single value", .wrongType))
                continue
            }
            fileAssignments.append((leaf.key, text, leaf.location))
        }
        // The file alone first, so its errors carry their place in the file.
        for assignment in ProcessParameterCatalogue.ordered(fileAssignments, key: \.key) {
            do {
                try ProcessParameterCatalogue.set(assignment.key, to: assignment.value, in: &p)
            } catch {
                let kind: PlantConfigError.Kind =
                    ProcessParameterCatalogue.parameter(assignment.key) == nil ? .unknownKey : .invalidValue
                issues.append(issue(assignment.location, "process.\(assignment.key)", error.message, kind))
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
        guard !overrides.isEmpty else { return p }
        // Then the file and the overrides as one list, in the catalogue's order: a `--set refining.route` is
        // applied before the file's yield, as it would be had the file named that route.
        let overridden = Set(overrides.map(\.key))
        var merged = fileAssignments.filter { !overridden.contains($0.key) }.map { (key: $0.key, value: $0.value) }
        merged += overrides
        var result = base
        try ProcessParameterCatalogue.apply(merged, to: &result)
        return result
    }

    /// The parameters the description gives outside its `process:` section: brine, production flow, the
    /// site's grid, the wells' pressures; every process parameter at its default.
    public var describedParameters: FlowsheetParameters {
        var p = FlowsheetParameters(brine: processBrine, productionFlow: productionFlow)
        p.energy = site.flatMap { SiteEnergy.forCountry($0.country) } ?? .germany
        if let pressure = wells.first(where: { $0.role == .production })?.pressure {
            p.well.wellheadPressure = pressure
        }
        if let pressure = wells.first(where: { $0.role == .reinjection })?.pressure {
            p.reinjection.pressure = pressure
        }
        return p
    }

    /// The `process:` section's scalar values as (key, text) in file order (sequences left out: the loader
    /// rejects them), for callers that apply them with other assignments
    /// (``ProcessParameterCatalogue/ordered(_:key:)``).
    public var processAssignments: [(key: String, value: String)] {
        (process.map { Self.leaves(of: $0, path: "") } ?? []).compactMap { leaf in leaf.text.map { (leaf.key, $0) } }
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
