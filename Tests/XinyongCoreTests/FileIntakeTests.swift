import Foundation
import Testing
@testable import XinyongCore

@Suite("File intake")
struct FileIntakeTests {
    let item = Catalog.shipped.item("xzcf")!
    let today = CivilDate(year: 2026, month: 11, day: 22)!

    func intake(_ csv: String) throws -> [IntakeRow] {
        var reader = CSVReader()
        var f = FileIntake(item: item, validator: CatalogValidator(), today: today)
        try f.add(try reader.feed(Array(csv.utf8)))
        try f.add(try reader.finish())
        return try f.finish()
    }

    @Test func theTemplateHeaderIsAcceptedInAnyOrder() throws {
        let template = FileIntake.csvTemplate(item)
        #expect(template.hasPrefix("\u{FEFF}行政相对人名称*,行政相对人类别*,"))
        var reader = CSVReader()
        let header = try reader.feed(Array(template.utf8)) + (try reader.finish())
        #expect(try FileIntake.mapHeader(header[0].fields, item: item) == item.fields.map(\.name))
        #expect(try FileIntake.mapHeader(header[0].fields.reversed(), item: item) == item.fields.map(\.name).reversed())
    }

    @Test func unusableHeadersRefuseTheFile() {
        let required = item.fields.filter(\.required).map(\.label)
        #expect(throws: DomainError.self) { try FileIntake.mapHeader(required + ["备注说明"], item: item) }
        #expect(throws: DomainError.invalid(field: "header", reason: "缺少必填列：行政相对人名称")) {
            try FileIntake.mapHeader(Array(required.dropFirst()), item: item)
        }
        #expect(throws: DomainError.self) { try FileIntake.mapHeader(required + ["CF_WSH"], item: item) }   // twice
        #expect(throws: DomainError.self) { try intake("") }
        #expect(throws: DomainError.self) { try intake(required.joined(separator: ",") + "\n") }
    }

    @Test func raggedRowsAreRowErrorsWithFileLineNumbers() throws {
        let required = item.fields.filter(\.required)
        let header = required.map(\.label).joined(separator: ",")
        let good = required.map { _ in "x" }.joined(separator: ",")
        let rows = try intake(header + "\n" + good + ",多出来的值\n\n" + good + "\n")
        #expect(rows.map(\.number) == [2, 4])
        #expect(rows[0].result.errors.first?.reason.contains("多于表头") == true)
        #expect(!(rows[1].result.errors.first?.reason.contains("多于表头") ?? false))
    }
}
