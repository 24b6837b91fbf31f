import Foundation
import XCTest
import YourICTSupport
import YourICTFormats
import YourICTTemplates
import YourICTContent
import YourICTMarkdown
import YourICTMonitoring
import YourICTSite
import YourICTPull
import YourICTPreview

/// Shared helpers: token transcripts that make the in-memory and the chunked
/// file path comparable, and throwaway files for the file path.
package enum JSONTestSupport {
    /// Reads a document to the end, recording each token with its offset and
    /// decoded text. Also cross-checks `currentStringEquals` against
    /// `currentString()` on every key and string.
    package static func transcript(_ reader: inout JSONPullReader) -> Result<[String], JSONError> {
        var tokens: [String] = []
        do {
            while true {
                let token = try reader.next()
                let entry: String
                switch token {
                case .beginObject: entry = "{"
                case .endObject: entry = "}"
                case .beginArray: entry = "["
                case .endArray: entry = "]"
                case .key, .string:
                    let text = reader.currentString()
                    let consistent = reader.currentStringEquals(Array(text.utf8))
                    entry = "\(token == .key ? "key" : "string"):\(text)\(consistent ? "" : " (equals mismatch)")"
                case .number: entry = "number:\(reader.currentNumberText ?? "?")"
                case .bool(let value): entry = "\(value)"
                case .null: entry = "null"
                case .end: entry = "end"
                }
                tokens.append("\(reader.tokenOffset) \(entry)")
                if token == .end { return .success(tokens) }
            }
        } catch {
            return .failure(error)
        }
    }

    package static func memoryTranscript(_ bytes: [UInt8]) -> Result<[String], JSONError> {
        var reader = JSONPullReader(bytes: bytes)
        return transcript(&reader)
    }

    /// One transcript per buffer size, all from a single temporary file.
    package static func fileTranscripts(_ bytes: [UInt8], bufferSizes: [Int]) throws -> [Result<[String], JSONError>] {
        try withTemporaryFile(bytes) { path in
            try bufferSizes.map { size in
                var reader = try JSONPullReader(contentsOfFile: path, bufferSize: size)
                return transcript(&reader)
            }
        }
    }

    package static func withTemporaryFile<Result>(_ bytes: [UInt8], _ body: (String) throws -> Result) throws -> Result {
        let url = FileManager.default.temporaryDirectory
            .appendingPathComponent("json-reader-test-\(UUID().uuidString).json")
        try Data(bytes).write(to: url)
        defer { try? FileManager.default.removeItem(at: url) }
        return try body(url.path)
    }
}
