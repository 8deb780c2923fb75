import Foundation

/// A value behind a pthread mutex that sleeps in the kernel at once when the lock is taken.
///
/// The monitor's state is taken by every poller at the top of each scan period (their deadlines meet at the
/// same instant) and held while a device's tags go through alarms and compression. `Synchronization.Mutex`
/// spins before it sleeps, and at 10,000 tags that spinning was a sizeable share of the monitor's CPU, all of it
/// pollers waiting on one another (CHANGELOG.md, "Locking"). glibc's default mutex waits on a futex without
/// spinning.
final class BlockingLock<Value>: @unchecked Sendable {
    private let mutex: UnsafeMutablePointer<pthread_mutex_t>
    private var value: Value

    init(_ value: Value) {
        self.value = value
        mutex = .allocate(capacity: 1)
        mutex.initialize(to: pthread_mutex_t())
        pthread_mutex_init(mutex, nil)
    }

    deinit {
        pthread_mutex_destroy(mutex)
        mutex.deallocate()
    }

    func withLock<Result>(_ body: (inout Value) throws -> Result) rethrows -> Result {
        pthread_mutex_lock(mutex)
        defer { pthread_mutex_unlock(mutex) }
        return try body(&value)
    }
}
