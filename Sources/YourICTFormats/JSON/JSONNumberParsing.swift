/// Number conversions that work directly on token bytes, so the hot path
/// never builds a `String` and timestamps never pass through `Double`.
package enum JSONNumberParsing {
    /// Exponents beyond this are clamped; the result is already out of range
    /// (or zero) long before, and clamping keeps the arithmetic from overflowing.
    private static let exponentLimit = 100_000

    /// Exactly representable powers of ten, for the Clinger fast path.
    private static let powersOfTen: [Double] = [
        1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11,
        1e12, 1e13, 1e14, 1e15, 1e16, 1e17, 1e18, 1e19, 1e20, 1e21, 1e22,
    ]

    @inline(__always)
    private static func digitValue(_ byte: UInt8) -> UInt8? {
        let value = byte &- UInt8(ascii: "0")
        return value < 10 ? value : nil
    }

    /// Converts validated JSON number text, read as seconds, to milliseconds
    /// using integer arithmetic only. Digits below the millisecond are rounded
    /// half away from zero (`.1234` → 123, `.1235` → 124, `-1.0005` → -1001);
    /// exponents are applied exactly. Returns nil when the result does not fit
    /// in `Int64`.
    static func timestampMillis(_ text: UnsafeBufferPointer<UInt8>) -> Int64? {
        // Fast path for what Prometheus sends: up to 15 integer digits (so
        // the millisecond value cannot overflow) and at most 3 fraction digits.
        let count = text.count
        let negative = text[0] == UInt8(ascii: "-")
        var index = negative ? 1 : 0
        var seconds: Int64 = 0
        while index < count, let value = digitValue(text[index]) {
            seconds = seconds &* 10 &+ Int64(value)
            index += 1
        }
        if index <= 15 + (negative ? 1 : 0) {
            var millis = seconds &* 1000
            if index < count, text[index] == UInt8(ascii: ".") {
                index += 1
                var scale: Int64 = 100
                while index < count, scale > 0, let value = digitValue(text[index]) {
                    millis &+= Int64(value) &* scale
                    scale /= 10
                    index += 1
                }
            }
            if index == count { return negative ? -millis : millis }
        }
        return exactTimestampMillis(text)
    }

    /// The general case of `timestampMillis`: any digit count and exponent.
    private static func exactTimestampMillis(_ text: UnsafeBufferPointer<UInt8>) -> Int64? {
        let count = text.count
        var index = 0
        let negative = count > 0 && text[0] == UInt8(ascii: "-")
        if negative { index = 1 }
        let integerStart = index
        while index < count, digitValue(text[index]) != nil { index += 1 }
        let integerCount = index - integerStart
        var fractionStart = index
        var fractionCount = 0
        if index < count, text[index] == UInt8(ascii: ".") {
            index += 1
            fractionStart = index
            while index < count, digitValue(text[index]) != nil { index += 1 }
            fractionCount = index - fractionStart
        }
        var exponent = 0
        if index < count {
            index += 1  // 'e' or 'E'
            var exponentNegative = false
            if text[index] == UInt8(ascii: "+") || text[index] == UInt8(ascii: "-") {
                exponentNegative = text[index] == UInt8(ascii: "-")
                index += 1
            }
            while index < count {
                exponent = min(exponent * 10 + Int(text[index] &- UInt8(ascii: "0")), exponentLimit)
                index += 1
            }
            if exponentNegative { exponent = -exponent }
        }

        // Digit k of the concatenated integer and fraction digits is worth
        // 10^(integerCount - 1 - k + exponent) seconds, so the first
        // `keptCount` digits are at or above the millisecond position.
        let totalCount = integerCount + fractionCount
        let keptCount = integerCount + exponent + 3
        func digit(_ k: Int) -> UInt64 {
            let byte = k < integerCount ? text[integerStart + k] : text[fractionStart + k - integerCount]
            return UInt64(byte &- UInt8(ascii: "0"))
        }
        // The magnitude is unsigned so that Int64.min stays reachable.
        var magnitude: UInt64 = 0
        var k = 0
        while k < min(keptCount, totalCount) {
            let (shifted, overflow1) = magnitude.multipliedReportingOverflow(by: 10)
            let (sum, overflow2) = shifted.addingReportingOverflow(digit(k))
            if overflow1 || overflow2 { return nil }
            magnitude = sum
            k += 1
        }
        var padding = keptCount - totalCount
        while padding > 0, magnitude != 0 {
            let (shifted, overflow) = magnitude.multipliedReportingOverflow(by: 10)
            if overflow { return nil }
            magnitude = shifted
            padding -= 1
        }
        if keptCount >= 0, keptCount < totalCount, digit(keptCount) >= 5 {
            let (rounded, overflow) = magnitude.addingReportingOverflow(1)
            if overflow { return nil }
            magnitude = rounded
        }
        if negative {
            return magnitude <= Int64.min.magnitude ? Int64(truncatingIfNeeded: 0 &- magnitude) : nil
        }
        return magnitude <= Int64.max.magnitude ? Int64(magnitude) : nil
    }

    /// Parses decimal float text: an optional sign, digits with an optional
    /// fraction (either side of the point may be empty, not both) and an
    /// optional exponent. This accepts every JSON number plus the decimal
    /// forms Go's `strconv.FormatFloat` emits in Prometheus sample values;
    /// special values such as `NaN` are the caller's business.
    ///
    /// Short inputs take Clinger's fast path (an exact integer mantissa times
    /// an exact power of ten is correctly rounded); anything longer falls
    /// back to the standard library's correctly rounded conversion.
    package static func double(_ text: UnsafeBufferPointer<UInt8>) -> Double? {
        let count = text.count
        var index = 0
        var negative = false
        if count > 0, text[0] == UInt8(ascii: "-") || text[0] == UInt8(ascii: "+") {
            negative = text[0] == UInt8(ascii: "-")
            index = 1
        }
        var mantissa: UInt64 = 0
        var significantDigits = 0
        var decimalExponent = 0
        var digitCount = 0
        while index < count, let value = digitValue(text[index]) {
            if mantissa != 0 || value != 0 { significantDigits += 1 }
            if significantDigits <= 19 { mantissa = mantissa &* 10 &+ UInt64(value) }
            digitCount += 1
            index += 1
        }
        if index < count, text[index] == UInt8(ascii: ".") {
            index += 1
            while index < count, let value = digitValue(text[index]) {
                if mantissa != 0 || value != 0 { significantDigits += 1 }
                if significantDigits <= 19 {
                    mantissa = mantissa &* 10 &+ UInt64(value)
                    decimalExponent -= 1
                }
                digitCount += 1
                index += 1
            }
        }
        guard digitCount > 0 else { return nil }
        if index < count, text[index] | 0x20 == UInt8(ascii: "e") {
            index += 1
            var exponentNegative = false
            if index < count, text[index] == UInt8(ascii: "+") || text[index] == UInt8(ascii: "-") {
                exponentNegative = text[index] == UInt8(ascii: "-")
                index += 1
            }
            var exponent = 0
            let exponentStart = index
            while index < count, let value = digitValue(text[index]) {
                exponent = min(exponent * 10 + Int(value), exponentLimit)
                index += 1
            }
            guard index > exponentStart else { return nil }
            decimalExponent += exponentNegative ? -exponent : exponent
        }
        guard index == count else { return nil }

        if mantissa == 0 { return negative ? -0.0 : 0.0 }
        if significantDigits <= 19, mantissa <= 1 << 53, (-22...22).contains(decimalExponent) {
            let magnitude = decimalExponent < 0
                ? Double(mantissa) / powersOfTen[-decimalExponent]
                : Double(mantissa) * powersOfTen[decimalExponent]
            return negative ? -magnitude : magnitude
        }
        return Double(String(decoding: text, as: UTF8.self))
    }
}
