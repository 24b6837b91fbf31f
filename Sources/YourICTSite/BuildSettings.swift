import YourICTSupport

/// What a build is asked to do, beyond the source tree itself.
public struct BuildSettings: Sendable {
    /// Include sheets, pages and incidents marked `draft: true`.
    public var includeDrafts: Bool
    /// Replaces `base_url` of site.yaml (`--base-url`).
    public var baseURL: String?
    /// A fixed reference time (`--now`, or `SOURCE_DATE_EPOCH`): it wins over site.yaml's
    /// `reference_time` and over the clock.
    public var now: Timestamp?
    /// The build's clock, the reference time when nothing fixes one. The CLI reads it
    /// once per build; nil (tests, tools) leaves a site without `reference_time` without
    /// a reference time: no figures, every state *no data*.
    public var clock: Timestamp?
    /// Markup added to every page's head by `serve` (the live-reload script).
    public var devHead: String
    /// The process exits once the build is written (the `build` command): what the build
    /// made is then left to the exit to reclaim. Freeing a large site's tens of thousands
    /// of objects one by one kept one core busy for tens of milliseconds at the end of
    /// every build, after all the work was done.
    public var exitsAfterBuild = false

    public init(includeDrafts: Bool = false, baseURL: String? = nil, now: Timestamp? = nil, clock: Timestamp? = nil, devHead: String = "") {
        self.includeDrafts = includeDrafts
        self.baseURL = baseURL
        self.now = now
        self.clock = clock
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
    /// The reference time was the build's clock: the output is of its moment, and the
    /// build cache never reuses it.
    public var usedClock = false
    /// What a build leaves for the process's exit to reclaim (`BuildSettings.exitsAfterBuild`):
    /// the content, bodies, plan and theme, tens of thousands of objects that would
    /// otherwise be freed one by one on one core as the generator returns.
    var keptUntilExit: [any Sendable] = []
}

/// Where the reference time comes from, in the order that decides it.
public enum ReferenceSource: String, Sendable {
    /// `--now` or `SOURCE_DATE_EPOCH`.
    case fixed
    /// site.yaml's `reference_time` (example sites, archives): pages say the figures are frozen.
    case site
    /// The build's clock.
    case clock

    /// `now`, else site.yaml's `reference_time`, else the clock; nil when none is given.
    public static func resolve(now: Timestamp?, site: Timestamp?, clock: Timestamp?) -> (Timestamp, ReferenceSource)? {
        if let now { return (now, .fixed) }
        if let site { return (site, .site) }
        if let clock { return (clock, .clock) }
        return nil
    }
}
