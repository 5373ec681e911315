import Foundation

/// One planned change to one resource.
public struct Change: Hashable, Sendable, Codable {
    public var address: String
    public var kind: ResourceKind
    public var name: String
    public var action: ChangeAction
    /// Field-level before/after values (display strings; secrets appear as their source only).
    public var fields: [FieldChange]
    /// Schedules turned on, off or changed, with their next fire times.
    public var schedules: [ScheduleChange]
    /// For a delete: the data that goes with the resource.
    public var data: [DataCount]
    /// What the change does beyond its fields (delta resends, inactive channel, rotation
    /// effects, what a rename moves, the delete confirmation), as typed notes.
    public var notes: [ChangeNote]
    /// For a delete apply refuses whatever is confirmed: why (the resource is protected).
    public var blocked: String?
    /// For a rename: the address the resource had (`channel.old_name`).
    public var formerAddress: String?

    enum CodingKeys: String, CodingKey {
        case address, kind, name, action, fields, schedules, data, notes, blocked
        case formerAddress = "former_address"
    }

    public init(address: String, kind: ResourceKind, name: String, action: ChangeAction,
                fields: [FieldChange] = [], schedules: [ScheduleChange] = [], data: [DataCount] = [],
                notes: [ChangeNote] = [], blocked: String? = nil, formerAddress: String? = nil) {
        self.address = address
        self.kind = kind
        self.name = name
        self.action = action
        self.fields = fields
        self.schedules = schedules
        self.data = data
        self.notes = notes
        self.blocked = blocked
        self.formerAddress = formerAddress
    }

    /// The former name of a renamed resource.
    public var formerName: String? { formerAddress.flatMap { Address.parse($0)?.1 } }
}

/// A field's value before and after (nil: absent).
public struct FieldChange: Hashable, Sendable, Codable {
    public var path: String
    public var before: String?
    public var after: String?

    public init(path: String, before: String?, after: String?) {
        self.path = path
        self.before = before
        self.after = after
    }
}

/// A job's schedule before and after, with the next fire times of each.
public struct ScheduleChange: Hashable, Sendable, Codable {
    public var job: JobKind
    public var timeZone: String
    public var before: ScheduledTimes?
    public var after: ScheduledTimes?

    enum CodingKeys: String, CodingKey {
        case job
        case timeZone = "time_zone"
        case before, after
    }

    public init(job: JobKind, timeZone: String, before: ScheduledTimes?, after: ScheduledTimes?) {
        self.job = job
        self.timeZone = timeZone
        self.before = before
        self.after = after
    }
}

/// A schedule's summary and its next fire times (ISO 8601 in the channel's zone).
public struct ScheduledTimes: Hashable, Sendable, Codable {
    public var schedule: String
    public var next: [String]

    public init(schedule: String, next: [String]) {
        self.schedule = schedule
        self.next = next
    }
}

/// How many rows of one kind of channel-owned data a delete removes.
public struct DataCount: Hashable, Sendable, Codable {
    public var label: String
    public var count: Int

    public init(label: String, count: Int) {
        self.label = label
        self.count = count
    }
}
