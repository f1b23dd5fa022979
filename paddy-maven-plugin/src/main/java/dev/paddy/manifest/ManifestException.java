package dev.paddy.manifest;

import java.util.List;

/** Every problem found in a manifest, reported at once; each line names file:line:col. */
public final class ManifestException extends Exception {
    private final List<String> problems;

    public ManifestException(List<String> problems) {
        super(problems.size() + (problems.size() == 1 ? " problem" : " problems")
                + " in the paddy manifest:\n  " + String.join("\n  ", problems));
        this.problems = List.copyOf(problems);
    }

    public List<String> problems() {
        return problems;
    }
}
