import Foundation

/// The buckets response times are counted in: logarithmic, each one
/// `gamma` = (1 + α) / (1 − α) times wider than the one before, with α = 1 %. A bucket
/// k holds the values in (γ^(k−1), γ^k] and stands for 2γ^k / (γ + 1), which is within
/// α of every value in it (the mapping of DDSketch, Masson et al., VLDB 2019). So a
/// percentile read from counts per bucket is within 1 % of the exact one, whatever the
/// number of samples, and memory grows with the buckets in use, never with samples.
///
/// Bucket numbers are `UInt16`: 0 holds zero, 1...65,535 the positive values from
/// about 1e-280 to 1e280 ms (anything beyond is clamped to the end buckets).
package enum LatencyBuckets {
    /// α: the largest relative error of a value read back from its bucket.
    package static let relativeError = 0.01
    static let gamma = (1 + relativeError) / (1 - relativeError)
    private static let inverseLogGamma = 1 / log(gamma)
    private static let offset = 32_768

    /// The longest response time: a day. A probe gives up long before; a larger value
    /// (`1e19` seconds) is a broken export, not a duration to show to three digits.
    package static let maximumMilliseconds = 86_400_000.0
    /// Below a nanosecond, a response time is 0 (a subnormal read back from its bucket
    /// was shown as `0,000000000 ms` and published as 2.37e-285).
    static let smallestMilliseconds = 1e-6

    /// Whether `ms` is a response time: finite, 0 or more, at most `maximumMilliseconds`.
    @inline(__always)
    package static func isResponseTime(milliseconds ms: Double) -> Bool { ms >= 0 && ms <= maximumMilliseconds }

    /// The bucket of a response time in milliseconds (`isResponseTime`).
    @inline(__always)
    static func bucket(milliseconds ms: Double) -> UInt16 {
        guard ms >= smallestMilliseconds else { return 0 }
        let k = (log(ms) * inverseLogGamma).rounded(.up)
        // Clamped in floating point first: a subnormal's log is finite, so no trap.
        return UInt16(Swift.max(1, Swift.min(65_535, k + Double(offset))))
    }

    /// The value a bucket stands for, in milliseconds.
    static func value(of bucket: UInt16) -> Double {
        guard bucket > 0 else { return 0 }
        return 2 * pow(gamma, Double(Int(bucket) - offset)) / (gamma + 1)
    }
}
