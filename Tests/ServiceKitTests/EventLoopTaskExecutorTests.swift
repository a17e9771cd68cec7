import NIOCore
import NIOPosix
import ServiceKit
import Testing

@Suite struct EventLoopTaskExecutorTests {
    @Test func workWithThePreferenceRunsOnTheEventLoopAndResumesThereAfterAwaits() async throws {
        let group = MultiThreadedEventLoopGroup(numberOfThreads: 2)
        let loop = group.next()
        let other = group.next()
        #expect(loop !== other)

        let executor = EventLoopTaskExecutor(loop)
        let observed = try await withTaskExecutorPreference(executor) { () async throws -> [Bool] in
            var onLoop = [loop.inEventLoop]
            // A future completed on another loop: the task still resumes on its own.
            try await other.submit { 42 }.get()
            onLoop.append(loop.inEventLoop)
            try await Task.sleep(for: .milliseconds(5))
            onLoop.append(loop.inEventLoop)
            // Child tasks inherit the preference.
            async let child = loop.inEventLoop
            onLoop.append(await child)
            return onLoop
        }
        #expect(observed == [true, true, true, true])
        // Without the preference, work runs on Swift's global pool, not on the loop.
        #expect(!loop.inEventLoop)
        try await group.shutdownGracefully()
    }
}
