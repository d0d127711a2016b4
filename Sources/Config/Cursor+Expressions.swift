import Yams

extension Cursor {
    /// Checks a PromQL expression or selector through the injected validator.
    func validate(promql text: String) {
        if let issue = context.validator.promql(text) { report(issue, in: text) }
    }

    /// Checks a label or annotation template through the injected validator.
    func validate(template text: String) {
        if let issue = context.validator.template(text) { report(issue, in: text) }
    }

    /// Reports an issue at its exact place in the file when the scalar's text appears verbatim
    /// in the source (plain or quoted on one line, or a literal block); otherwise at the scalar.
    private func report(_ issue: ExpressionIssue, in text: String) {
        let exact = exactPosition(of: issue, in: text)
        context.sink.report(exact ?? position, path, issue.message)
    }

    private func exactPosition(of issue: ExpressionIssue, in text: String) -> SourcePosition? {
        guard case .scalar(let scalar) = node, let mark = scalar.mark, issue.line >= 1, issue.column >= 1 else {
            return nil
        }
        let lines = context.document.lines
        let textLines = text.split(separator: "\n", omittingEmptySubsequences: false)
        guard issue.line <= textLines.count else { return nil }
        let wanted = textLines[issue.line - 1]
        switch scalar.style {
        case .plain, .singleQuoted, .doubleQuoted:
            guard issue.line == 1, textLines.count == 1, mark.line - 1 < lines.count else { return nil }
            let start = mark.column - 1 + (scalar.style == .plain ? 0 : 1)
            guard Self.line(lines[mark.line - 1], hasText: wanted, atScalar: start) else { return nil }
            return SourcePosition(file: context.file, line: mark.line, column: start + issue.column)
        case .literal:
            let lineIndex = mark.line - 1 + issue.line
            guard lineIndex < lines.count else { return nil }
            let source = lines[lineIndex]
            // The block's indentation is that of its first non-empty line; deeper lines keep the rest.
            let firstContent = lines[mark.line...].first { !$0.allSatisfy { $0 == " " } } ?? source
            let indent = firstContent.unicodeScalars.prefix { $0 == " " }.count
            guard Self.line(source, hasText: wanted, atScalar: indent) else { return nil }
            return SourcePosition(file: context.file, line: lineIndex + 1, column: indent + issue.column)
        default:
            return nil
        }
    }

    private static func line(_ line: Substring, hasText text: Substring, atScalar offset: Int) -> Bool {
        let scalars = line.unicodeScalars
        guard offset <= scalars.count else { return false }
        return scalars.dropFirst(offset).starts(with: text.unicodeScalars)
    }
}
