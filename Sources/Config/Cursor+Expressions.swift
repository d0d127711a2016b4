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
        case .plain where textLines.count == 1 && !Self.line(lines[mark.line - 1], hasText: wanted, atScalar: mark.column - 1):
            // A plain scalar continued on the next lines, folded into one line of text.
            return foldedPosition(of: issue, in: text, firstLine: mark.line - 1, firstColumn: mark.column - 1)
        case .plain, .singleQuoted, .doubleQuoted:
            guard issue.line == 1, textLines.count == 1, mark.line - 1 < lines.count else { return nil }
            let start = mark.column - 1 + (scalar.style == .plain ? 0 : 1)
            guard Self.line(lines[mark.line - 1], hasText: wanted, atScalar: start) else { return nil }
            return SourcePosition(file: context.file, line: mark.line, column: start + issue.column)
        case .folded:
            return foldedPosition(of: issue, in: text, firstLine: mark.line, firstColumn: nil)
        case .literal:
            if wanted.isEmpty, issue.line == textLines.count, issue.line > 1 {
                // The end of the text (an unclosed parenthesis): the block's trailing newline is
                // not a line of its own in the file, so point just past the last line's text.
                let last = textLines[issue.line - 2]
                return exactPosition(of: ExpressionIssue(line: issue.line - 1, column: last.unicodeScalars.count + 1,
                                                         message: issue.message), in: text)
            }
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

    /// Where an issue lies in text YAML folded from several lines (`>` / `>-` blocks, plain scalars
    /// continued on the next lines): each source line's text, trimmed, joined by single spaces. The
    /// first line starts at `firstColumn` of `firstLine` (a plain scalar) or, with nil, the block's
    /// lines start at `firstLine` at their indentation. Nil unless the text is exactly that join
    /// (blank or more-indented lines keep newlines: then the scalar's own position is used).
    private func foldedPosition(of issue: ExpressionIssue, in text: String, firstLine: Int, firstColumn: Int?) -> SourcePosition? {
        let lines = context.document.lines
        guard issue.line == 1 else { return nil }
        let wanted = Array(text.unicodeScalars.reversed().drop { $0 == "\n" }.reversed())
        guard !wanted.contains("\n") else { return nil }
        var consumed = 0
        var index = firstLine
        while consumed < wanted.count, index < lines.count, index < firstLine + 10_000 {
            let source = Array(lines[index].unicodeScalars)
            var start = firstColumn.flatMap { index == firstLine ? $0 : nil } ?? source.prefix { $0 == " " || $0 == "\t" }.count
            var end = source.count
            while end > start, source[end - 1] == " " || source[end - 1] == "\t" { end -= 1 }
            start = min(start, end)
            if consumed > 0 {
                guard wanted[consumed] == " " else { return nil }
                consumed += 1
            }
            let segment = source[start..<end]
            guard !segment.isEmpty, consumed + segment.count <= wanted.count,
                  wanted[consumed..<(consumed + segment.count)].elementsEqual(segment) else { return nil }
            // Columns past the text's end (an unclosed parenthesis) land just after the last segment.
            let offset = issue.column - 1 - consumed
            if offset < segment.count || consumed + segment.count == wanted.count {
                return SourcePosition(file: context.file, line: index + 1, column: start + max(0, offset) + 1)
            }
            consumed += segment.count
            index += 1
        }
        return nil
    }

    private static func line(_ line: Substring, hasText text: Substring, atScalar offset: Int) -> Bool {
        let scalars = line.unicodeScalars
        guard offset <= scalars.count else { return false }
        return scalars.dropFirst(offset).starts(with: text.unicodeScalars)
    }
}
