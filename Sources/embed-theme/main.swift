import Foundation

// embed-theme TEMPLATES_FOLDER OUTPUT.swift
//
// Writes `enum DefaultTheme` with every file of the folder (hidden ones left out), sorted
// by path, as base64: exact bytes whatever they hold, and a literal the compiler reads fast.

let arguments = CommandLine.arguments
guard arguments.count == 3 else {
    FileHandle.standardError.write(Data("usage: embed-theme TEMPLATES_FOLDER OUTPUT.swift\n".utf8))
    exit(64)
}
let folder = URL(fileURLWithPath: arguments[1]).standardizedFileURL
let prefix = folder.lastPathComponent

var files: [(path: String, data: Data)] = []
let walk = FileManager.default.enumerator(at: folder, includingPropertiesForKeys: [.isRegularFileKey], options: [.skipsHiddenFiles])
while let url = walk?.nextObject() as? URL {
    guard (try? url.resourceValues(forKeys: [.isRegularFileKey]))?.isRegularFile == true else { continue }
    let relative = url.standardizedFileURL.path.dropFirst(folder.path.count + 1)
    files.append((prefix + "/" + relative, try Data(contentsOf: url)))
}
files.sort { Array($0.path.utf8).lexicographicallyPrecedes(Array($1.path.utf8)) }

var source = """
// Generated at build time from templates/ by the EmbedTheme plugin: do not edit.

import Foundation

/// The default theme, so that `yourict init` writes a site that builds at once.
enum DefaultTheme {
    /// Path (`templates/…`) and bytes of each file, sorted by path.
    static let files: [(path: String, bytes: [UInt8])] = encoded.map { ($0.0, [UInt8](Data(base64Encoded: $0.1)!)) }

    private static let encoded: [(String, String)] = [

"""
for file in files {
    let path = file.path.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\"", with: "\\\"")
    source += "        (\"\(path)\", \"\(file.data.base64EncodedString())\"),\n"
}
source += "    ]\n}\n"
do {
    try Data(source.utf8).write(to: URL(fileURLWithPath: arguments[2]), options: .atomic)
} catch {
    FileHandle.standardError.write(Data("embed-theme: cannot write \(arguments[2]): \(error)\n".utf8))
    exit(1)
}
