/// The site's machine-readable outputs: the services API.
enum MachineOutputs {
    static func files(content: ContentSet, status: StatusReport?, urls: URLBuilder, theme: Theme, calendar: ZonedCalendar) -> [OutputFile] {
        [OutputFile(path: "api/services.json", text: ServicesAPI.document(content: content, status: status, urls: urls).serialized())]
    }
}
