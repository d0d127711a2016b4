import Model

/// Attaches target labels to scraped label sets the way Prometheus' `mutateSampleLabels` does.
/// Both inputs are sorted, so this is one merge; clashes (rare) take the slow path.
struct TargetLabeler: Sendable {
    let target: Labels
    let honorLabels: Bool

    func apply(_ scraped: Labels) -> Labels {
        var merged: [Label] = []
        merged.reserveCapacity(scraped.count + target.count)
        var clashes: [Label] = []
        var i = scraped.startIndex, j = target.startIndex
        while i < scraped.endIndex, j < target.endIndex {
            let left = scraped[i], right = target[j]
            if left.name < right.name {
                merged.append(left); i += 1
            } else if right.name < left.name {
                merged.append(right); j += 1
            } else {
                merged.append(honorLabels ? left : right)
                if !honorLabels { clashes.append(left) }
                i += 1; j += 1
            }
        }
        merged.append(contentsOf: scraped[i...])
        merged.append(contentsOf: target[j...])
        let labels = Labels(sortedUnique: merged)
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
