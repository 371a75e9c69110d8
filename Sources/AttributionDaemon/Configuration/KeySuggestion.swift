/// Finds the known name a misspelt one most likely meant, for "did you mean …?" hints.
enum KeySuggestion {
    /// The candidate closest to `word` by edit distance (ignoring case, `-` read as `_`), or nil when
    /// none is close enough to be a plausible typo: at most 2 edits, or a third of the word's length.
    static func closest(to word: String, among candidates: [String]) -> String? {
        let normalizedWord = normalize(word)
        let limit = max(2, normalizedWord.count / 3)
        var best: (candidate: String, distance: Int)?
        for candidate in candidates {
            let distance = editDistance(normalizedWord, normalize(candidate))
            if distance <= limit, distance < (best?.distance ?? Int.max) {
                best = (candidate, distance)
            }
        }
        return best?.candidate
    }

    /// Levenshtein distance: insertions, deletions and substitutions of single characters.
    static func editDistance(_ a: [Character], _ b: [Character]) -> Int {
        var previous = Array(0...b.count)
        var current = previous
        for i in a.indices {
            current[0] = i + 1
            for j in b.indices {
                let substitution = previous[j] + (a[i] == b[j] ? 0 : 1)
                current[j + 1] = min(previous[j + 1] + 1, current[j] + 1, substitution)
            }
            swap(&previous, &current)
        }
        return previous[b.count]
    }

    private static func normalize(_ word: String) -> [Character] {
        Array(word.lowercased().map { $0 == "-" ? "_" : $0 })
    }
}
