extension ChangeNote: Codable {
    /// Reads a note as the plan JSON has it, its text, into `.recorded`: the text does not
    /// say which typed note it was.
    public init(from decoder: any Decoder) throws {
        self = .recorded(try decoder.singleValueContainer().decode(String.self))
    }

    /// Writes the note as its text, so the plan JSON keeps notes as strings.
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(text)
    }
}
