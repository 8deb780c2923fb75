import Dispatch

/// A serial executor over a `DispatchQueue`, so that an actor's blocking calls run on that queue's thread
/// and never on Swift's cooperative pool [STYLE: GRDB DispatchQueueActor; `DispatchSerialQueue` does not
/// exist on Linux].
final class DispatchQueueExecutor: SerialExecutor {
    let queue: DispatchQueue

    init(label: String) {
        queue = DispatchQueue(label: label)
    }

    func enqueue(_ job: consuming ExecutorJob) {
        let job = UnownedJob(job)
        let executor = asUnownedSerialExecutor()
        queue.async { job.runSynchronously(on: executor) }
    }

    func asUnownedSerialExecutor() -> UnownedSerialExecutor {
        UnownedSerialExecutor(ordinary: self)
    }
}
