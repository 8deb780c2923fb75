public import Historian

extension AlarmTransition {
    /// The transition's journal entry: the historian stores it, the live stream sends it with the alarm's status.
    public var journalEvent: JournalEvent {
        let change = JournalEvent.AlarmChange(event: event.journal, from: from.rawValue, to: to.rawValue, priority: priority,
                                              value: value.flatMap { $0.isFinite ? $0 : nil })
        return JournalEvent(time: time, kind: .alarm, source: alarmID, message: "\(event.rawValue): \(message)", detail: .alarm(change),
                            user: user)
    }
}

extension AlarmTransition.Event {
    /// The same event in the journal's vocabulary.
    public var journal: JournalEvent.AlarmEvent {
        switch self {
        case .raised: .raised
        case .cleared: .cleared
        case .acknowledged: .acknowledged
        case .shelved: .shelved
        case .unshelved: .unshelved
        case .removedFromService: .removedFromService
        case .returnedToService: .returnedToService
        }
    }
}
