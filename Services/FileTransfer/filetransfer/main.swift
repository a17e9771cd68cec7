import FileTransferService
import ServiceKit

let fileTransfer: FileTransferConfiguration
do {
    fileTransfer = try FileTransferConfiguration.fromEnvironment()
} catch {
    fatalError("filetransfer: configuration error: \(error)")
}

await ServiceMain.run(service: "filetransfer", defaultPort: 8085) { configuration in
    try await buildApplication(configuration, fileTransfer: fileTransfer)
}
