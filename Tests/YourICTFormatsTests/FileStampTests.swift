import Foundation
#if canImport(Glibc)
import Glibc
#endif
import XCTest
@testable import YourICTFormats

/// A file's stamp keys every cache of `serve`: equal stamps must mean equal bytes.
final class FileStampTests: XCTestCase {
    /// An edit that keeps the size and puts the modification time back (`cp -p`, `tar`,
    /// `touch -r`; found by a helper's audit of `serve`, where 66 outputs stayed stale)
    /// still changes the stamp: the inode's change time cannot be put back.
    func testAnEditThatKeepsSizeAndModificationTimeChangesTheStamp() throws {
        let root = FileManager.default.temporaryDirectory.appendingPathComponent("yourict-stamp-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: root, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: root) }
        let file = root.appendingPathComponent("a.md")
        try Data("title: GED atomique\n".utf8).write(to: file)
        let tree = DiskSourceTree(root: root)
        let before = try XCTUnwrap(tree.stamp("a.md"))
        var info = stat()
        XCTAssertEqual(stat(file.path, &info), 0)
        Thread.sleep(forTimeInterval: 0.02)
        try Data("title: GED ATOMIQUE\n".utf8).write(to: file)
        // The modification time put back to the nanosecond, as `touch -r` does.
        var times = [info.st_atim, info.st_mtim]
        XCTAssertEqual(utimensat(AT_FDCWD, file.path, &times, 0), 0)
        let after = try XCTUnwrap(tree.stamp("a.md"))
        XCTAssertEqual(after.size, before.size)
        XCTAssertEqual(after.version, before.version, "the modification time was put back")
        XCTAssertNotEqual(after, before)
    }
}
