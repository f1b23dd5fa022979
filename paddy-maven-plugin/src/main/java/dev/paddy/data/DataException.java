package dev.paddy.data;

import java.util.List;

/** Problems with the data a user can fix (unreadable test images, ids missing), each naming its file. */
public final class DataException extends Exception {
    private final List<String> problems;

    public DataException(List<String> problems) {
        super(String.join("\n  ", problems));
        this.problems = List.copyOf(problems);
    }

    public List<String> problems() {
        return problems;
    }
}
