import Foundation
import ProcessModel

extension PlantDynamics {
    /// Advances the plant by `dt` simulated seconds (0 recomputes the outputs only).
    public mutating func step(_ dt: Double) {
        let d = disturbances
        time += dt

        // Production pump and well.
        let target = d.pumpTripped ? 0.0 : 1.0
        speedFraction += (target - speedFraction) * lag(dt, k.pumpRamp)
        if speedFraction < 1e-4 && d.pumpTripped { speedFraction = 0 }
        let qb = k.brineFlow * speedFraction  // m³/s
        let hot = k.wellheadTemperature + d.brineTemperatureDelta
        let wellTarget = k.shutInTemperature + (hot - k.shutInTemperature) * speedFraction
        wellheadTemperature += (wellTarget - wellheadTemperature) * lag(dt, speedFraction > 0.1 ? k.warmUp : k.coolDown)
        let cb = k.brineLithium * d.brineLiFactor  // kg/m³
        set(.productionFlow, qb * 1000)
        set(.productionTemperature, wellheadTemperature)
        set(.productionPressure, k.shutInPressure + (k.wellheadPressure - k.shutInPressure) * speedFraction)
        set(.pumpRunning, d.pumpTripped || speedFraction < 0.05 ? 0 : 1)
        set(.pumpSpeed, k.pumpFrequency * speedFraction)
        set(.pumpPower, k.pumpPower * speedFraction * speedFraction * speedFraction)
        set(.brineLi, cb * 1000)
        set(.brineTDS, k.tds)
        set(.brinePH, k.pH)

        // Heat exchange to the DLE inlet temperature.
        let dleTemperature = min(wellheadTemperature, k.inletSetpoint)
        set(.hxOutletTemperature, dleTemperature)
        set(.hxDuty, max(0, qb * k.density * k.specificHeat * (wellheadTemperature - dleTemperature) / 1000))
        set(.dleInletTemperature, dleTemperature)
        set(.dleInletPressure, max(1, k.inletPressure * speedFraction))

        // DLE: the sorbent's capacity against the design point follows its health, fouling and temperature.
        scalingDP += d.scalingRate * dt / 3600
        let capacity =
            health / k.initialHealth * d.foulingFactor
            * k.sorbent.maximumCapacity(at: .celsius(dleTemperature)) / k.nominalCapacity
        let dle =
            columnModels == nil
            ? stepDLE(dt, brineFlow: qb, brineLithium: cb, capacity: capacity)
            : stepResolvedDLE(dt, brineFlow: qb, brineLithium: cb, capacity: capacity)
        set(.dleInletFlow, dle.feed * 1000)
        set(.dleOutletLi, dle.feed > 0 ? dle.raffinateRate / dle.feed * 1000 : cb * 1000)
        set(.sorbentCapacity, health * d.foulingFactor)
        set(.washFlow, dle.wash * 3600)
        set(.eluateFlow, dle.eluate * 3600)
        if dle.eluate > 0 { heldEluateLi = dle.eluateRate / dle.eluate * 1000 }
        set(.eluateLi, heldEluateLi)

        let downstream = stepDownstream(dt, dle)

        // Reinjection and utilities.
        set(.reinjectionFlow, downstream.reinjected * 1000)
        set(.reinjectionTemperature, k.reinjection.temperature(afterDLEAt: .celsius(dleTemperature)).celsius)
        set(.reinjectionPressure, max(1, k.reinjection.pressure * speedFraction))
        set(.freshwaterFlow, downstream.freshWater * 3600)
        set(.powerTotal, downstream.power)
        energy += downstream.power * dt / 3600
        set(.energyTotal, energy)

        accounts.seconds += dt
        accounts.brineLithium += qb * cb * dt
        accounts.raffinateLithium += dle.raffinateLi
        accounts.brineVolume += qb * dt
        accounts.freshWater += downstream.freshWater * dt
        accounts.reinjectedVolume += downstream.reinjected * dt
        accounts.electricity += downstream.power * dt / 3600

        // Clocks: a column that ends its cycle starts the next with a little fade.
        for i in columns.indices {
            var next = columns[i].clock + dt
            if next >= k.cycle {
                next -= k.cycle
                health *= 1 - (k.fadePerCycle + d.extraFadePerCycle) / Double(columns.count)
            }
            columns[i].clock = next
        }
    }
}
