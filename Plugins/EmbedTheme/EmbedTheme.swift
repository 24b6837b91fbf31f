import Foundation
import PackagePlugin

/// Turns the default theme (`templates/` at the package root) into Swift source at build
/// time, so that `yourict init` can write it and `templates/` stays its only copy.
@main
struct EmbedTheme: BuildToolPlugin {
    func createBuildCommands(context: PluginContext, target: Target) throws -> [Command] {
        let folder = context.package.directoryURL.appending(path: "templates")
        let output = context.pluginWorkDirectoryURL.appending(path: "DefaultTheme.swift")
        var inputs: [URL] = []
        if let walk = FileManager.default.enumerator(at: folder, includingPropertiesForKeys: [.isRegularFileKey]) {
            for case let url as URL in walk where (try? url.resourceValues(forKeys: [.isRegularFileKey]))?.isRegularFile == true {
                inputs.append(url)
            }
        }
        return [.buildCommand(
            displayName: "Embedding the default theme (\(inputs.count) files)",
            executable: try context.tool(named: "embed-theme").url,
            arguments: [folder.path, output.path],
            inputFiles: inputs,
            outputFiles: [output])]
    }
}
