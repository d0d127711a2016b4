/// `#` lines: HELP, TYPE, UNIT, EOF and (in the text format only) free comments.
extension ExpositionParser {
    private enum Keyword { case help, type, unit, eof }

    mutating func parseComment(_ lexer: inout Lexer) throws(ExpositionError) -> ExpositionEntry? {
        lexer.position += 1
        let blanks = lexer.skipBlanks()
        let keywordStart = lexer.position
        let keywordRange = lexer.scanToken()
        let keyword = blanks > 0 ? ExpositionParser.keyword(lexer, keywordRange) : nil
        switch (keyword, format) {
        case (.help?, _): return try parseHelp(&lexer)
        case (.type?, _): return try parseType(&lexer)
        case (.unit?, .openMetrics): return try parseUnit(&lexer)
        case (.eof?, .openMetrics):
            lexer.skipBlanks()
            guard lexer.atEnd else { throw error(lexer, "unexpected text after # EOF") }
            sawEOF = true
            return nil
        case (_, .prometheusText): return nil
        case (_, .openMetrics):
            lexer.position = keywordStart
            throw error(lexer, "expected HELP, TYPE, UNIT or EOF after #: OpenMetrics has no comments")
        }
    }

    private static func keyword(_ lexer: Lexer, _ range: Range<Int>) -> Keyword? {
        if lexer.equals(range, "HELP") { return .help }
        if lexer.equals(range, "TYPE") { return .type }
        if lexer.equals(range, "UNIT") { return .unit }
        if lexer.equals(range, "EOF") { return .eof }
        return nil
    }

    /// The metric family name after the keyword, checked against the OpenMetrics family rules.
    /// Nil (the name checked, not made into a `String`) for a text-format payload when metadata is
    /// not returned: nothing then reads it.
    private mutating func metadataName(_ lexer: inout Lexer, _ keyword: String) throws(ExpositionError) -> String? {
        guard lexer.skipBlanks() > 0 else { throw error(lexer, "expected metric name after \(keyword)") }
        let range = lexer.scanMetricName()
        guard !range.isEmpty else { throw error(lexer, "expected metric name after \(keyword)") }
        if let current = lexer.current, current != .space, current != .tab {
            throw error(lexer, "invalid character in metric name")
        }
        if samplesOnly && format == .prometheusText { return nil }
        let name = interner.intern(lexer.bytes, range)
        if format == .openMetrics, let message = families.metadata(keyword, family: name) {
            lexer.position = range.lowerBound
            throw error(lexer, message)
        }
        return name
    }

    private mutating func parseHelp(_ lexer: inout Lexer) throws(ExpositionError) -> ExpositionEntry? {
        guard let name = try metadataName(&lexer, "HELP"), !samplesOnly else { return nil }
        if format == .openMetrics { _ = lexer.consume(.space) } else { lexer.skipBlanks() }
        let text = unescapeHelp(lexer.bytes, lexer.position..<lexer.end)
        return .help(metric: name, text: text)
    }

    private mutating func parseType(_ lexer: inout Lexer) throws(ExpositionError) -> ExpositionEntry? {
        let name = try metadataName(&lexer, "TYPE")
        guard lexer.skipBlanks() > 0, !lexer.atEnd else { throw error(lexer, "expected metric type after TYPE \(name ?? "")") }
        let typeStart = lexer.position
        let typeRange = lexer.scanToken()
        lexer.skipBlanks()
        guard lexer.atEnd, let type = MetricType(lexer, typeRange, format: format) else {
            lexer.position = typeStart
            throw error(lexer, "invalid metric type \"\(lexer.text(typeRange))\"")
        }
        if format == .openMetrics { families.type(type) }
        guard let name, !samplesOnly else { return nil }
        return .type(metric: name, type: type)
    }

    private mutating func parseUnit(_ lexer: inout Lexer) throws(ExpositionError) -> ExpositionEntry? {
        let name = try metadataName(&lexer, "UNIT") ?? ""
        lexer.skipBlanks()
        let unitStart = lexer.position
        let unitRange = lexer.scanMetricName()
        let unit = lexer.text(unitRange)
        lexer.skipBlanks()
        guard lexer.atEnd else { throw error(lexer, "invalid character in unit") }
        if let message = families.unit(unit) {
            lexer.position = unitStart
            throw error(lexer, message)
        }
        return samplesOnly ? nil : .unit(metric: name, unit: unit)
    }

    /// HELP escapes: `\\` and `\n` in both formats, `\"` too in OpenMetrics; others are kept.
    private mutating func unescapeHelp(_ bytes: UnsafeBufferPointer<UInt8>, _ range: Range<Int>) -> String {
        let raw = UnsafeBufferPointer(rebasing: bytes[range])
        if !raw.contains(.backslash) { return String(decoding: raw, as: UTF8.self) }
        unescapeBuffer.removeAll(keepingCapacity: true)
        var index = range.lowerBound
        while index < range.upperBound {
            let byte = bytes[index]
            if byte == .backslash, index + 1 < range.upperBound {
                let escaped = bytes[index + 1]
                if escaped == .backslash || (escaped == .quote && format == .openMetrics) {
                    unescapeBuffer.append(escaped)
                    index += 2
                    continue
                }
                if escaped == UInt8(ascii: "n") {
                    unescapeBuffer.append(.newline)
                    index += 2
                    continue
                }
            }
            unescapeBuffer.append(byte)
            index += 1
        }
        return String(decoding: unescapeBuffer, as: UTF8.self)
    }
}
