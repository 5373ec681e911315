import Foundation

/// Text put into a URL by the connectors.
enum URLText {
    /// `text` percent-encoded as one path segment, query value or form value: everything but
    /// RFC 3986's unreserved characters (letters, digits, `-._~`) is encoded.
    static func component(_ text: String) -> String {
        var allowed = CharacterSet.alphanumerics
        allowed.insert(charactersIn: "-._~")
        return text.addingPercentEncoding(withAllowedCharacters: allowed) ?? text
    }
}
