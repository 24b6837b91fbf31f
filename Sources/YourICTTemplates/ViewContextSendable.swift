// Views are built once per page (or once per build for shared parts) and then only read,
// by the threads that render pages in parallel. Their values are strings, numbers,
// booleans, contexts and arrays of them, all value types; nothing in a context refers to
// state that changes while pages render. The compiler cannot see that through `Any`.
extension ViewContext: @unchecked Sendable {}
extension LanguageContext: @unchecked Sendable {}
