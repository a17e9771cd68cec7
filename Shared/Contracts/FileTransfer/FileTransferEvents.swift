/// Events published by the filetransfer service. None carries a file's name or description: they travel to
/// email (the notifier's "a new file is waiting"), and what a document is about stays behind the sign-in.
public enum FileTransferEvents {
    public static let all: [EventDescriptor] = [
        EventDescriptor(FileSent.self),
        EventDescriptor(FileDownloaded.self),
        EventDescriptor(FileExpired.self),
    ]
}
