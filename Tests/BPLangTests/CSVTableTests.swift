import Testing
@testable import BPLang

@Suite struct CSVTableTests {
    @Test func aTextFirstRowIsTheHeader() throws {
        let t = try CSVTable(parsing: "a, b ,\"c\"\n1,2,3\r\n4,5,6\n")
        #expect(t.header == ["a", "b", "c"])
        #expect(t.rows == [[1, 2, 3], [4, 5, 6]])
    }

    @Test func aNumericFirstRowIsData() throws {
        let t = try CSVTable(parsing: "1,2\n\n  \n3,4e-1\n")
        #expect(t.header == nil)
        #expect(t.rows == [[1, 2], [3, 0.4]])
    }

    @Test func nanAndInfAreNumbers() throws {
        let t = try CSVTable(parsing: "nan,inf,-inf\n")
        #expect(t.rows[0][0].isNaN && t.rows[0][1] == .infinity && t.rows[0][2] == -.infinity)
        let u = try CSVTable(parsing: "NaN,+Inf,-Infinity,+1.5E+3,-.5e-1\n")
        #expect(u.rows[0][0].isNaN && u.rows[0][1] == .infinity && u.rows[0][2] == -.infinity)
        #expect(u.rows[0][3] == 1500 && u.rows[0][4] == -0.05)
    }

    @Test(arguments: [
        ("a,b\n1,2\n3,x\n", "line 3, column 2: 'x', which is not a number"),
        ("1,2\n3\n", "line 2 has 1 column, but the first row has 2"),
        ("1,2\n\n3,4,5\n", "line 3 has 3 columns, but the first row has 2"),
        ("1,,2\n", "line 1, column 2: an empty field"),
        ("a,b\n", "it has a header but no rows of numbers"),
        ("\n\n", "it is empty"),
        // Swift reads these as numbers; a CSV file does not mean them
        ("1,2\n1,0x10\n", "line 2, column 2: '0x10', which is not a number"),
        ("1,2\n1,1_000\n", "line 2, column 2: '1_000', which is not a number"),
        ("1,2\n1,١٢\n", "line 2, column 2: '١٢', which is not a number"),  // Arabic-Indic digits
    ])
    func aBadTableNamesTheLine(_ text: String, _ message: String) {
        #expect(throws: CSVTable.Problem(message: message)) { try CSVTable(parsing: text) }
    }
}
