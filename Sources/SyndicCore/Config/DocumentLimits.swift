import CYaml

/// Bounds on what one configuration file may make the compiler do, so that a small hostile
/// file — YAML aliases that name aliases (a "billion laughs"), a nesting thousands deep, a
/// huge file — is refused at once with a located error instead of exhausting memory. Plans
/// run on pull requests from anyone, so the bounds hold before any document is built.
///
/// The check reads the file's YAML events once (libyaml, the parser Yams itself uses) and
/// keeps, for each anchor, how many values it stands for; an alias counts what its anchor
/// counts. It costs one pass over the text whatever the aliases would expand to.
public enum DocumentLimits {
    /// The largest configuration file, in bytes.
    public static let maxFileBytes = 4 << 20
    /// The most values one document may expand to, each alias counting what it repeats.
    public static let maxNodes = 200_000
    /// The deepest nesting of one document.
    public static let maxDepth = 128

    /// A document beyond the bounds: why, and where (1-based line and column).
    public struct Problem: Hashable, Sendable {
        public var message: String
        public var line: Int
        public var column: Int
    }

    /// The first document of `text` beyond the bounds, or nil. Text that is not valid YAML
    /// is nil too: the parser that builds the documents reports it with its location.
    public static func problem(_ text: String, maxNodes: Int = maxNodes, maxDepth: Int = maxDepth) -> Problem? {
        var parser = yaml_parser_t()
        guard yaml_parser_initialize(&parser) == 1 else { return nil }
        defer { yaml_parser_delete(&parser) }
        let bytes = Array(text.utf8)
        return bytes.withUnsafeBufferPointer { buffer -> Problem? in
            yaml_parser_set_input_string(&parser, buffer.baseAddress, buffer.count)
            var counter = ExpansionCounter(maxNodes: maxNodes, maxDepth: maxDepth)
            while true {
                var event = yaml_event_t()
                guard yaml_parser_parse(&parser, &event) == 1 else { return nil }
                defer { yaml_event_delete(&event) }
                let line = Int(event.start_mark.line) + 1
                let column = Int(event.start_mark.column) + 1
                switch event.type {
                case YAML_STREAM_END_EVENT:
                    return nil
                case YAML_DOCUMENT_START_EVENT:
                    counter.startDocument()
                case YAML_SCALAR_EVENT:
                    counter.value(anchor: name(event.data.scalar.anchor))
                case YAML_ALIAS_EVENT:
                    counter.alias(name(event.data.alias.anchor))
                case YAML_SEQUENCE_START_EVENT:
                    counter.open(anchor: name(event.data.sequence_start.anchor))
                case YAML_MAPPING_START_EVENT:
                    counter.open(anchor: name(event.data.mapping_start.anchor))
                case YAML_SEQUENCE_END_EVENT, YAML_MAPPING_END_EVENT:
                    counter.close()
                default:
                    continue
                }
                if let message = counter.exceeded {
                    return Problem(message: message, line: line, column: column)
                }
            }
        }
    }

    private static func name(_ anchor: UnsafeMutablePointer<yaml_char_t>?) -> String? {
        anchor.map { String(cString: UnsafeRawPointer($0).assumingMemoryBound(to: CChar.self)) }
    }
}

/// Counts the values a YAML document expands to, from its events: each collection's count
/// is known when it closes and is kept under its anchor, so an alias adds it at once.
/// Counts saturate just past the bound.
struct ExpansionCounter {
    let maxNodes: Int
    let maxDepth: Int
    private var anchors: [String: Int] = [:]
    /// Open collections: their count so far and their anchor.
    private var open: [(count: Int, anchor: String?)] = []
    private var total = 0
    /// Why the document is beyond the bounds, once it is.
    private(set) var exceeded: String?

    init(maxNodes: Int, maxDepth: Int) {
        self.maxNodes = maxNodes
        self.maxDepth = maxDepth
    }

    mutating func startDocument() {
        anchors.removeAll()
        open.removeAll()
        total = 0
    }

    mutating func value(anchor: String?) {
        if let anchor { anchors[anchor] = 1 }
        count(1)
    }

    mutating func alias(_ anchor: String?) {
        count(anchor.flatMap { anchors[$0] } ?? 1)
    }

    mutating func open(anchor: String?) {
        // The collection itself: in the document now, in its parent when it closes.
        total = min(maxNodes + 1, total + 1)
        if total > maxNodes, exceeded == nil { exceeded = Self.tooMany(maxNodes) }
        open.append((1, anchor))
        if open.count > maxDepth { exceeded = "the document nests more than \(maxDepth) levels deep" }
    }

    /// A collection closes: its count (itself and everything in it) is what its anchor stands for.
    mutating func close() {
        guard let closed = open.popLast() else { return }
        if let anchor = closed.anchor { anchors[anchor] = closed.count }
        if var parent = open.popLast() {
            parent.count = min(maxNodes + 1, parent.count + closed.count)
            open.append(parent)
        }
    }

    /// `values` more in the document and in the collection open last (a collection's own
    /// count reaches its parent when it closes).
    private mutating func count(_ values: Int) {
        total = min(maxNodes + 1, total + values)
        if var parent = open.popLast() {
            parent.count = min(maxNodes + 1, parent.count + values)
            open.append(parent)
        }
        if total > maxNodes, exceeded == nil { exceeded = Self.tooMany(maxNodes) }
    }

    static func tooMany(_ maxNodes: Int) -> String {
        "the document expands to more than \(maxNodes) values: YAML aliases (*name) repeat what their "
            + "anchor names, and aliases of aliases multiply; write the values out or use fewer aliases"
    }
}
