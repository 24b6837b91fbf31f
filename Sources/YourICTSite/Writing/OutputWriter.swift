import Synchronization
import CYourICTSystem
import Foundation
import YourICTFormats

/// Receives generated files as they are made (`build` writes them to a staging folder).
public protocol OutputSink: Sendable {
    func write(_ file: OutputFile)
}

/// For `check`: the files are made (and every error found) but kept nowhere.
public struct DiscardingSink: OutputSink {
    public init() {}
    public func write(_ file: OutputFile) {}
}

/// Writes a generated site into the output folder atomically: everything goes to a
/// staging folder beside it, which then replaces the old output in one rename.
public struct OutputWriter: Sendable {
    /// Marks a folder as yourict's output, so that a later build may replace it.
    public static let marker = ".yourict-output"

    public enum WriteError: Error, CustomStringConvertible {
        case refused(String, hint: String)
        case io(String, hint: String? = nil)

        public var description: String {
            switch self {
            case .refused(let message, _): return message
            case .io(let message, _): return message
            }
        }

        public var hint: String? {
            switch self {
            case .refused(_, let hint): return hint
            case .io(_, let hint): return hint
            }
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
            // A mount point (or a folder on another file system than its parent) cannot be
            // renamed over: the build failed at its very end with a raw "Device or resource busy".
            var own = stat(), up = stat()
            if stat(output.path, &own) == 0, stat(output.deletingLastPathComponent().path, &up) == 0, own.st_dev != up.st_dev {
                throw WriteError.refused("\(output.path) is a mount point: the site is swapped in with a rename, which cannot replace it",
                                         hint: "build into a folder inside it (--output \(output.path)/site) and serve that folder")
            }
            let entries = (try? FileManager.default.contentsOfDirectory(atPath: output.path)) ?? []
            if !entries.isEmpty && !entries.contains(Self.marker) {
                throw WriteError.refused("\(output.path) is not empty and was not written by yourict; it would be replaced",
                                         hint: "empty it, remove it, or choose another output folder")
            }
        }
    }

    /// The output before the last one, kept beside it (`.public.previous`) to be recycled
    /// by the next build: its folders and files are reused and overwritten in place rather
    /// than deleted and created again. On file systems where creating many files soon after
    /// deleting many is slow (ext4 without a journal), this is most of a build's writing
    /// time; and unchanged files keep their modification time, which `rsync` relies on.
    var previous: URL { output.deletingLastPathComponent().appendingPathComponent(".\(output.lastPathComponent).previous") }

    /// Writes `site`, then swaps it in. On any failure the previous output is untouched.
    public func write(_ site: GeneratedSite) throws {
        // Every path is checked before anything is created: the folders are made from
        // these paths too, and a `..` there would make one outside the staging folder.
        if let unsafe = site.files.first(where: { !Self.isSafeRelativePath($0.path) }) {
            try checkDestination()
            throw WriteError.io("refusing to write outside the output folder: \(unsafe.path)")
        }
        let staging = try begin()
        for file in site.files { staging.write(file) }
        do {
            try staging.commit(paths: site.files.map(\.path))
        } catch {
            staging.abandon()
            throw error
        }
    }

    /// Prepares a staging folder beside the output, for files written as they are
    /// generated (`Staging.write`); `commit` swaps it in, `abandon` leaves the output as it was.
    public func begin() throws -> Staging {
        try checkDestination()
        let parent = output.deletingLastPathComponent()
        let fm = FileManager.default
        try? fm.createDirectory(at: parent, withIntermediateDirectories: true)
        let lock = try lockOutput()
        let staging = parent.appendingPathComponent(".\(output.lastPathComponent).staging-\(getpid())")
        try? fm.removeItem(at: staging)
        removeAbandonedStaging()
        // A recycled folder this user may not write into (another user's build swapped it
        // out) failed every build after it, "Permission denied" on its first file: it is
        // put aside (and removed where it can be), and this build starts afresh.
        if Self.isOurs(previous.path), !Self.isWritable(previous.path) {
            let aside = previous.path + ".unwritable-\(getpid())"
            if rename(previous.path, aside) == 0 { try? fm.removeItem(atPath: aside) }
        }
        var existing = DirectoryScan.Tree()
        if Self.isOurs(previous.path), rename(previous.path, staging.path) == 0 {
            existing = DirectoryScan.scan(staging.path)
        } else {
            if mkdir(staging.path, 0o755) != 0 {
                throw WriteError.io("cannot create \(staging.path): \(String(cString: strerror(errno)))",
                                    hint: "the site is written beside the output first; check that you may write into \(parent.path), or choose another folder with --output")
            }
        }
        return Staging(writer: self, folder: staging, existing: existing, lock: lock)
    }

    /// One build at a time into an output (`.public.lock` beside it, held until the build
    /// ends): two at once (a cron run overtaking a slow one) each swapped its site in, and
    /// the one that started first, with older data, could be published last.
    private func lockOutput() throws -> FileLock {
        let path = output.deletingLastPathComponent().appendingPathComponent(".\(output.lastPathComponent).lock").path
        switch FileLock.acquire(path) {
        case .success(let lock): return lock
        case .failure(.busy):
            throw WriteError.refused("another build into \(output.path) is running",
                                     hint: "wait for it to end; schedule builds so that they never overlap (CI `concurrency`, `flock -n`), or a slow one would be published over a newer one")
        case .failure(.cannotCreate(let reason)):
            throw WriteError.io("cannot create \(path): \(reason)",
                                hint: "the site is written beside the output first; check that you may write into \(output.deletingLastPathComponent().path), or choose another folder with --output")
        }
    }

    /// The folder, and its marker and home page, can be written by this process.
    static func isWritable(_ path: String) -> Bool {
        access(path, W_OK) == 0 && [marker, "index.html"].allSatisfy { access(path + "/" + $0, F_OK) != 0 || access(path + "/" + $0, W_OK) == 0 }
    }

    /// A staging folder being filled, each file as soon as it is made (handed over from
    /// any thread), so that a large site is never held in memory whole. It starts as the
    /// output before the last one (`previous`), recycled: its files are overwritten in
    /// place and what the new site does not have is removed on `commit`.
    public final class Staging: OutputSink, Sendable {
        let writer: OutputWriter
        let folder: URL
        private let path: String
        /// The output this build replaces, which readers are served now.
        private let currentPath: String
        private let existing: DirectoryScan.Tree
        /// The output's lock (`lockOutput`), released once committed or abandoned.
        private let lock: Mutex<FileLock?>

        init(writer: OutputWriter, folder: URL, existing: DirectoryScan.Tree, lock: FileLock) {
            self.writer = writer
            self.folder = folder
            self.path = folder.path
            currentPath = writer.output.path
            self.existing = existing
            self.lock = Mutex(lock)
        }

        deinit { unlock() }

        private func unlock() {
            lock.withLock { held in
                held?.release()
                held = nil
            }
        }

        /// Files are created, while the pages are rendered, by one writing thread per
        /// top-level folder of the output (`fr`, `badges`, `api`…; the root's own files
        /// have one too). Creating files in one folder is serialised by the kernel anyway
        /// (the folder's lock): a second creator there would only spin on that lock
        /// instead of rendering. In different folders they run at once, so the last
        /// files of a build (thousands of badges) do not wait behind the pages'.
        private final class Lane: @unchecked Sendable {
            let queue: DispatchQueue
            // Touched only on `queue` (and by `commit` after `drain`), hence no lock.
            /// Folders known to exist in the staging folder (made, or recycled and kept).
            var folders = Set<String>()
            var failure: WriteError?
            /// Every file written, with its size and modification time as written (see
            /// `Staging.writtenDigest`).
            var written: [WrittenFile] = []
            /// Files handed over but not yet written, at most: producers wait beyond it, so
            /// that memory stays bounded when the disk is slower than the rendering. Per
            /// lane, so that a slow folder does not hold up the others' producers.
            let slots = DispatchSemaphore(value: 256)
            init(_ name: String) { queue = DispatchQueue(label: "yourict.output." + name) }
        }

        private let lanes = Mutex<[String: Lane]>([:])

        private func lane(for path: String) -> Lane {
            let top = path.firstIndex(of: "/").map { String(path[..<$0]) } ?? ""
            return lanes.withLock { lanes in
                if let lane = lanes[top] { return lane }
                let lane = Lane(top)
                lanes[top] = lane
                return lane
            }
        }

        /// Hands one file to its writing thread; safe to call from several threads. A
        /// failure is kept and thrown by `commit`.
        public func write(_ file: OutputFile) {
            let lane = lane(for: file.path)
            lane.slots.wait()
            lane.queue.async {
                self.writeNow(file, lane)
                lane.slots.signal()
            }
        }

        /// Waits until every file handed over is written.
        private func drain() {
            let all = lanes.withLock { Array($0.values) }
            for lane in all { lane.queue.sync {} }
        }

        private func writeNow(_ file: OutputFile, _ lane: Lane) {
            guard OutputWriter.isSafeRelativePath(file.path) else {
                return fail(.io("refusing to write outside the output folder: \(file.path)"), lane)
            }
            if let slash = file.path.lastIndex(of: "/"), !makeFolders(String(file.path[..<slash]), lane) { return }
            let full = path + "/" + file.path
            let stamp = { (size: Int64, mtime: Int64) in lane.written.append(.init(path: file.path, size: size, mtime: mtime)) }
            let recycled = existing.files.contains(file.path)
            if FileWriting.writeFile(full, file.chunks, reuse: recycled, current: recycled ? currentPath + "/" + file.path : nil, stamp: stamp) { return }
            // Something else stands there (a recycled folder where a file now goes, or
            // the reverse): it goes, and the file is written again.
            if errno == EEXIST || errno == EISDIR {
                try? FileManager.default.removeItem(atPath: full)
                if FileWriting.writeFile(full, file.chunks, stamp: stamp) { return }
            }
            fail(ioFailure("cannot write \(file.path)"), lane)
        }

        /// A file or folder that could not be made, with `errno`'s reason.
        private func ioFailure(_ what: String) -> WriteError {
            .io("\(what): \(String(cString: strerror(errno)))",
                hint: "the previous output was left as it was; check the free space and permissions of \(writer.output.deletingLastPathComponent().path)")
        }

        /// Makes `folder` and its parents, parents first, unless they exist.
        private func makeFolders(_ folder: String, _ lane: Lane) -> Bool {
            if lane.folders.contains(folder) { return true }
            var missing: [String] = []
            var current = Substring(folder)
            while !lane.folders.contains(String(current)) {
                missing.append(String(current))
                guard let slash = current.lastIndex(of: "/") else { break }
                current = current[..<slash]
            }
            for folder in missing.reversed() {
                if !existing.folders.contains(folder) {
                    let full = path + "/" + folder
                    if mkdir(full, 0o755) != 0 {
                        // A recycled file where a folder now goes.
                        guard errno == EEXIST, unlink(full) == 0 || errno == EISDIR, mkdir(full, 0o755) == 0 || errno == EEXIST else {
                            fail(ioFailure("cannot create \(folder)"), lane)
                            return false
                        }
                    }
                }
                lane.folders.insert(folder)
            }
            return true
        }

        private func fail(_ error: WriteError, _ lane: Lane) {
            if lane.failure == nil { lane.failure = error }
        }

        /// Removes what the recycled folder held that `paths` do not name, writes the
        /// marker and swaps the staging folder in. Throws the first failure of `write`.
        public func commit(paths: [String]) throws {
            defer { unlock() }
            drain()
            // The lanes in the order of their folders: the same failure for the same input.
            let lanes = self.lanes.withLock { $0.sorted { $0.key < $1.key }.map(\.value) }
            if let failure = lanes.lazy.compactMap(\.failure).first { throw failure }
            // What the recycled folder had and this build did not write goes (a clean
            // build recycles nothing: no sets of every path to make).
            if !existing.files.isEmpty {
                let wanted = Set(paths).union([OutputWriter.marker])
                for file in existing.files where !wanted.contains(file) { unlink(path + "/" + file) }
            }
            if !existing.folders.isEmpty {
                let folders = lanes.reduce(into: Set<String>()) { $0.formUnion($1.folders) }
                // Deepest first, so that each folder is empty when its turn comes.
                for folder in existing.folders.sorted(by: >) where !folders.contains(folder) { rmdir(path + "/" + folder) }
            }
            guard FileWriting.writeFile(path + "/" + OutputWriter.marker,
                                         Array("This folder is written by yourict build; it is replaced on every build.\n".utf8),
                                         reuse: existing.files.contains(OutputWriter.marker)) else {
                throw WriteError.io("cannot write \(OutputWriter.marker): \(String(cString: strerror(errno)))")
            }
            try writer.swapIn(folder)
        }

        /// After `commit`: the digest `BuildCache` would read from the output folder
        /// (every file's path, size and modification time), made from what the lanes wrote
        /// instead of walking twenty thousand entries again at the end of a build. The
        /// output holds exactly these files: what the recycled folder had besides them was
        /// removed, and the marker is hidden.
        public func writtenDigest() -> String {
            let lanes = self.lanes.withLock { Array($0.values) }
            var digester = TreeDigester()
            digester.add(files: lanes.flatMap(\.written), as: "")
            return digester.value
        }

        /// Gives up: the output stays as it was. The staging folder becomes the recycled
        /// folder of the next build (every file there is compared before it is kept).
        public func abandon() {
            drain()
            writer.recycleOrRemove(path)
            unlock()
        }
    }

    /// Staging folders of builds that were killed (their process is gone): the first is
    /// recycled as the previous output when there is none (it holds files of this site),
    /// the others removed.
    private func removeAbandonedStaging() {
        let parent = output.deletingLastPathComponent()
        let prefix = ".\(output.lastPathComponent).staging-"
        let fm = FileManager.default
        for name in (try? fm.contentsOfDirectory(atPath: parent.path)) ?? [] where name.hasPrefix(prefix) {
            guard let pid = Int32(name.dropFirst(prefix.count)), pid > 0, pid != getpid(),
                  kill(pid, 0) != 0, errno == ESRCH else { continue }
            let path = parent.appendingPathComponent(name).path
            var st = stat()
            guard lstat(path, &st) == 0, st.st_mode & S_IFMT == S_IFDIR else { continue }
            recycleOrRemove(path)
        }
    }

    /// A staging folder that will not be swapped in: it becomes the recycled previous
    /// output when there is none and yourict wrote it (its marker is there), else it goes.
    fileprivate func recycleOrRemove(_ path: String) {
        let fm = FileManager.default
        if !fm.fileExists(atPath: previous.path), Self.isOurs(path), rename(path, previous.path) == 0 { return }
        try? fm.removeItem(atPath: path)
    }

    /// A folder this writer made (its marker is there), and not a symbolic link.
    static func isOurs(_ path: String) -> Bool {
        var st = stat()
        guard lstat(path, &st) == 0, st.st_mode & S_IFMT == S_IFDIR else { return false }
        return lstat(path + "/" + marker, &st) == 0 && st.st_mode & S_IFMT == S_IFREG
    }

    fileprivate func swapIn(_ staging: URL) throws {
        let fm = FileManager.default
        // The folder swapped out becomes the next build's recycled output.
        func keep(_ old: URL) {
            if fm.fileExists(atPath: previous.path) && !Self.isOurs(previous.path) {
                try? fm.removeItem(at: old)
            } else {
                try? fm.removeItem(at: previous)
                if rename(old.path, previous.path) != 0 { try? fm.removeItem(at: old) }
            }
        }
        if fm.fileExists(atPath: output.path) {
            // One atomic exchange where the kernel supports it: readers never see a
            // missing or half-written folder.
            if yourict_rename_exchange(staging.path, output.path) == 0 {
                keep(staging)
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
            keep(old)
        } else {
            try fm.moveItem(at: staging, to: output)
        }
    }

    /// No absolute paths, no `..`, no empty segments.
    static func isSafeRelativePath(_ path: String) -> Bool {
        // On the UTF-8 bytes (tens of thousands of paths): no segment empty, `.` or `..`
        // (which also refuses a leading `/` and the empty path).
        var segment = 0, dots = 0
        for byte in path.utf8 {
            if byte == UInt8(ascii: "/") {
                if segment == 0 || segment == dots && dots <= 2 { return false }
                segment = 0
                dots = 0
            } else {
                segment += 1
                if byte == UInt8(ascii: ".") { dots += 1 }
            }
        }
        return !(segment == 0 || segment == dots && dots <= 2)
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
