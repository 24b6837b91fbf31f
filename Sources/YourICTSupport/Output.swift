import Foundation

/// Writes `text` at once, unbuffered. When the reader has gone (`yourict serve | head -2`,
/// a log shipper stopped), the text is lost and the process goes on:
/// `FileHandle.write(_: Data)` would stop it on the broken pipe.
package func write(_ text: String, to handle: FileHandle) {
    try? handle.write(contentsOf: Data(text.utf8))
}
