import YourICTSupport
import YourICTFormats

/// Checks that content agrees with itself: references resolve, translations match
/// their original's structure, menu entries exist.
struct ContentValidator {
    let content: ContentSet
    let diagnostics: DiagnosticBag

    func validate() {
        let site = content.site
        let d = site.defaultLanguage
        let calendar = ZonedCalendar(timeZone: site.timeZone)
        for byLang in content.incidents.values {
            for incident in byLang.values {
                for ref in incident.affected {
                    guard let service = content.services[ref.service]?[d] else {
                        if content.unreadable.contains(DocumentKey(.service, ref.service)) { continue }
                        if let (text, hint) = content.absence(DocumentKey(.service, ref.service)) {
                            diagnostics.error("`\(ref.text)`: \(text)", at: ref.location, hint: hint)
                            continue
                        }
                        diagnostics.error("`\(ref.text)`: there is no service `\(ref.service)`", at: ref.location,
                                          hint: Spelling.closest(to: ref.service, in: content.serviceIDs).map { "did you mean `\($0)`?" }
                                              ?? "services are the files in content/services/")
                        continue
                    }
                    // An event from the day a service was retired affects what no page shows.
                    if incident.lang == d, service.lifecycle.stage == .retired, let since = service.lifecycle.since,
                       let start = incident.start, calendar.localDate(of: start) >= since {
                        diagnostics.warning("`\(ref.text)`: service `\(ref.service)` is retired since \(since.isoString); the \(incident.kind == .maintenance ? "maintenance" : "incident") starts after that",
                                            at: ref.location,
                                            hint: "remove it from `affected`, or check the dates of the event and of the service's `lifecycle`")
                    }
                    // A planned service is not open: it has no state for an event to set.
                    if incident.lang == d, service.lifecycle.stage == .planned {
                        diagnostics.warning("`\(ref.text)`: service `\(ref.service)` is planned, not open yet: the \(incident.kind == .maintenance ? "maintenance" : "incident") sets no state for it",
                                            at: ref.location,
                                            hint: "remove it from `affected`, or move the service's `lifecycle` to `pilot` or `production`")
                    }
                    if let component = ref.component, !service.components.contains(where: { $0.id == component }) {
                        diagnostics.error("`\(ref.text)`: service `\(ref.service)` has no component `\(component)`", at: ref.location,
                                          hint: Spelling.closest(to: component, in: service.components.map(\.id)).map { "did you mean `\($0)`?" }
                                              ?? service.componentsHint())
                    }
                }
            }
        }
        validateLifecycles()
        validateLatencyNames()
        validateTagCount()
        validateDependencies()
        validateTitles()
        for item in site.menu {
            if case .page(let slug, _) = item, content.pages[slug] == nil, !content.unreadable.contains(DocumentKey(.page, slug)) {
                if let (text, hint) = content.absence(DocumentKey(.page, slug)) {
                    diagnostics.error("the menu links to page \(text)", at: SourceLocation(path: SiteConfigLoader.path), hint: hint)
                    continue
                }
                diagnostics.error("the menu links to page `\(slug)`, which does not exist", at: SourceLocation(path: SiteConfigLoader.path),
                                  hint: Spelling.closest(to: slug, in: Array(content.pages.keys)).map { "did you mean `\($0)`?" }
                                      ?? "pages are the files in content/pages/")
            }
        }
    }

    /// Distinct keywords per language, bounded: each is a catalogue page listing every
    /// other (quadratic output). Said at the sheet that brings the first one too many.
    private func validateTagCount() {
        let limit = ServiceDecoder.maximumTagsPerLanguage
        for lang in content.site.languages {
            var seen = Set<String>()
            for id in content.serviceIDs {
                guard let sheet = content.service(id, in: lang) else { continue }
                for tag in sheet.tags where seen.insert(Slugger.slugify(tag)).inserted && seen.count == limit + 1 {
                    diagnostics.error("more than \(limit) distinct keywords in `\(lang)`: `\(tag)`, here, is one too many",
                                      at: SourceLocation(path: sheet.path),
                                      hint: "each keyword is a catalogue page that lists every other: share keywords between services")
                }
            }
        }
    }

    /// Every series whose metric is a `latency` matcher's `__name__` is read as response
    /// times, in the whole site, and never as a state. Naming an up/down metric there
    /// (`probe_success`, `up`, or a `monitor`'s `__name__`) turned every service's states
    /// into "response times" of 0 and 1 s: outages read as no data, without a word.
    private func validateLatencyNames() {
        let d = content.site.defaultLanguage
        var stateNames: [String: String] = ["probe_success": "the blackbox exporter's up/down metric", "up": "Prometheus' up/down metric"]
        for id in content.serviceIDs {
            for component in content.services[id]?[d]?.components ?? [] {
                if let name = component.monitor["__name__"], stateNames[name] == nil { stateNames[name] = "the up/down metric of `\(id)/\(component.id)`'s `monitor`" }
            }
        }
        for id in content.serviceIDs {
            for component in content.services[id]?[d]?.components ?? [] {
                guard let name = component.latency["__name__"], let what = stateNames[name] else { continue }
                diagnostics.error("`latency` names `\(name)`, \(what): every series of it would be read as response times, and no state",
                                  at: component.latencyLocation ?? SourceLocation(path: "content/services/\(id).md"),
                                  hint: "name the metric of the probe's duration in seconds, such as probe_duration_seconds")
            }
        }
    }

    /// Two services of the catalogue with one title (case and spaces aside) in a language
    /// are two identical cards: a warning at the second's own title (in id order).
    private func validateTitles() {
        let listed = content.listedServiceIDs
        for lang in content.site.languages {
            // Most sites have no two alike: look first, sort only when some are.
            var keys = Set<String>()
            keys.reserveCapacity(listed.count)
            let alike = listed.contains { id in content.service(id, in: lang).map { !keys.insert($0.titleKey).inserted } ?? false }
            guard alike else { continue }
            var seen: [String: String] = [:]
            for id in listed.sorted() {
                guard let sheet = content.service(id, in: lang) else { continue }
                guard let first = seen[sheet.titleKey] else { seen[sheet.titleKey] = id; continue }
                // Reported once, where the title is written: not again in each language that inherits it.
                guard sheet.lang(of: .title) == lang, let location = sheet.titleLocation else { continue }
                diagnostics.warning("services `\(first)` and `\(id)` are both titled `\(sheet.title)`", at: location,
                                    hint: "readers cannot tell their cards apart in the catalogue; give each its own title")
            }
        }
    }

    /// `replaced_by` names another service, one that is not retired.
    private func validateLifecycles() {
        let d = content.site.defaultLanguage
        for id in content.serviceIDs {
            guard let sheet = content.services[id]?[d], let replacement = sheet.lifecycle.replacedBy else { continue }
            let location = sheet.lifecycle.replacedByLocation ?? SourceLocation(path: sheet.path)
            if replacement == id {
                diagnostics.error("`replaced_by` names the service itself", at: location, hint: "name the service that takes over")
            } else if let other = content.services[replacement]?[d] {
                if other.lifecycle.stage == .retired {
                    diagnostics.warning("`replaced_by` names `\(replacement)`, which is retired too", at: location,
                                        hint: "name the service partners should move to")
                }
            } else if let (text, hint) = content.absence(DocumentKey(.service, replacement)) {
                diagnostics.error("`replaced_by`: \(text)", at: location, hint: hint)
            } else if !content.unreadable.contains(DocumentKey(.service, replacement)) {
                // Neither a retired service nor the service itself is a replacement to suggest.
                let open = content.serviceIDs.filter { $0 != id && content.services[$0]?[d]?.lifecycle.stage != .retired }
                diagnostics.error("`replaced_by`: there is no service `\(replacement)`", at: location,
                                  hint: Spelling.closest(to: replacement, in: open).map { "did you mean `\($0)`?" }
                                      ?? "services are the files in content/services/")
            }
        }
    }

    /// Every `depends_on` entry names a service (and a component of it), none on a
    /// retired service, and no service depends on itself, directly or through others.
    private func validateDependencies() {
        let d = content.site.defaultLanguage
        var edges: [String: [(target: String, location: SourceLocation)]] = [:]
        for id in content.serviceIDs {
            guard let sheet = content.services[id]?[d] else { continue }
            for dependency in sheet.dependsOn {
                guard let target = content.services[dependency.service]?[d] else {
                    if content.unreadable.contains(DocumentKey(.service, dependency.service)) { continue }
                    if let (text, hint) = content.absence(DocumentKey(.service, dependency.service)) {
                        diagnostics.error("`depends_on`: \(text)", at: dependency.location, hint: hint)
                        continue
                    }
                    diagnostics.error("`depends_on`: there is no service `\(dependency.service)`", at: dependency.location,
                                      hint: Spelling.closest(to: dependency.service, in: content.serviceIDs).map { "did you mean `\($0)`?" }
                                          ?? "services are the files in content/services/")
                    continue
                }
                if let component = dependency.component, !target.components.contains(where: { $0.id == component }) {
                    diagnostics.error("`depends_on`: service `\(dependency.service)` has no component `\(component)`", at: dependency.location,
                                      hint: Spelling.closest(to: component, in: target.components.map(\.id)).map { "did you mean `\($0)`?" }
                                          ?? target.componentsHint())
                    continue
                }
                if target.lifecycle.stage == .retired, sheet.lifecycle.stage != .retired, dependency.service != id {
                    diagnostics.warning("`depends_on` names `\(dependency.service)`, which is retired", at: dependency.location,
                                        hint: target.lifecycle.replacedBy.map { "it is replaced by `\($0)`" } ?? "remove the entry, or name what replaced it")
                }
                edges[id, default: []].append((dependency.service, dependency.location))
            }
        }
        for cycle in Self.cycles(edges) {
            let names = (cycle.map(\.from) + [cycle[0].from]).map { "`\($0)`" }.joined(separator: " → ")
            diagnostics.error(cycle.count == 1 ? "`\(cycle[0].from)` depends on itself" : "dependency cycle: \(names)", at: cycle[0].location,
                              hint: "a service cannot depend on itself, directly or through others; remove one of these `depends_on` entries")
        }
    }

    /// Each cycle of the graph once: per strongly connected component with a cycle, the
    /// one through its smallest id, as the edges (from, where written) that make it.
    static func cycles(_ edges: [String: [(target: String, location: SourceLocation)]]) -> [[(from: String, location: SourceLocation)]] {
        // Tarjan's algorithm, iterative: a chain of thousands of services must not
        // exhaust the stack.
        var index: [String: Int] = [:], low: [String: Int] = [:], onStack = Set<String>(), stack: [String] = []
        var components: [[String]] = []
        var next = 0
        for root in edges.keys.sorted() where index[root] == nil {
            var work: [(node: String, edge: Int)] = [(root, 0)]
            index[root] = next; low[root] = next; next += 1
            stack.append(root); onStack.insert(root)
            while let (node, edge) = work.last {
                let out = edges[node] ?? []
                if edge < out.count {
                    work[work.count - 1].edge += 1
                    let target = out[edge].target
                    if index[target] == nil {
                        index[target] = next; low[target] = next; next += 1
                        stack.append(target); onStack.insert(target)
                        work.append((target, 0))
                    } else if onStack.contains(target) {
                        low[node] = min(low[node]!, index[target]!)
                    }
                    continue
                }
                work.removeLast()
                if let parent = work.last { low[parent.node] = min(low[parent.node]!, low[node]!) }
                if low[node] == index[node] {
                    var component: [String] = []
                    while let top = stack.popLast() {
                        onStack.remove(top)
                        component.append(top)
                        if top == node { break }
                    }
                    components.append(component)
                }
            }
        }
        var out: [[(from: String, location: SourceLocation)]] = []
        for component in components {
            let members = Set(component)
            let start = component.min()!
            if component.count == 1 {
                if let selfEdge = edges[start]?.first(where: { $0.target == start }) { out.append([(start, selfEdge.location)]) }
                continue
            }
            // The shortest way back to `start` within the component (breadth first, edges
            // in the order written), so the cycle named is one the reader can follow.
            var previous: [String: (from: String, location: SourceLocation)] = [:]
            var queue = [start], head = 0
            search: while head < queue.count {
                let node = queue[head]; head += 1
                for edge in edges[node] ?? [] where members.contains(edge.target) {
                    if edge.target == start {
                        previous[start] = (node, edge.location)
                        break search
                    }
                    if previous[edge.target] == nil {
                        previous[edge.target] = (node, edge.location)
                        queue.append(edge.target)
                    }
                }
            }
            var path: [(from: String, location: SourceLocation)] = []
            var node = start
            repeat {
                guard let step = previous[node] else { break }
                path.append(step)
                node = step.from
            } while node != start
            out.append(path.reversed())
        }
        return out.sorted { $0[0].from < $1[0].from }
    }
}
