/// What a build is asked to do, beyond the source tree itself.
public struct BuildSettings: Sendable {
    /// Include sheets, pages and incidents marked `draft: true`.
    public var includeDrafts: Bool
    /// Replaces `base_url` of site.yaml (`--base-url`).
    public var baseURL: String?
    /// The reference time (`--now`, or `SOURCE_DATE_EPOCH`); else the newest sample.
    public var now: Timestamp?
    /// Markup added to every page's head by `serve` (the live-reload script).
    public var devHead: String
    /// The process exits once the build is written (the `build` command): what the build
    /// made is then left to the exit to reclaim. Freeing a large site's tens of thousands
    /// of objects one by one kept one core busy for tens of milliseconds at the end of
    /// every build, after all the work was done.
    public var exitsAfterBuild = false

    public init(includeDrafts: Bool = false, baseURL: String? = nil, now: Timestamp? = nil, devHead: String = "") {
        self.includeDrafts = includeDrafts
        self.baseURL = baseURL
        self.now = now
        self.devHead = devHead
    }
}

/// One file of the built site.
public struct OutputFile: Sendable {
    /// Relative path, `/`-separated, e.g. `fr/services/messagerie/index.html`.
    public var path: String
    /// The content in pieces, written one after the other: a large document made of
    /// entries serialised one by one is written without first being copied into one
    /// buffer (`JSONValue.serializedChunks`).
    public private(set) var chunks: [[UInt8]]

    /// The content in one piece.
    public var bytes: [UInt8] {
        get { chunks.count == 1 ? chunks[0] : chunks.flatMap { $0 } }
        set { chunks = [newValue] }
    }

    public init(path: String, bytes: [UInt8]) {
        self.path = path
        self.chunks = [bytes]
    }

    public init(path: String, chunks: [[UInt8]]) {
        self.path = path
        self.chunks = chunks
    }

    public init(path: String, text: String) {
        self.path = path
        self.chunks = [Array(text.utf8)]
    }
}

/// The site in memory, ready to be written or served; or, when it was generated into
/// an `OutputSink` (`build`), the list of what was written: the files' bytes are then
/// empty, and `streamed` is true.
public struct GeneratedSite: Sendable {
    public var files: [OutputFile]
    public var pageCount: Int
    public var serviceCount: Int
    public var incidentCount: Int
    public var referenceTime: Timestamp?
    public var streamed = false
}
