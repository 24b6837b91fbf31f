import YourICTSupport

/// Writes iCalendar (RFC 5545) content lines as bytes: TEXT values escaped (§3.3.11),
/// every line folded at 75 octets (§3.1) without splitting a UTF-8 sequence, CRLF line
/// ends. Calendar clients reject or garble files that miss any of the three.
package struct ICalendarWriter {
    private(set) var bytes: [UInt8] = []
    /// The line being written, folded when it ends.
    private var line: [UInt8] = []

    /// The longest line in octets, line break excluded (§3.1).
    package static let maximumLineOctets = 75

    package init(capacity: Int = 1024) {
        bytes.reserveCapacity(capacity)
        line.reserveCapacity(256)
    }

    /// The calendar's bytes.
    package var finished: [UInt8] { bytes }

    /// `NAME:value`, the value written as it is: dates, numbers, URIs, keywords.
    package mutating func property(_ name: String, _ value: String) {
        line.append(contentsOf: name.utf8)
        line.append(UInt8(ascii: ":"))
        line.append(contentsOf: value.utf8)
        endLine()
    }

    /// `NAME:yyyymmddThhmmssZ`, a DATE-TIME in UTC (§3.3.5, form 2). iCalendar has no
    /// fractions of a second: they are dropped.
    package mutating func dateTime(_ name: String, _ time: Timestamp) {
        property(name, Self.utc(time))
    }

    package static func utc(_ time: Timestamp) -> String {
        // Timestamps are never before 1970 (`Timestamp.supportedRange`).
        let date = CivilDate(daysSinceEpoch: Int(time.millis / 86_400_000))
        let seconds = Int(time.millis % 86_400_000 / 1000)
        return String(date.year).leftPadded(to: 4) + twoDigits(date.month) + twoDigits(date.day)
            + "T" + twoDigits(seconds / 3600) + twoDigits(seconds / 60 % 60) + twoDigits(seconds % 60) + "Z"
    }

    /// `NAME;PARAMETERS:value` with a TEXT value, escaped. `parameters` is written as it
    /// is (`LANGUAGE=fr`).
    package mutating func text(_ name: String, _ value: String, parameters: String? = nil) {
        line.append(contentsOf: name.utf8)
        if let parameters {
            line.append(UInt8(ascii: ";"))
            line.append(contentsOf: parameters.utf8)
        }
        line.append(UInt8(ascii: ":"))
        line.appendEscaping(value, Self.textEscapes)
        endLine()
    }

    /// §3.3.11: backslash, semicolon and comma are escaped, a line feed is `\n`; other
    /// control characters (CR included: content lines end in CRLF only) are not allowed
    /// in TEXT and are dropped. A tab is allowed.
    private static let textEscapes = ByteEscapes(
        ["\\": "\\\\", ";": "\\;", ",": "\\,"],
        bytes: Dictionary(uniqueKeysWithValues: ((0..<0x20).filter { $0 != 9 } + [0x7F]).map { byte in
            (UInt8(byte), byte == 10 ? "\\n" : "")
        }))

    /// Folds the line: at most 75 octets per physical line, each continuation starting
    /// with a space (which counts in its 75), never inside a UTF-8 sequence.
    private mutating func endLine() {
        var start = 0
        var limit = Self.maximumLineOctets
        while line.count - start > limit {
            var cut = start + limit
            // A UTF-8 continuation byte (10xxxxxx) belongs to the character before it.
            while cut > start + 1, line[cut] & 0xC0 == 0x80 { cut -= 1 }
            bytes.append(contentsOf: line[start..<cut])
            bytes.append(contentsOf: [13, 10, 32])
            start = cut
            limit = Self.maximumLineOctets - 1
        }
        bytes.append(contentsOf: line[start...])
        bytes.append(contentsOf: [13, 10])
        line.removeAll(keepingCapacity: true)
    }
}
