/// A route as the OpenAPI document names it: a method and a path whose `{name}` segments
/// take any one segment.
struct APIRoute: Hashable, Sendable {
    var method: String
    var path: String

    /// Whether `requestPath` is this route's path, read as the router reads it: segment by
    /// segment, empty segments ignored, `{name}` standing for any segment.
    func matches(_ requestPath: String) -> Bool {
        let template = path.split(separator: "/")
        let segments = requestPath.split(separator: "/")
        guard template.count == segments.count else { return false }
        return zip(template, segments).allSatisfy { part, segment in
            (part.hasPrefix("{") && part.hasSuffix("}")) || part == segment
        }
    }
}
