/// A table of numbers read from comma-separated text: an optional header (a first row with a
/// field that is text), then rows of numbers, all of one width. Blank lines are skipped; a field
/// may be quoted ("1.5"); `nan`, `inf` and `-inf` are numbers. A row that is not numbers, or of
/// another width, is an error naming its line (counted from 1, as editors count).
struct CSVTable: Equatable {
    var header: [String]?
    var rows: [[Double]]

    /// Why a text is not a table of numbers.
    struct Problem: Error, Equatable {
        let message: String
    }

    init(header: [String]?, rows: [[Double]]) {
        self.header = header
        self.rows = rows
    }

    init(parsing text: String) throws {
        header = nil
        rows = []
        var width: Int? = nil
        var lineNumber = 0
        // "\r\n" is one Character in Swift: lines end at either
        for raw in text.split(omittingEmptySubsequences: false, whereSeparator: { $0 == "\n" || $0 == "\r\n" }) {
            lineNumber += 1
            let line = raw.hasSuffix("\r") ? raw.dropLast() : raw[...]
            if line.allSatisfy({ $0 == " " || $0 == "\t" }) { continue }
            let fields = line.split(separator: ",", omittingEmptySubsequences: false).map(CSVTable.unquoted)
            let numbers = fields.map(CSVTable.number)
            if width == nil {
                width = fields.count
                // a header names columns: some field is text (an empty one is a data error)
                if zip(fields, numbers).contains(where: { $1 == nil && !$0.isEmpty }) {
                    header = fields
                    continue
                }
            }
            guard fields.count == width else {
                throw Problem(message: "line \(lineNumber) has \(fields.count) column\(fields.count == 1 ? "" : "s"), "
                    + "but the first row has \(width!)")
            }
            if let k = numbers.firstIndex(where: { $0 == nil }) {
                let what = fields[k].isEmpty ? "an empty field" : "'\(fields[k])', which is not a number"
                throw Problem(message: "line \(lineNumber), column \(k + 1): \(what)")
            }
            rows.append(numbers.map { $0! })
        }
        if rows.isEmpty { throw Problem(message: header == nil ? "it is empty" : "it has a header but no rows of numbers") }
    }

    var width: Int { rows.first?.count ?? header?.count ?? 0 }

    /// A field without surrounding blanks and quotes.
    static func unquoted(_ s: Substring) -> String {
        var t = s.drop { $0 == " " || $0 == "\t" }
        while let last = t.last, last == " " || last == "\t" { t = t.dropLast() }
        if t.count >= 2 && t.first == "\"" && t.last == "\"" { t = t.dropFirst().dropLast() }
        return String(t)
    }

    /// A field's number (Swift's reading of a decimal or hexadecimal float, nan, inf), or nil.
    static func number(_ s: String) -> Double? {
        // "1_000" and "0x1p3" read as numbers in Swift; a CSV file means neither. Checked on
        // the UTF-8 bytes: Character's isNumber consults Unicode tables (callgrind: 5,000
        // instructions a field of a 600-row file)
        if !s.isEmpty, s.utf8.allSatisfy({ ($0 >= 0x30 && $0 <= 0x39) || $0 == 0x2B || $0 == 0x2D || $0 == 0x2E || $0 == 0x45 || $0 == 0x65 }) {
            return Double(s)
        }
        switch s.lowercased() {
        case "nan": return .nan
        case "inf", "+inf", "infinity": return .infinity
        case "-inf", "-infinity": return -.infinity
        default: return nil
        }
    }
}
