import Model

/// Attaches target labels to scraped label sets the way Prometheus' `mutateSampleLabels` does.
/// Both inputs are sorted, so this is one merge; clashes (rare) take the slow path.
struct TargetLabeler: Sendable {
    let target: Labels
    let honorLabels: Bool

    func apply(_ scraped: Labels) -> Labels {
        if target.isEmpty { return scraped }
        var clashes: [Label] = []
        let labels = scraped.withBytes { left in
            target.withBytes { right in
                // Two passes of the same merge: first the size, then the bytes, into one buffer.
                func merge(_ body: (UnsafeBufferPointer<UInt8>, UnsafeBufferPointer<UInt8>) -> Void, clash: (Int) -> Void) {
                    var i = 0, j = 0
                    while i < left.count, j < right.count {
                        let leftName = left.name(i), rightName = right.name(j)
                        if LabelBytes.precede(leftName, rightName) {
                            body(leftName, left.value(i)); i += 1
                        } else if LabelBytes.precede(rightName, leftName) {
                            body(rightName, right.value(j)); j += 1
                        } else {
                            if honorLabels { body(leftName, left.value(i)) } else { body(rightName, right.value(j)); clash(i) }
                            i += 1; j += 1
                        }
                    }
                    while i < left.count { body(left.name(i), left.value(i)); i += 1 }
                    while j < right.count { body(right.name(j), right.value(j)); j += 1 }
                }
                var count = 0, byteCount = 0
                merge({ count += 1; byteCount += $0.count + $1.count }, clash: { clashes.append(scraped[$0]) })
                return Labels(unsafeCount: count, byteCount: byteCount) { writer in
                    merge({ writer.append(name: $0, value: $1) }, clash: { _ in })
                }
            }
        }
        return clashes.isEmpty ? labels : TargetLabeler.export(clashes, into: labels)
    }

    /// Moves clashing scraped values to `exported_<name>`, prefixing again while that name is taken;
    /// shorter names first, as Prometheus' `resolveConflictingExposedLabels` does.
    private static func export(_ clashes: [Label], into labels: Labels) -> Labels {
        var result = labels
        for clash in clashes.sorted(by: { $0.name.utf8.count < $1.name.utf8.count }) {
            var name = clash.name
            repeat { name = "exported_" + name } while result[name] != nil
            result = result.setting(name, to: clash.value)
        }
        return result
    }
}
