import CYourICTSystem
import Foundation

/// Writes a generated site into the output folder atomically: everything goes to a
/// staging folder beside it, which then replaces the old output in one rename.
public struct OutputWriter {
    /// Marks a folder as yourict's output, so that a later build may replace it.
    public static let marker = ".yourict-output"

    public enum WriteError: Error, CustomStringConvertible {
        case refused(String, hint: String)
        case io(String)

        public var description: String {
            switch self {
            case .refused(let message, _): return message
            case .io(let message): return message
            }
        }

        public var hint: String? {
            if case .refused(_, let hint) = self { return hint }
            return nil
        }
    }

    public let output: URL
    public let source: URL

    public init(output: URL, source: URL) {
        self.output = output.standardizedFileURL
        self.source = source.standardizedFileURL
    }

    /// Refuses folders whose replacement would destroy something: `/`, the home
    /// folder, the source folder or its parents, `content/`, `templates/`, and any
    /// existing non-empty folder that yourict did not write.
    public func checkDestination() throws {
        let out = resolved(output)
        let src = resolved(source)
        let home = resolved(FileManager.default.homeDirectoryForCurrentUser)
        func inside(_ a: String, _ b: String) -> Bool { a == b || a.hasPrefix(b.hasSuffix("/") ? b : b + "/") }
        if out == "/" { throw WriteError.refused("refusing to write the site into /", hint: "choose an output folder such as ./public") }
        if out == home { throw WriteError.refused("refusing to replace your home folder with the site", hint: "choose an output folder such as ./public") }
        if inside(src, out) {
            throw WriteError.refused("refusing to write into \(output.path): it contains the source folder", hint: "the default output is public/ inside the source folder")
        }
        for protected in ["content", "templates", "static", ".git"] where inside(out, src + "/" + protected) {
            throw WriteError.refused("refusing to write into \(output.path): it is inside the source's \(protected)/ folder", hint: "the default output is public/ inside the source folder")
        }
        var isDir: ObjCBool = false
        if FileManager.default.fileExists(atPath: output.path, isDirectory: &isDir) {
            guard isDir.boolValue else {
                throw WriteError.refused("\(output.path) exists and is not a folder", hint: "remove it or choose another output folder")
            }
            let entries = (try? FileManager.default.contentsOfDirectory(atPath: output.path)) ?? []
            if !entries.isEmpty && !entries.contains(Self.marker) {
                throw WriteError.refused("\(output.path) is not empty and was not written by yourict; it would be replaced",
                                         hint: "empty it, remove it, or choose another output folder")
            }
        }
    }

    /// Writes `site`, then swaps it in. On any failure the previous output is untouched.
    public func write(_ site: GeneratedSite) throws {
        try checkDestination()
        // Every path is checked before anything is created: the folders are made from
        // these paths too, and a `..` there would make one outside the staging folder.
        if let unsafe = site.files.first(where: { !Self.isSafeRelativePath($0.path) }) {
            throw WriteError.io("refusing to write outside the output folder: \(unsafe.path)")
        }
        let parent = output.deletingLastPathComponent()
        let name = output.lastPathComponent
        let fm = FileManager.default
        try? fm.createDirectory(at: parent, withIntermediateDirectories: true)
        let staging = parent.appendingPathComponent(".\(name).staging-\(getpid())")
        try? fm.removeItem(at: staging)
        do {
            try fm.createDirectory(at: staging, withIntermediateDirectories: true)
            var folders = Set<String>()
            for file in site.files {
                if let slash = file.path.lastIndex(of: "/") { folders.insert(String(file.path[..<slash])) }
            }
            // Parents sort before their children, so each mkdir finds its parent there.
            var made = Set<String>()
            for folder in folders.sorted() {
                var prefix = ""
                for part in folder.split(separator: "/") {
                    prefix += (prefix.isEmpty ? "" : "/") + part
                    if made.insert(prefix).inserted, mkdir(staging.path + "/" + prefix, 0o755) != 0, errno != EEXIST {
                        throw WriteError.io("cannot create \(prefix): \(String(cString: strerror(errno)))")
                    }
                }
            }
            let stagingPath = staging.path
            let failures = site.files.parallelMap { file -> String? in
                Self.writeFile(stagingPath + "/" + file.path, file.bytes) ? nil : "cannot write \(file.path): \(String(cString: strerror(errno)))"
            }.compactMap { $0 }
            if let failure = failures.first { throw WriteError.io(failure) }
            fm.createFile(atPath: staging.appendingPathComponent(Self.marker).path, contents: Data("This folder is written by yourict build; it is replaced on every build.\n".utf8))
            try swapIn(staging)
        } catch {
            try? fm.removeItem(at: staging)
            throw error
        }
    }

    private func swapIn(_ staging: URL) throws {
        let fm = FileManager.default
        if fm.fileExists(atPath: output.path) {
            // One atomic exchange where the kernel supports it: readers never see a
            // missing or half-written folder.
            if yourict_rename_exchange(staging.path, output.path) == 0 {
                try fm.removeItem(at: staging)
                return
            }
            let old = output.deletingLastPathComponent().appendingPathComponent(".\(output.lastPathComponent).old-\(getpid())")
            try? fm.removeItem(at: old)
            try fm.moveItem(at: output, to: old)
            do {
                try fm.moveItem(at: staging, to: output)
            } catch {
                try? fm.moveItem(at: old, to: output)
                throw error
            }
            try? fm.removeItem(at: old)
        } else {
            try fm.moveItem(at: staging, to: output)
        }
    }

    /// One `open`/`write`/`close`: the staging folder is new and private, so the
    /// temporary-file-and-rename of an atomic write per file would only double the work.
    static func writeFile(_ path: String, _ bytes: [UInt8]) -> Bool {
        let fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o644)
        guard fd >= 0 else { return false }
        defer { close(fd) }
        return bytes.withUnsafeBytes { buffer -> Bool in
            var offset = 0
            while offset < buffer.count {
                let n = Glibc.write(fd, buffer.baseAddress! + offset, buffer.count - offset)
                if n < 0 {
                    if errno == EINTR { continue }
                    return false
                }
                offset += n
            }
            return true
        }
    }

    /// No absolute paths, no `..`, no empty segments.
    static func isSafeRelativePath(_ path: String) -> Bool {
        guard !path.isEmpty, !path.hasPrefix("/") else { return false }
        return path.split(separator: "/", omittingEmptySubsequences: false).allSatisfy { !$0.isEmpty && $0 != ".." && $0 != "." }
    }

    private func resolved(_ url: URL) -> String {
        var path = url.standardizedFileURL.path
        // Resolve the deepest existing ancestor, so symlinked folders compare correctly.
        var suffix: [String] = []
        while !FileManager.default.fileExists(atPath: path), path != "/" {
            suffix.insert((path as NSString).lastPathComponent, at: 0)
            path = (path as NSString).deletingLastPathComponent
        }
        let real = DiskSourceTree.realPath(path) ?? path
        return ([real] + suffix).joined(separator: "/").replacingOccurrences(of: "//", with: "/")
    }
}
