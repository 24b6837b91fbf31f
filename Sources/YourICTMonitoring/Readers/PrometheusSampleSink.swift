import YourICTFormats
/// Receives the series of a Prometheus matrix as `PrometheusMatrixReader`
/// streams them, so samples are folded into whatever the caller needs
/// without the reader ever storing them.
///
/// Calls always arrive as `beginSeries`, zero or more `sample`, `endSeries`,
/// once per series in document order. Samples arrive in document order,
/// which Prometheus sorts by time. If reading fails, the error is thrown after
/// some calls may already have been made; discard what the sink built.
public protocol PrometheusSampleSink {
    /// Starts a series; `labels` includes `__name__` when Prometheus sent it.
    mutating func beginSeries(labels: [String: String])
    /// One sample. `byteOffset` is where its `[timestamp, value]` pair starts
    /// in the input, for pointing at the data in later diagnostics.
    mutating func sample(timestampMillis: Int64, value: PrometheusValue, byteOffset: Int)
    mutating func endSeries()
}
