import Foundation

/// What one generation can reuse from the previous one in the same process (`serve`):
/// parsed content files, rendered Markdown, the monitoring report, and every output
/// whose inputs have the same signature. A full `build` never uses it: it is always
/// correct from scratch.
public final class GenerationCache: @unchecked Sendable {
    private let lock = NSLock()

    struct ParsedFile {
        var stamp: FileStamp
        var languages: [String]
        var result: (ContentFile, YAMLNode)?
        var diagnostics: [Diagnostic]
    }

    /// A body is identified by its file's stamp, not its text: hashing 20 MB of text
    /// (normalised to NFC by `String`'s hashing) would cost more than rendering it.
    struct MarkdownKey: Hashable {
        var path: String
        var stamp: FileStamp
        var firstLine: Int
        var lang: String
        var sourceLang: String
        var options: Int
    }

    struct MarkdownEntry {
        var rendered: RenderedMarkdown
        var checks: [LinkResolver.PendingCheck]
        /// A hash of the HTML and headings, for output signatures.
        var digest: MarkdownStage.Digest
    }

    private var parsed: [String: ParsedFile] = [:]
    private var markdown: [MarkdownKey: MarkdownEntry] = [:]
    /// The current key of each (file, language), so a new version replaces the old.
    private var markdownLatest: [MarkdownDocument: MarkdownKey] = [:]
    private struct MarkdownDocument: Hashable { var path: String; var lang: String }
    private var outputs: [String: (signature: Int, bytes: [UInt8])] = [:]
    /// Paths this generation asked for; outputs no generation asks for any more (a page
    /// removed) are dropped at the end of a good one.
    private var outputsTouched: [String] = []
    private var groups: [String: (signature: Int, files: [OutputFile])] = [:]
    private var nextGroups: [String: (signature: Int, files: [OutputFile])] = [:]
    private var fragments: [Int: [UInt8]] = [:]
    private var fragmentsUsed = Set<Int>()
    private var decodedFiles: [String: (key: Int, value: Any?, diagnostics: [Diagnostic])] = [:]
    var monitoring: (key: Int, loader: MonitoringLoader, diagnostics: [Diagnostic])?
    var theme: (key: Int, theme: Theme, diagnostics: [Diagnostic])?
    var status: (key: Int, report: StatusReport)?

    /// How many outputs the last generation rendered and reused: for tests and logs.
    public private(set) var lastRendered = 0
    /// The outputs the last generation rendered (pages, and machine-output groups by name).
    public private(set) var lastRenderedNames: [String] = []
    public private(set) var lastReused = 0

    public init() {}

    func parsedFile(_ path: String, stamp: FileStamp, languages: [String]) -> ParsedFile? {
        lock.lock()
        defer { lock.unlock() }
        guard let hit = parsed[path], hit.stamp == stamp, hit.languages == languages else { return nil }
        return hit
    }

    func store(_ file: ParsedFile, for path: String) {
        lock.lock()
        parsed[path] = file
        lock.unlock()
    }

    /// A cached entry of a large JSON document, or nil.
    func fragment(_ key: Int) -> [UInt8]? {
        lock.lock()
        defer { lock.unlock() }
        guard let hit = fragments[key] else { return nil }
        fragmentsUsed.insert(key)
        return hit
    }

    func store(fragment: [UInt8], key: Int) {
        lock.lock()
        fragments[key] = fragment
        fragmentsUsed.insert(key)
        lock.unlock()
    }

    func decoded(_ path: String, key: Int) -> (value: Any?, diagnostics: [Diagnostic])? {
        lock.lock()
        defer { lock.unlock() }
        guard let hit = decodedFiles[path], hit.key == key else { return nil }
        return (hit.value, hit.diagnostics)
    }

    func store(decoded value: Any?, diagnostics: [Diagnostic], path: String, key: Int) {
        lock.lock()
        decodedFiles[path] = (key, value, diagnostics)
        lock.unlock()
    }

    /// The last Markdown stage (`MarkdownStage`), patched by the next one.
    var markdownMemo: Any? {
        get { lock.lock(); defer { lock.unlock() }; return markdownMemoValue }
        set { lock.lock(); markdownMemoValue = newValue; lock.unlock() }
    }
    private var markdownMemoValue: Any?

    /// Service entries and rendered fragments of lists, kept between generations.
    let views = ViewBuilder.Memo()

    /// The last merge of each kind of document (`ContentLoader`), patched by the next one.
    private var merges: [String: Any] = [:]

    func lastMerge(_ kind: String) -> Any? {
        lock.lock()
        defer { lock.unlock() }
        return merges[kind]
    }

    func store(merge: Any, kind: String) {
        lock.lock()
        merges[kind] = merge
        lock.unlock()
    }

    func rendered(_ key: MarkdownKey) -> MarkdownEntry? {
        lock.lock()
        defer { lock.unlock() }
        return markdown[key]
    }

    func store(_ value: MarkdownEntry, for key: MarkdownKey) {
        lock.lock()
        let document = MarkdownDocument(path: key.path, lang: key.lang)
        if let old = markdownLatest[document], old != key { markdown[old] = nil }
        markdownLatest[document] = key
        markdown[key] = value
        lock.unlock()
    }

    /// The previous output at `path` if it was made from the same inputs.
    func output(_ path: String, signature: Int) -> [UInt8]? {
        lock.lock()
        defer { lock.unlock() }
        guard let previous = outputs[path], previous.signature == signature else { return nil }
        outputsTouched.append(path)
        lastReused += 1
        return previous.bytes
    }

    func store(output bytes: [UInt8], path: String, signature: Int) {
        lock.lock()
        outputs[path] = (signature, bytes)
        outputsTouched.append(path)
        lastRendered += 1
        lastRenderedNames.append(path)
        lock.unlock()
    }

    func group(_ name: String, signature: Int) -> [OutputFile]? {
        lock.lock()
        defer { lock.unlock() }
        guard let previous = groups[name], previous.signature == signature else { return nil }
        nextGroups[name] = previous
        lastReused += previous.files.count
        return previous.files
    }

    func store(group files: [OutputFile], name: String, signature: Int) {
        lock.lock()
        nextGroups[name] = (signature, files)
        lastRendered += files.count
        lastRenderedNames.append(name)
        lock.unlock()
    }

    func beginGeneration() {
        lock.lock()
        lastRendered = 0
        lastReused = 0
        lastRenderedNames = []
        outputsTouched = []
        outputsTouched.reserveCapacity(outputs.count)
        nextGroups = [:]
        fragmentsUsed = []
        lock.unlock()
    }

    /// Keeps what this generation used (so the cache does not grow with old versions).
    func endGeneration(succeeded: Bool) {
        lock.lock()
        if succeeded {
            if outputs.count > outputsTouched.count {
                let touched = Set(outputsTouched)
                outputs = outputs.filter { touched.contains($0.key) }
            }
            groups = nextGroups
            // Entries of groups not rebuilt this time stay; old versions are dropped
            // once they outnumber the live ones.
            if fragments.count > 2 * fragmentsUsed.count + 50_000 {
                fragments = fragments.filter { fragmentsUsed.contains($0.key) }
            }
        }
        outputsTouched = []
        nextGroups = [:]
        fragmentsUsed = []
        lock.unlock()
    }

    /// Forgets everything but parsed files (after a failed generation, outputs of the
    /// last good one stay valid).
    func pruneParsed(keeping paths: Set<String>) {
        lock.lock()
        parsed = parsed.filter { paths.contains($0.key) }
        lock.unlock()
    }
}
