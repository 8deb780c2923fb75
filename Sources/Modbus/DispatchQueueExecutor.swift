public import Dispatch

/// A serial executor over a `DispatchQueue`, so that an actor's blocking calls run on that queue's thread
/// and never on Swift's cooperative pool [STYLE: GRDB DispatchQueueActor; `DispatchSerialQueue` does not
/// exist on Linux].
///
/// It is also a `TaskExecutor`: a task that prefers it (the poller of one device) runs on the same thread as
/// the connection's actor, so each request costs no thread switch.
public final class DispatchQueueExecutor: SerialExecutor, TaskExecutor {
    public let queue: DispatchQueue

    public init(label: String) {
        queue = DispatchQueue(label: label)
    }

    public func enqueue(_ job: consuming ExecutorJob) {
        let job = UnownedJob(job)
        let executor = asUnownedSerialExecutor()
        queue.async { job.runSynchronously(on: executor) }
    }

    public func asUnownedSerialExecutor() -> UnownedSerialExecutor {
        UnownedSerialExecutor(ordinary: self)
    }

    public func asUnownedTaskExecutor() -> UnownedTaskExecutor {
        UnownedTaskExecutor(ordinary: self)
    }
}
