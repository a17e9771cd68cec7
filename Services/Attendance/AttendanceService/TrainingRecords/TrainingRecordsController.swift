import Foundation
import Hummingbird
import NIOCore
import ServiceKit
import Spreadsheets

/// Training records: the list with CLM's attendance summary and filters, its CSV export for mail
/// merges, a single record, and miscellaneous notes.
///
/// Who: staff, within their scope (coordinator staff everything; a school its learners' records; a
/// learner manager who is not an administrator their groups' learners'; a provider the records it
/// delivers). Records outside the scope are 404; learners signed in get 403.
struct TrainingRecordsController: Sendable {
    let records: PostgresTrainingRecordRepository

    func addRoutes(to router: Router<ServiceRequestContext>) {
        // Staff within their scope: a page of training records with their attendance summary.
        router.get("training-records") { request, context -> Page<TrainingRecordSummary> in
            let principal = try context.require(.staff)
            let filter = try TrainingRecordFilter(from: request)
            let page = try PageRequest(from: request)
            let (items, total) = try await records.list(filter, in: AttendanceScope(principal), page: page)
            return Page(items: items, request: page, total: total)
        }
        // Staff within their scope: every record matching the filters as training-records.csv.
        router.get("training-records/export.csv") { request, context -> Response in
            let principal = try context.require(.staff)
            let filter = try TrainingRecordFilter(from: request)
            var writer = CSVWriter()
            writer.append(row: TrainingRecordExport.header)
            try await records.export(filter, in: AttendanceScope(principal)) { writer.append(row: TrainingRecordExport.row($0)) }
            return Response(status: .ok, headers: [.contentType: "text/csv; charset=utf-8",
                                                   .contentDisposition: "attachment; filename=\"training-records.csv\""],
                            body: .init(byteBuffer: ByteBuffer(data: writer.output)))
        }
        // Staff within their scope: one training record.
        router.get("training-records/:id") { _, context -> TrainingRecord in
            let principal = try context.require(.staff)
            guard let record = try await records.find(try context.parameters.requireID(), in: AttendanceScope(principal)) else {
                throw Problem.notFound()
            }
            return record
        }
        // Staff within their scope: a miscellaneous note (subject and note) on the record; audited.
        router.post("training-records/:id/notes") { request, context -> Response in
            let principal = try context.require(.staff)
            let id = try context.parameters.requireID()
            var note = try await request.decodeJSON(as: NewMiscellaneousNote.self, context: context)
            try note.normalise()
            guard let written = try await records.addNote(note, to: id, in: AttendanceScope(principal),
                                                          organisationId: principal.organisationId, by: context.change) else {
                throw Problem.notFound()
            }
            return try written.response(from: request, context: context).withStatus(.created)
        }
    }
}
