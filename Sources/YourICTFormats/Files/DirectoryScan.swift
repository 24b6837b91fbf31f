#if canImport(Glibc)
import Glibc
#endif

/// The regular files and folders of a recycled output, relative to it. Anything else
/// (a symbolic link, a socket) is removed: writing must never go through a link.
package enum DirectoryScan {
    package struct Tree {
        package var files = Set<String>()
        package var folders = Set<String>()

        package init() {}
    }

    package static func scan(_ root: String) -> Tree {
        var tree = Tree()
        func walk(_ relative: String) {
            let full = relative.isEmpty ? root : root + "/" + relative
            guard let dir = opendir(full) else { return }
            defer { closedir(dir) }
            while let entry = readdir(dir) {
                let name = withUnsafePointer(to: entry.pointee.d_name) { String(cString: UnsafeRawPointer($0).assumingMemoryBound(to: CChar.self)) }
                if name == "." || name == ".." { continue }
                let rel = relative.isEmpty ? name : relative + "/" + name
                var type = Int32(entry.pointee.d_type)
                if type == Int32(DT_UNKNOWN) {
                    var st = stat()
                    guard lstat(root + "/" + rel, &st) == 0 else { continue }
                    switch st.st_mode & S_IFMT {
                    case S_IFDIR: type = Int32(DT_DIR)
                    case S_IFREG: type = Int32(DT_REG)
                    default: type = Int32(DT_LNK)
                    }
                }
                if type == Int32(DT_DIR) {
                    tree.folders.insert(rel)
                    walk(rel)
                } else if type == Int32(DT_REG) {
                    tree.files.insert(rel)
                } else {
                    unlink(root + "/" + rel)
                }
            }
        }
        walk("")
        return tree
    }
}
