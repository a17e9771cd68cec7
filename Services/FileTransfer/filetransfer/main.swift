import FileTransferService
import ServiceKit

await ServiceMain.run(service: "filetransfer", defaultPort: 8085) { configuration in
    try await buildApplication(configuration)
}
