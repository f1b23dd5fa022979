package dev.paddy.manifest;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;

/**
 * The divisors of a batch size: the accumulation factors that cut it into equal micro-batches.
 * The manifest's check of {@code accum} lists them, and so does the advice after a member ran
 * out of memory.
 */
public final class Divisors {
    private Divisors() {}

    /** Every divisor of {@code n}, ascending (none for {@code n < 1}). */
    public static List<Integer> of(int n) {
        List<Integer> found = new ArrayList<>();
        for (int d = 1; d <= n; d++) {
            if (n % d == 0) {
                found.add(d);
            }
        }
        return List.copyOf(found);
    }

    /** The divisors of {@code n} as the messages list them: "1, 2, 4". */
    public static String text(int n) {
        return of(n).stream().map(String::valueOf).collect(Collectors.joining(", "));
    }
}
