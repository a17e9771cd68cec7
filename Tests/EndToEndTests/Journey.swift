import AMQPClient
import Foundation
import Hummingbird
import HummingbirdTesting
import IdentityService
import Messaging
import NotifierService
import ServiceKit
import Testing
import TestSupport

/// What every journey stands on: a real SMTP sink, a database each for identity, the notifier and
/// (optionally) one more service, their consumers' queues declared before anything is published
/// (queues of the test's own, so other suites' events are neither consumed nor emailed here), the
/// coordinator bootstrapped as an operator would, and identity and the notifier running. `body`
/// gets the SMTP sink, identity's port and the other service's configuration, already set to
/// verify tokens with identity's published keys; it starts that service and the gateway itself.
enum Journey {
    static let password = "correct horse battery staple"
    static let coordinatorEmail = "lead@coventry-ap.example"

    struct Consumer: Sendable {
        var name: String
        var routingKeys: [String]
    }

    static func run(with consumer: Consumer? = nil,
                    _ body: @escaping @Sendable (TestMailServer, Int, ServiceConfiguration?) async throws -> Void) async throws {
        try await TestMailServer.with { mail in
            try await TestDatabase.with { identityDatabase in
                try await TestDatabase.with { notifierDatabase in
                    try await TestDatabase.with { serviceDatabase in
                        try await run(mail, identityDatabase, notifierDatabase, consumer.map { ($0, serviceDatabase) }, body)
                    }
                }
            }
        }
    }

    private static func run(_ mail: TestMailServer, _ identityDatabase: TestDatabase, _ notifierDatabase: TestDatabase,
                            _ consumer: (Consumer, TestDatabase)?,
                            _ body: @escaping @Sendable (TestMailServer, Int, ServiceConfiguration?) async throws -> Void) async throws {
        var identitySettings = IdentityConfiguration()
        identitySettings.bcryptCost = 4
        let identityConfiguration = TestEnvironment.serviceConfiguration("identity", database: identityDatabase)
        let notifierConfiguration = TestEnvironment.serviceConfiguration(TestEnvironment.uniqueName("notifier"),
                                                                         database: notifierDatabase)
        let serviceConfiguration = consumer.map {
            TestEnvironment.serviceConfiguration(TestEnvironment.uniqueName($0.0.name), database: $0.1)
        }
        let notifierSettings = NotifierConfiguration(
            transport: .smtp(url: "smtp://127.0.0.1:\(mail.port)"), from: "Learnbridge <no-reply@learnbridge.test>",
            publicBaseURL: "https://learnbridge.example.org",
            sender: .init(maximumAttempts: 20, firstRetryDelay: .milliseconds(200), maximumRetryDelay: .seconds(1),
                          pollInterval: .milliseconds(500)))
        var queues = [(notifierConfiguration.serviceName, NotificationRequests.handlers.routingKeys)]
        if let consumer, let serviceConfiguration { queues.append((serviceConfiguration.serviceName, consumer.0.routingKeys)) }
        var declared: [(String, AMQPConnection)] = []
        for (queue, keys) in queues {
            let broker = AMQPConnection(configuration: TestEnvironment.broker(name: "\(queue)-declare"),
                                        topology: EventTopology.consumer(queue: queue, routingKeys: keys,
                                                                         retryDelay: notifierConfiguration.eventRetryDelay),
                                        logger: TestEnvironment.logger)
            broker.start()
            try await broker.waitUntilConnected()
            declared.append((queue, broker))
        }
        let brokers = declared
        do {
            let bootstrap = try #require(IdentityCommands.all(identity: identitySettings).first { $0.name == "bootstrap-coordinator" })
            try await bootstrap.run(identityConfiguration, ["--organisation", "Coventry AP Team", "--email", coordinatorEmail,
                                                            "--first-name", "Lee", "--last-name", "Lead", "--password", password])
            let notifier = try await NotifierService.buildApplication(notifierConfiguration, notifier: notifierSettings)
            let identity = try await IdentityService.buildApplication(identityConfiguration, identity: identitySettings)
            try await withRunningServices([notifier]) {
                try await identity.test(.live) { identityClient in
                    let identityPort = try #require(identityClient.port)
                    var configuration = serviceConfiguration
                    configuration?.jwksURL = "http://127.0.0.1:\(identityPort)/.well-known/jwks.json"
                    try await body(mail, identityPort, configuration)
                }
            }
        } catch {
            for (queue, broker) in brokers { await deleteQueues(queue, broker) }
            throw error
        }
        for (queue, broker) in brokers { await deleteQueues(queue, broker) }
    }

    static func deleteQueues(_ queue: String, _ broker: AMQPConnection) async {
        for name in [queue, EventTopology.retryQueue(queue), EventTopology.deadLetterQueue(queue)] {
            try? await broker.deleteQueue(name)
        }
        await broker.close()
    }
}
