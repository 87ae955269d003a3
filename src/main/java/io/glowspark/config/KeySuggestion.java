package io.glowspark.config;

import java.util.Collection;
import java.util.Comparator;
import java.util.Optional;

/** The known key closest to a misspelt one, by edit distance on the whole key and on its last segment. */
final class KeySuggestion {

    private KeySuggestion() {
    }

    static Optional<String> closest(String unknown, Collection<String> known) {
        return known.stream()
                .min(Comparator.comparingInt((String k) -> distance(unknown, k)).thenComparing(k -> k))
                .filter(k -> distance(unknown, k) <= Math.max(2, unknown.length() / 2));
    }

    /** Edit distance, where a key with the same last segment in another section counts as one edit. */
    private static int distance(String a, String b) {
        int whole = levenshtein(a, b);
        return lastSegment(a).equals(lastSegment(b)) ? Math.min(whole, 1) : whole;
    }

    private static String lastSegment(String key) {
        return key.substring(key.lastIndexOf('.') + 1);
    }

    static int levenshtein(String a, String b) {
        int[] previous = new int[b.length() + 1];
        int[] current = new int[b.length() + 1];
        for (int j = 0; j <= b.length(); j++) {
            previous[j] = j;
        }
        for (int i = 1; i <= a.length(); i++) {
            current[0] = i;
            for (int j = 1; j <= b.length(); j++) {
                int substitution = previous[j - 1] + (a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1);
                current[j] = Math.min(substitution, Math.min(previous[j], current[j - 1]) + 1);
            }
            int[] swap = previous;
            previous = current;
            current = swap;
        }
        return previous[b.length()];
    }
}
