import Foundation
import YourICTSupport
import YourICTFormats

/// `content/site.yaml`: the site's identity, languages, service levels and support.
public struct SiteConfig: Sendable {
    public var title: LocalizedText
    public var description: LocalizedText?
    public var notice: LocalizedText?
    public var organisation: Organisation
    public var baseURL: String
    public var languages: [String]
    public var timeZone: TimeZone
    public var unsafeHTML: Bool
    public var brokenLinks: Diagnostic.Severity
    public var partialOutageWeight: Double
    /// `availability.stale_after`: the least age at which a component's newest sample
    /// makes its data late (three usual intervals when that is more).
    public var staleAfter: Duration = SiteConfig.defaultStaleAfter
    /// `availability.min_coverage`: the share of a window, in percent, that must have a
    /// known state for the window to get a met/missed verdict.
    public var minimumCoverage: Double = SiteConfig.defaultMinimumCoverage
    /// `availability.incidents_since`: from when time without a declared incident counts
    /// as up for components nothing monitors; nil: from the site's first record.
    public var incidentsSince: Timestamp?
    /// Where `incidents_since` is written (for the warning when it is after the reference time).
    public var incidentsSinceLocation: SourceLocation?
    /// `reference_time`: a fixed reference time, for example sites and archives only
    /// (the pages say the figures are frozen). `--now` and `SOURCE_DATE_EPOCH` win.
    public var referenceTime: Timestamp?
    /// `dashboard.max_strips`: the dashboard draws each service's 90-day strip when it
    /// lists at most this many services (0: never); above, its rows keep the state and
    /// the 30-day figure, and the strips stay on the services' pages.
    public var dashboardMaxStrips: Int = SiteConfig.defaultDashboardMaxStrips
    public var categories: [Category]
    /// `delivery_models`: what a sheet's `delivery` may say, in the order shown.
    public var deliveryModels: [DeliveryModel] = SiteConfig.defaultDeliveryModels
    public var serviceLevels: [ServiceLevel]
    /// `service_levels` is there but not a mapping: site.yaml has the error, and a sheet
    /// naming a level is not told the level "is not defined" as well.
    public var serviceLevelsUnreadable = false
    public var support: Support
    public var contacts: [Contact]
    public var menu: [MenuItem]

    public var defaultLanguage: String { languages[0] }

    public static let defaultStaleAfter = Duration.minutes(15)
    public static let defaultMinimumCoverage = 90.0
    /// About 3.5 MB of dashboard HTML (a strip is about 18 KB): 5,000 strips made a
    /// 90 MB page that no phone loads.
    public static let defaultDashboardMaxStrips = 200
    /// The models of the seed (PaaS, SaaS) and the one every ICT department also runs.
    public static let defaultDeliveryModels = ["PaaS", "SaaS", "IaaS"].map { DeliveryModel(id: $0, name: nil) }

    /// A way services are delivered (`PaaS`): sheets write its id, pages show it as an
    /// abbreviation whose expansion is `name` (else the theme's `delivery_<key>`).
    public struct DeliveryModel: Sendable {
        /// As sheets write it and pages show it.
        public var id: String
        public var name: LocalizedText?
        /// The id in lower case: the catalogue's filter URL (`/fr/catalogue/delivery/paas/`).
        public var key: String { id.lowercased() }

        public init(id: String, name: LocalizedText?) {
            self.id = id
            self.name = name
        }
    }

    public struct Organisation: Sendable {
        public var name: LocalizedText
        public var url: String?
    }

    public struct Category: Sendable {
        public var id: String
        public var name: LocalizedText
        public var description: LocalizedText?
        public var weight: Int
    }

    public struct ServiceLevel: Sendable {
        public var id: String
        public var name: LocalizedText
        /// Target availability in percent, in (0, 100].
        public var target: Double
        public var hours: LocalizedText?
        public var description: LocalizedText?
    }

    public struct Support: Sendable {
        public var helpdeskHours: LocalizedText?
        public var onCall: LocalizedText?
        public var escalation: [EscalationStep]
    }

    public struct EscalationStep: Sendable {
        public var role: LocalizedText
        public var contact: String?
    }

    public struct Contact: Sendable {
        public var id: String
        public var name: LocalizedText
        public var email: String?
        public var phone: String?
        public var url: String?
        public var description: LocalizedText?
    }

    public enum MenuItem: Sendable, Equatable {
        case section(Section)
        /// A general page; `title` replaces the page's own title in the menu.
        case page(String, title: LocalizedText?)
        case link(title: LocalizedText, url: String)

        public static func == (lhs: MenuItem, rhs: MenuItem) -> Bool {
            switch (lhs, rhs) {
            case let (.section(a), .section(b)): return a == b
            case let (.page(a, t1), .page(b, t2)): return a == b && t1 == t2
            case let (.link(t1, u1), .link(t2, u2)): return t1 == t2 && u1 == u2
            default: return false
            }
        }
    }

    /// The built-in sections a menu can point to.
    public enum Section: String, Sendable, CaseIterable {
        case dashboard, catalogue, incidents
        /// The monthly SLA overview of every service (`/<lang>/sla/`).
        case sla
    }

    public func serviceLevel(_ id: String) -> ServiceLevel? { serviceLevels.first { $0.id == id } }

    /// Decimals of the availability figures pages show: 2, or as many as the most precise
    /// target (at most 6). A 99.999 % target beside a figure of two decimals read
    /// "99,99 %, target met" — a figure below the target shown, judged as meeting it.
    public var availabilityDecimals: Int {
        serviceLevels.map { level in
            let text = JSONText.number(level.target)
            return text.firstIndex(of: ".").map { text.distance(from: $0, to: text.endIndex) - 1 } ?? 0
        }.reduce(2) { max($0, min($1, 6)) }
    }
    public func category(_ id: String) -> Category? { categories.first { $0.id == id } }
    public func contact(_ id: String) -> Contact? { contacts.first { $0.id == id } }
    public func deliveryModel(_ id: String) -> DeliveryModel? { deliveryModels.first { $0.id == id } }

    /// The path part of the base URL, always ending in `/`: every internal link starts
    /// with it, so the site works when published under a sub-folder.
    public var basePath: String {
        guard let url = URL(string: baseURL), !url.path.isEmpty else { return "/" }
        return url.path.hasSuffix("/") ? url.path : url.path + "/"
    }

    /// `https://host` without the path, to make absolute URLs from root-relative ones.
    public var origin: String {
        guard let url = URL(string: baseURL), let scheme = url.scheme, let host = url.host else { return "" }
        return "\(scheme)://\(host)" + (url.port.map { ":\($0)" } ?? "")
    }
}
