import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif
import YourICTSupport
import YourICTMonitoring

/// Why a pull failed. `exitCode`: 1 when Prometheus answered with an error or with
/// data that is not a `query_range` matrix; 2 for usage errors, network errors
/// (nothing usable came back) and local errors (files that cannot be written).
public struct PullError: Error, Sendable, CustomStringConvertible {
    public enum Kind: Sendable, Equatable {
        case usage, network, prometheus, data, io
    }

    public var kind: Kind
    public var message: String
    public var hint: String?

    public init(_ kind: Kind, _ message: String, hint: String? = nil) {
        self.kind = kind
        self.message = message
        self.hint = hint
    }

    public var exitCode: Int32 {
        switch kind {
        case .prometheus, .data: return 1
        case .usage, .network, .io: return 2
        }
    }

    public var description: String { message }
}

/// Credentials, from the environment only: never from the command line, where
/// they would end up in shell histories, process lists and CI logs.
public enum PrometheusCredentials: Sendable, Equatable {
    case bearer(String)
    case basic(user: String, password: String)

    public static let tokenVariable = "YOURICT_PROMETHEUS_TOKEN"
    public static let userVariable = "YOURICT_PROMETHEUS_USER"
    public static let passwordVariable = "YOURICT_PROMETHEUS_PASSWORD"

    /// Empty variables count as unset (a CI secret that is not available is empty).
    public static func fromEnvironment(_ environment: [String: String]) throws(PullError) -> PrometheusCredentials? {
        func value(_ name: String) -> String? { environment[name].flatMap { $0.isEmpty ? nil : $0 } }
        let token = value(tokenVariable), user = value(userVariable), password = value(passwordVariable)
        if token != nil, user != nil || password != nil {
            throw PullError(.usage, "both \(tokenVariable) and \(userVariable)/\(passwordVariable) are set",
                            hint: "set the token for bearer authentication, or the user and password for basic authentication, not both")
        }
        if let token { return .bearer(token) }
        switch (user, password) {
        case let (user?, password?): return .basic(user: user, password: password)
        case (_?, nil): throw PullError(.usage, "\(userVariable) is set but \(passwordVariable) is not", hint: "set both for basic authentication")
        case (nil, _?): throw PullError(.usage, "\(passwordVariable) is set but \(userVariable) is not", hint: "set both for basic authentication")
        case (nil, nil): return nil
        }
    }

    var headerValue: String {
        switch self {
        case .bearer(let token): return "Bearer \(token)"
        case .basic(let user, let password): return "Basic " + Data("\(user):\(password)".utf8).base64EncodedString()
        }
    }

    var kindDescription: String {
        switch self {
        case .bearer: return "a bearer token from \(Self.tokenVariable)"
        case .basic: return "basic authentication from \(Self.userVariable)/\(Self.passwordVariable)"
        }
    }
}

/// One HTTP exchange. The real one is `URLSessionTransport`; tests pass their own.
public protocol HTTPTransport: Sendable {
    func send(_ request: URLRequest) async throws -> HTTPResult
}

public struct HTTPResult: Sendable {
    public var status: Int
    public var headers: [String: String]
    public var body: Data

    public init(status: Int, headers: [String: String] = [:], body: Data) {
        self.status = status
        self.headers = headers
        self.body = body
    }

    func header(_ name: String) -> String? {
        headers.first { $0.key.caseInsensitiveCompare(name) == .orderedSame }?.value
    }
}

/// Foundation's URLSession (FoundationNetworking on Linux), one request at a time.
/// Redirects are not followed: a credential must never travel to a host it was not
/// meant for, and a redirected API URL is better fixed in the command.
public final class URLSessionTransport: NSObject, HTTPTransport, URLSessionDataDelegate, @unchecked Sendable {
    private let lock = NSLock()
    private var session: URLSession!
    private var body = Data()
    private var response: HTTPURLResponse?
    /// The response of a challenge the task was ended on (see `didReceive challenge`).
    private var challenged: HTTPURLResponse?
    private var continuation: CheckedContinuation<HTTPResult, any Error>?
    /// The exchange in progress, and whether its deadline ended it (see `send`).
    private var generation = 0
    private var timedOut = false
    private let timeout: Double

    /// `timeout`: seconds for the whole exchange.
    public init(timeout: Double) {
        self.timeout = timeout
        super.init()
        let configuration = URLSessionConfiguration.ephemeral
        configuration.timeoutIntervalForRequest = timeout
        configuration.timeoutIntervalForResource = timeout
        configuration.requestCachePolicy = .reloadIgnoringLocalCacheData
        configuration.urlCache = nil
        session = URLSession(configuration: configuration, delegate: self, delegateQueue: nil)
    }

    public func send(_ request: URLRequest) async throws -> HTTPResult {
        try await withCheckedThrowingContinuation { continuation in
            let task = session.dataTask(with: request)
            let mine = lock.withLock { () -> Int in
                body = Data()
                response = nil
                challenged = nil
                timedOut = false
                generation += 1
                self.continuation = continuation
                return generation
            }
            // FoundationNetworking on Linux enforces only the time between two reads: a body
            // trickled a few bytes a second kept a pull going for minutes past --timeout. The
            // whole exchange is bounded here.
            DispatchQueue.global().asyncAfter(deadline: .now() + timeout) { [weak self] in
                guard let self else { return }
                let expired = self.lock.withLock { () -> Bool in
                    guard self.generation == mine, self.continuation != nil else { return false }
                    self.timedOut = true
                    return true
                }
                if expired { task.cancel() }
            }
            task.resume()
        }
    }

    public func close() { session.invalidateAndCancel() }

    public func urlSession(_ session: URLSession, dataTask: URLSessionDataTask, didReceive response: URLResponse,
                           completionHandler: @escaping @Sendable (URLSession.ResponseDisposition) -> Void) {
        lock.withLock { self.response = response as? HTTPURLResponse }
        completionHandler(.allow)
    }

    public func urlSession(_ session: URLSession, dataTask: URLSessionDataTask, didReceive data: Data) {
        lock.withLock { body.append(data) }
    }

    public func urlSession(_ session: URLSession, task: URLSessionTask, willPerformHTTPRedirection response: HTTPURLResponse,
                           newRequest request: URLRequest, completionHandler: @escaping @Sendable (URLRequest?) -> Void) {
        completionHandler(nil)
    }

    /// yourict sends its credentials itself (an `Authorization` header), so a server's
    /// challenge (`401` with `WWW-Authenticate`) is not answered: the task ends, and the
    /// challenge's response is reported as the answer (with its hint). Without this method
    /// FoundationNetworking waits for an answer to the challenge, past every timeout.
    public func urlSession(_ session: URLSession, task: URLSessionTask, didReceive challenge: URLAuthenticationChallenge,
                           completionHandler: @escaping @Sendable (URLSession.AuthChallengeDisposition, URLCredential?) -> Void) {
        lock.withLock { challenged = challenge.failureResponse as? HTTPURLResponse }
        completionHandler(.cancelAuthenticationChallenge, nil)
    }

    public func urlSession(_ session: URLSession, task: URLSessionTask, didCompleteWithError error: (any Error)?) {
        let (continuation, response, body, timedOut) = lock.withLock { () -> (CheckedContinuation<HTTPResult, any Error>?, HTTPURLResponse?, Data, Bool) in
            defer { self.continuation = nil }
            return (self.continuation, self.response ?? (error != nil ? self.challenged : nil), self.body, self.timedOut)
        }
        if timedOut {
            continuation?.resume(throwing: URLError(.timedOut))
        } else if let response, error != nil, response === lock.withLock({ challenged }) {
            var headers: [String: String] = [:]
            for (k, v) in response.allHeaderFields { headers["\(k)"] = "\(v)" }
            continuation?.resume(returning: HTTPResult(status: response.statusCode, headers: headers, body: body))
        } else if let error {
            continuation?.resume(throwing: error)
        } else if let response {
            var headers: [String: String] = [:]
            for (k, v) in response.allHeaderFields { headers["\(k)"] = "\(v)" }
            continuation?.resume(returning: HTTPResult(status: response.statusCode, headers: headers, body: body))
        } else {
            continuation?.resume(throwing: URLError(.badServerResponse))
        }
    }
}

/// Asks Prometheus' `/api/v1/query_range`, retrying what may pass on a second try.
public struct PrometheusClient: Sendable {
    public var baseURL: URL
    public var credentials: PrometheusCredentials?
    public var timeout: Double
    /// Further attempts after the first, on network errors, HTTP 5xx and 429.
    public var retries: Int
    /// Seconds before the first retry; doubled for each next one.
    public var retryDelay: Double
    public var transport: any HTTPTransport
    /// Called before each retry, with what failed (for the terminal progress).
    public var onRetry: @Sendable (String) -> Void = { _ in }

    public init(baseURL: URL, credentials: PrometheusCredentials?, timeout: Double, retries: Int,
                retryDelay: Double = 1, transport: any HTTPTransport) {
        self.baseURL = baseURL
        self.credentials = credentials
        self.timeout = timeout
        self.retries = retries
        self.retryDelay = retryDelay
        self.transport = transport
    }

    /// Checks `--url`: absolute http(s), a host, no credentials, no query or fragment.
    /// A trailing `/api/v1/query_range` (or `/api/v1`) is accepted and dropped.
    public static func validateBaseURL(_ text: String) throws(PullError) -> URL {
        guard let components = URLComponents(string: text), let scheme = components.scheme?.lowercased(),
              scheme == "http" || scheme == "https", let host = components.host, !host.isEmpty
        else {
            throw PullError(.usage, "--url must be an absolute http:// or https:// URL, found `\(text)`",
                            hint: "e.g. --url http://prometheus.internal:9090 (or the URL under which a proxy serves it)")
        }
        if components.user != nil || components.password != nil {
            throw PullError(.usage, "--url must not contain credentials",
                            hint: "set \(PrometheusCredentials.tokenVariable), or \(PrometheusCredentials.userVariable) and \(PrometheusCredentials.passwordVariable), in the environment instead")
        }
        if components.query != nil || components.fragment != nil {
            throw PullError(.usage, "--url must not have a query or fragment, found `\(text)`",
                            hint: "pass the server's base URL; the query goes in --query")
        }
        var clean = components
        var path = clean.path
        for suffix in ["/api/v1/query_range", "/api/v1"] where path.hasSuffix(suffix) {
            path.removeLast(suffix.count)
            break
        }
        while path.hasSuffix("/") { path.removeLast() }
        clean.path = path
        return clean.url!
    }

    /// Characters left as they are in a query value; everything else is
    /// percent-encoded, `+` included (Go reads a raw `+` in a query as a space).
    static let unreserved: CharacterSet = CharacterSet(charactersIn: "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~")

    public func request(query: String, chunk: PullPlanning.Chunk) -> URLRequest {
        let params: [(String, String)] = [
            ("query", query),
            ("start", ChunkFile.seconds(chunk.start)),
            ("end", ChunkFile.seconds(chunk.end)),
            ("step", ChunkFile.seconds(chunk.step)),
            ("timeout", "\(Int(max(1, timeout.rounded(.down))))s"),
        ]
        let encoded = params.map { "\($0.0)=\($0.1.addingPercentEncoding(withAllowedCharacters: Self.unreserved)!)" }.joined(separator: "&")
        let url = URL(string: baseURL.absoluteString + "/api/v1/query_range?" + encoded)!
        var request = URLRequest(url: url)
        request.httpMethod = "GET"
        request.timeoutInterval = timeout
        request.setValue("application/json", forHTTPHeaderField: "Accept")
        request.setValue("yourict/\(YourICTVersion.current)", forHTTPHeaderField: "User-Agent")
        if let credentials { request.setValue(credentials.headerValue, forHTTPHeaderField: "Authorization") }
        return request
    }

    /// Fetches one chunk and reads it as a `query_range` matrix.
    public func fetch(query: String, chunk: PullPlanning.Chunk) async throws(PullError) -> (series: [PulledSeries], bytes: Int, attempts: Int) {
        let request = request(query: query, chunk: chunk)
        var attempt = 0
        while true {
            attempt += 1
            let failure: PullError
            var wait = retryDelay * pow(2, Double(attempt - 1))
            do {
                let result = try await transport.send(request)
                switch result.status {
                case 200..<300:
                    let read = Result { () throws(PullError) in try Self.readMatrix(result.body, status: result.status) }
                    switch read {
                    case .success(let series): return (series, result.body.count, attempt)
                    // A body cut short (a proxy or the network closed it early) may pass on
                    // a second try, as a network error does.
                    case .failure(let error) where error.message.contains(Self.cutShort): failure = error
                    case .failure(let error): throw error
                    }
                case 429, 500..<600:
                    failure = Self.httpError(result, credentials: credentials)
                    if let after = result.header("Retry-After").flatMap(Double.init), after >= 0 { wait = min(after, 60) }
                default:
                    throw Self.httpError(result, credentials: credentials)
                }
            } catch let error as PullError {
                throw error
            } catch {
                failure = Self.networkError(error, url: baseURL)
            }
            guard attempt <= retries else {
                var final = failure
                if retries > 0 { final.message += " (after \(attempt) attempts)" }
                throw final
            }
            onRetry("\(failure.message); retrying in \(Self.formatSeconds(wait))")
            try? await Task.sleep(nanoseconds: UInt64(wait * 1_000_000_000))
        }
    }

    static func formatSeconds(_ s: Double) -> String {
        s == s.rounded() ? "\(Int(s)) s" : String(format: "%.2f s", s)
    }

    /// Reads a successful body; a `"status":"error"` body is Prometheus' error.
    static func readMatrix(_ body: Data, status: Int) throws(PullError) -> [PulledSeries] {
        var collector = PulledSeriesCollector()
        if let error = readError(body, into: &collector) { throw interpret(error, status: status) }
        // `warnings` mark a partial answer (a store or a remote read that did not answer):
        // taken as complete, its hole stayed for good, as the next pull continues after
        // the newest sample. (`infos`, PromQL's notes on a query, are no such thing.)
        if let warnings = warnings(in: body), !warnings.isEmpty {
            throw PullError(.prometheus, "Prometheus answered with warnings, so the answer may miss data: \(warnings.joined(separator: "; "))",
                            hint: "nothing was changed; the next pull asks again (if the warning stays, check the stores or remote reads behind Prometheus)")
        }
        return collector.series.values.sorted { $0.key < $1.key }
    }

    /// The top-level `warnings` of an answer, if it has any (looked for only when the
    /// bytes hold the word, most answers having none).
    static func warnings(in body: Data) -> [String]? {
        guard body.range(of: Data("\"warnings\"".utf8)) != nil,
              let object = try? JSONSerialization.jsonObject(with: body) as? [String: Any] else { return nil }
        return (object["warnings"] as? [Any])?.map { "\($0)" }
    }

    static func readError(_ body: Data) -> PrometheusReadError? {
        var collector = PulledSeriesCollector()
        return readError(body, into: &collector)
    }

    static func readError(_ body: Data, into collector: inout PulledSeriesCollector) -> PrometheusReadError? {
        do {
            try PrometheusMatrixReader().read(bytes: body, into: &collector)
            return nil
        } catch {
            return error
        }
    }

    static func interpret(_ error: PrometheusReadError, status: Int) -> PullError {
        switch error.kind {
        case .apiError(let type, let text):
            return PullError(.prometheus, "Prometheus answered with an error (HTTP \(status), \(type.isEmpty ? "no errorType" : type)): \(text)",
                             hint: hint(errorType: type, text: text))
        case .wrongResultType(let type):
            return PullError(.data, "Prometheus answered with a \(type), not a matrix", hint: "yourict asks /api/v1/query_range; is --url a Prometheus server?")
        default:
            if error.description.contains(cutShort) {
                return PullError(.data, "the answer was cut short: \(error.description)",
                                 hint: "a proxy or the network closed it early; nothing was changed: try again, or raise --retries")
            }
            return PullError(.data, "the answer is not a Prometheus query_range response: \(error.description)",
                             hint: "is --url a Prometheus server (or a proxy that serves its HTTP API)?")
        }
    }

    /// What the reader says of a body that ends too early.
    static let cutShort = "unexpected end of input"

    static func hint(errorType: String, text: String = "") -> String? {
        // A server (or a proxy, another backend) that allows fewer points per request than
        // Prometheus' 11,000, which yourict keeps every request under.
        if text.contains("exceeded maximum resolution") {
            return "this server allows fewer points per request than Prometheus' 11,000: a larger --step (fewer points) passes"
        }
        switch errorType {
        case "bad_data": return "check the query in Prometheus' own UI (Graph tab) first; quote it in single quotes in the shell"
        case "execution": return "the query failed while running; a query that selects fewer series, or a larger --step, may pass"
        case "timeout", "canceled": return "raise --timeout, or select fewer series"
        default: return nil
        }
    }

    /// An HTTP error status, with Prometheus' errorType and error when the body has them.
    static func httpError(_ result: HTTPResult, credentials: PrometheusCredentials?) -> PullError {
        if let error = readError(result.body), case .apiError = error.kind {
            var e = interpret(error, status: result.status)
            if result.status == 401 || result.status == 403 { e.hint = authHint(result.status, credentials) }
            return e
        }
        let excerpt = String(decoding: result.body.prefix(300), as: UTF8.self)
            .replacingOccurrences(of: "\n", with: " ").trimmingCharacters(in: .whitespaces)
        let reason = HTTPURLResponse.localizedString(forStatusCode: result.status)
        var message = "Prometheus answered HTTP \(result.status) (\(reason))"
        if !excerpt.isEmpty { message += ": \(excerpt)" }
        var hint: String?
        switch result.status {
        case 300..<400:
            hint = "the server redirects" + (result.header("Location").map { " to \($0)" } ?? "") + "; yourict does not follow redirects: pass the final URL with --url"
        case 401, 403:
            hint = authHint(result.status, credentials)
        case 404:
            hint = "no /api/v1/query_range under --url; pass the server's base URL (with the path prefix a proxy adds, if any)"
        case 429, 502, 503, 504:
            hint = "the server is overloaded or not reachable behind its proxy; try again later, or raise --retries"
        default:
            hint = result.status >= 500 ? "the server failed: see its log; --retries tries again after a 5xx" : "check --url and the query; see the server's log"
        }
        return PullError(.prometheus, message, hint: hint)
    }

    static func authHint(_ status: Int, _ credentials: PrometheusCredentials?) -> String {
        if let credentials {
            return "the server refused \(credentials.kindDescription)" + (status == 403 ? ": it lacks the rights to query" : ": check its value")
        }
        return "the server wants credentials: set \(PrometheusCredentials.tokenVariable) (bearer token), or \(PrometheusCredentials.userVariable) and \(PrometheusCredentials.passwordVariable) (basic authentication)"
    }

    static func networkError(_ error: any Error, url: URL) -> PullError {
        let host = url.host ?? url.absoluteString
        if let e = error as? URLError {
            switch e.code {
            case .timedOut:
                return PullError(.network, "no answer from \(host) in time", hint: "raise --timeout, or select fewer series per query")
            case .cannotConnectToHost, .networkConnectionLost, .notConnectedToInternet:
                return PullError(.network, "cannot connect to \(url.absoluteString): \(e.localizedDescription)", hint: "is Prometheus running there, and is the port right?")
            case .cannotFindHost, .dnsLookupFailed:
                return PullError(.network, "cannot resolve \(host)", hint: "check the host name in --url")
            case .secureConnectionFailed, .serverCertificateUntrusted, .serverCertificateHasBadDate, .serverCertificateNotYetValid,
                 .serverCertificateHasUnknownRoot, .clientCertificateRejected:
                return PullError(.network, "TLS with \(host) failed: \(e.localizedDescription)", hint: "is the server's certificate trusted by this machine (ca-certificates)?")
            default:
                return PullError(.network, "cannot reach \(url.absoluteString): \(e.localizedDescription)", hint: "check --url and the network between here and Prometheus")
            }
        }
        return PullError(.network, "cannot reach \(url.absoluteString): \(error)", hint: "check --url and the network between here and Prometheus")
    }
}
