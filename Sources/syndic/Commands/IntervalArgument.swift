import ArgumentParser

/// A time between cycles written as 30s, 5m, 1h (or plain seconds).
struct IntervalArgument: ExpressibleByArgument {
    let seconds: Double

    init(seconds: Double) { self.seconds = seconds }

    init?(argument: String) {
        let units: [Character: Double] = ["s": 1, "m": 60, "h": 3600]
        if let unit = argument.last, let factor = units[unit], let value = Double(argument.dropLast()), value > 0 {
            seconds = value * factor
        } else if let value = Double(argument), value > 0 {
            seconds = value
        } else {
            return nil
        }
    }
}
