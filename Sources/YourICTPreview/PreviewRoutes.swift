import Foundation
import Hummingbird
import NIOCore
import YourICTFormats

/// Answers requests from the in-memory site: pages, the live-reload script and event
/// stream, and the diagnostics of a failed build.
enum PreviewRoutes {
    static func respond(to request: Request, store: SiteStore) async -> Response {
        guard request.method == .get || request.method == .head else {
            return plain(.methodNotAllowed, "Only GET and HEAD are served.\n")
        }
        let rawPath = request.uri.path
        switch rawPath {
        case PreviewServer.livePath:
            return bytes(Array(liveScript.utf8), type: "text/javascript; charset=utf-8")
        case PreviewServer.eventsPath:
            return await events(store)
        case PreviewServer.errorsPath:
            return bytes(Array(await errorsPage(store).utf8), type: "text/html; charset=utf-8")
        case PreviewServer.errorsPath + ".json":
            return bytes(Array(await errorsJSON(store).utf8), type: "application/json; charset=utf-8")
        default:
            break
        }
        guard let path = SafePath.resolve(rawPath) else {
            return plain(.badRequest, "Bad path.\n")
        }
        if !(await store.hasSite) {
            // The very first build failed: show why, on every page.
            return bytes(Array(await errorsPage(store).utf8), type: "text/html; charset=utf-8", status: .serviceUnavailable)
        }
        if path.isEmpty || path.hasSuffix("/") {
            if let data = await store.file(path + "index.html") { return bytes(data, type: ContentTypes.type(for: "index.html")) }
        } else if let data = await store.file(path) {
            return bytes(data, type: ContentTypes.type(for: path))
        } else if await store.isDirectory(path) {
            // `/fr/catalogue` → `/fr/catalogue/`, as a web server does.
            return Response(status: .movedPermanently, headers: [.location: "/" + path + "/", .cacheControl: "no-store"])
        }
        // The "page not found" of the path's language, as the documented nginx block does.
        let first = path.split(separator: "/").first.map(String.init)
        let languageNotFound = first.map { "\($0)/404.html" }
        var notFound: [[UInt8]]? = nil
        if let languageNotFound, path.contains("/") { notFound = await store.file(languageNotFound) }
        if notFound == nil { notFound = await store.file("404.html") }
        let page = notFound ?? [Array("Not found\n".utf8)]
        return bytes(page, type: "text/html; charset=utf-8", status: .notFound)
    }

    private static func bytes(_ data: [UInt8], type: String, status: HTTPResponse.Status = .ok) -> Response {
        bytes([data], type: type, status: status)
    }

    /// A file made of pieces (a large JSON document), in one buffer.
    private static func bytes(_ chunks: [[UInt8]], type: String, status: HTTPResponse.Status = .ok) -> Response {
        var buffer = ByteBuffer()
        buffer.reserveCapacity(chunks.reduce(0) { $0 + $1.count })
        for chunk in chunks { buffer.writeBytes(chunk) }
        return Response(status: status,
                        headers: [.contentType: type, .cacheControl: "no-store", .init("X-Content-Type-Options")!: "nosniff"],
                        body: .init(byteBuffer: buffer))
    }

    private static func plain(_ status: HTTPResponse.Status, _ text: String) -> Response {
        bytes(Array(text.utf8), type: "text/plain; charset=utf-8", status: status)
    }

    /// Server-Sent Events: `reload` after each good build, `failed` after a bad one.
    private static func events(_ store: SiteStore) async -> Response {
        let stream = await store.subscribe()
        let generation = await store.generation
        let failed = await store.hasErrors
        return Response(
            status: .ok,
            headers: [.contentType: "text/event-stream", .cacheControl: "no-store"],
            body: .init { writer in
                try await writer.write(ByteBuffer(string: "retry: 500\nevent: hello\ndata: \(generation)\(failed ? " failed" : "")\n\n"))
                for await event in stream {
                    switch event {
                    case .reload(let g): try await writer.write(ByteBuffer(string: "event: reload\ndata: \(g)\n\n"))
                    case .failed(let g): try await writer.write(ByteBuffer(string: "event: failed\ndata: \(g)\n\n"))
                    }
                }
                try await writer.finish(nil)
            })
    }

    private static func errorsJSON(_ store: SiteStore) async -> String {
        let formatter = DiagnosticFormatter(format: .json)
        return "[" + (await store.diagnostics).map(formatter.format).joined(separator: ",") + "]\n"
    }

    /// The overlay page: every diagnostic, as `check` prints it.
    static func errorsPage(_ store: SiteStore) async -> String {
        let diagnostics = await store.diagnostics
        let hasSite = await store.hasSite
        let failing = diagnostics.hasErrors
        let title = failing ? "The site does not build" : (diagnostics.isEmpty ? "The site builds" : "The site builds, with warnings")
        let advice: String
        if failing {
            advice = "Fix these and save: the page reloads by itself." + (hasSite ? " The last good version of the site is still served." : "")
        } else {
            advice = diagnostics.isEmpty ? "No diagnostics." : "Warnings do not stop the build; <code>yourict build --strict</code> treats them as errors."
        }
        let formatter = DiagnosticFormatter(format: .text)
        let items = diagnostics.map { "<li class=\"\($0.severity.rawValue)\"><pre>\(HTML.escape(formatter.format($0)))</pre></li>" }.joined()
        return """
        <!doctype html>
        <html lang="en"><head><meta charset="utf-8"><title>yourict: \(title.lowercased())</title>
        <meta name="viewport" content="width=device-width, initial-scale=1">
        <script src="\(PreviewServer.livePath)" defer></script>
        <style>body{font:15px/1.5 system-ui,sans-serif;margin:2rem;color:#1a1f2b}pre{white-space:pre-wrap;margin:0;font:13px/1.45 ui-monospace,monospace}
        li{list-style:none;border-left:6px solid #c22a2a;background:#fde8e8;padding:.6rem .9rem;margin:.6rem 0}li.warning{border-color:#8a5a00;background:#fff5d6}</style>
        </head><body><h1>\(title)</h1>
        <p>\(advice)</p>
        <ul>\(items)</ul></body></html>
        """
    }

    /// Injected only by `serve` (never into `build` output): reloads on `reload`, shows
    /// the diagnostics over the page on `failed`.
    static let liveScript = #"""
    (function () {
      "use strict";
      var overlay = null;
      function showErrors() {
        fetch("/__yourict/errors.json").then(function (r) { return r.json(); }).then(function (list) {
          if (!overlay) {
            overlay = document.createElement("div");
            overlay.setAttribute("role", "alertdialog");
            overlay.setAttribute("aria-label", "Build errors");
            overlay.style.cssText = "position:fixed;inset:1rem;z-index:99999;overflow:auto;background:#fff;color:#1a1f2b;" +
              "border:4px solid #c22a2a;border-radius:8px;padding:1rem 1.25rem;font:14px/1.5 system-ui,sans-serif;box-shadow:0 8px 40px rgba(0,0,0,.4)";
            document.body.appendChild(overlay);
          }
          overlay.textContent = "";
          var h = document.createElement("h2");
          h.textContent = "The site does not build — fix and save, the page reloads by itself";
          overlay.appendChild(h);
          list.forEach(function (d) {
            var pre = document.createElement("pre");
            pre.style.cssText = "white-space:pre-wrap;border-left:6px solid " + (d.severity === "error" ? "#c22a2a" : "#8a5a00") + ";padding:.4rem .7rem;margin:.5rem 0;background:#f6f7f9";
            pre.textContent = (d.file ? d.file + ":" + d.line + ":" + d.column + ": " : "") + d.severity + ": " + d.message + (d.hint ? "\n  hint: " + d.hint : "");
            overlay.appendChild(pre);
          });
        });
      }
      var source = new EventSource("/__yourict/events");
      source.addEventListener("hello", function (e) { if (/failed/.test(e.data)) showErrors(); });
      source.addEventListener("reload", function () { location.reload(); });
      source.addEventListener("failed", showErrors);
    })();
    """#
}

/// Request paths to site paths, refusing anything that could leave the site: `..`
/// (also percent-encoded), backslashes, NUL bytes. The site is in memory, so there is
/// no file system to escape to, but a clear refusal beats a surprising 404.
enum SafePath {
    package static func resolve(_ raw: String) -> String? {
        guard raw.hasPrefix("/"), let decoded = raw.removingPercentEncoding else { return nil }
        if decoded.contains("\0") || decoded.contains("\\") { return nil }
        let segments = decoded.split(separator: "/", omittingEmptySubsequences: false).dropFirst()
        for segment in segments where segment == ".." || segment == "." { return nil }
        return String(decoded.dropFirst())
    }
}

enum ContentTypes {
    static func type(for path: String) -> String {
        switch (path as NSString).pathExtension.lowercased() {
        case "html": return "text/html; charset=utf-8"
        case "css": return "text/css; charset=utf-8"
        case "js": return "text/javascript; charset=utf-8"
        case "json": return "application/json; charset=utf-8"
        case "xml": return path.hasSuffix("feed.xml") ? "application/atom+xml; charset=utf-8" : "application/xml; charset=utf-8"
        case "ics": return "text/calendar; charset=utf-8"
        case "svg": return "image/svg+xml"
        case "png": return "image/png"
        case "jpg", "jpeg": return "image/jpeg"
        case "gif": return "image/gif"
        case "webp": return "image/webp"
        case "ico": return "image/x-icon"
        case "txt": return "text/plain; charset=utf-8"
        case "csv": return "text/csv; charset=utf-8"
        case "pdf": return "application/pdf"
        case "woff2": return "font/woff2"
        default: return "application/octet-stream"
        }
    }
}
