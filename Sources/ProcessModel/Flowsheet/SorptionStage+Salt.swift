/// The chloride each step of the cycle brings to the sorbent: what sets a salt-modulated sorbent's affinity
/// (``Sorbent/affinity(chloride:)``) in the equilibrium model and the plant's dynamic column alike.
///
/// Concentrations in mol/m³. The load sees the brine's chloride (its `Cl`, else its TDS as NaCl); the wash its
/// salt as NaCl (``SorptionStage/washSalt``); the eluent its salt as NaCl (``SorptionStage/eluentSalt``) plus
/// its Li as LiCl. A KCl wash of the same chloride acts the same on the affinity.
extension SorptionStage {
    /// NaCl, g/mol (IUPAC atomic weights, docs/sources.md §4.1).
    static var sodiumChloride: Double { AtomicWeight.sodium + AtomicWeight.chlorine }

    /// Chloride of a brine, mol/m³: its `Cl` when the plant gives one, else its TDS counted as NaCl.
    public static func chloride(of brine: Brine) -> Double {
        if let chloride = brine.composition[.Cl] { return chloride.milligramsPerLitre / AtomicWeight.chlorine }
        return brine.totalDissolvedSolids.gramsPerLitre * 1000 / sodiumChloride
    }

    /// Chloride of the wash solution, mol/m³ (its salt as NaCl).
    public var washChloride: Double { washSalt.gramsPerLitre * 1000 / Self.sodiumChloride }

    /// Chloride of the eluent, mol/m³: its salt as NaCl and its Li as LiCl.
    public var eluentChloride: Double {
        eluentSalt.gramsPerLitre * 1000 / Self.sodiumChloride + eluentLithium.milligramsPerLitre / AtomicWeight.lithium
    }

    /// Σ c_j/α_j of the eluent, mg/L: the sodium of its salt.
    var eluentCompetitors: Double {
        eluentSalt.gramsPerLitre * 1000 * AtomicWeight.sodium / Self.sodiumChloride / sorbent.selectivity.sodium
    }
}
