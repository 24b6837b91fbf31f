import YourICTSupport

/// Checks that content agrees with itself: references resolve, translations match
/// their original's structure, menu entries exist.
struct ContentValidator {
    let content: ContentSet
    let diagnostics: DiagnosticBag

    func validate() {
        let site = content.site
        let d = site.defaultLanguage
        for byLang in content.incidents.values {
            for incident in byLang.values {
                for ref in incident.affected {
                    guard let service = content.services[ref.service]?[d] else {
                        if content.unreadable.contains(DocumentKey(.service, ref.service)) { continue }
                        diagnostics.error("`\(ref.text)`: there is no service `\(ref.service)`", at: ref.location,
                                          hint: Spelling.closest(to: ref.service, in: content.serviceIDs).map { "did you mean `\($0)`?" }
                                              ?? "services are the files in content/services/")
                        continue
                    }
                    if let component = ref.component, !service.components.contains(where: { $0.id == component }) {
                        let ids = service.components.map(\.id)
                        diagnostics.error("`\(ref.text)`: service `\(ref.service)` has no component `\(component)`", at: ref.location,
                                          hint: Spelling.closest(to: component, in: ids).map { "did you mean `\($0)`?" }
                                              ?? "its components: \(ids.joined(separator: ", "))")
                    }
                }
            }
        }
        for (id, byLang) in content.services {
            guard let original = byLang[d] else { continue }
            for (lang, translation) in byLang where lang != d {
                let a = original.components.map(\.id), b = translation.components.map(\.id)
                if a != b {
                    diagnostics.error("the components of this translation (\(b.joined(separator: ", "))) differ from `\(id).md` (\(a.joined(separator: ", ")))",
                                      at: SourceLocation(path: translation.path),
                                      hint: "translations share the original's components; translate their names only")
                }
            }
        }
        for item in site.menu {
            if case .page(let slug, _) = item, content.pages[slug] == nil, !content.unreadable.contains(DocumentKey(.page, slug)) {
                diagnostics.error("the menu links to page `\(slug)`, which does not exist", at: SourceLocation(path: SiteConfigLoader.path),
                                  hint: Spelling.closest(to: slug, in: Array(content.pages.keys)).map { "did you mean `\($0)`?" }
                                      ?? "pages are the files in content/pages/")
            }
        }
    }
}
