package dev.paddy.experiment;

import dev.paddy.data.DataException;
import dev.paddy.manifest.ManifestException;
import java.nio.file.Path;

/**
 * Opens an experiment in a JVM of its own and prints what became of it, a line each: "opened", or
 * the problems the user is shown. UnreadableInputTest runs it as a user who cannot read a file.
 */
public final class OpenChild {
    private OpenChild() {}

    public static void main(String[] args) throws Exception {
        try {
            Experiment.open(Path.of(args[0]), Path.of(args[1]), new CollectedLog());
            System.out.println("opened");
        } catch (ManifestException e) {
            e.problems().forEach(System.out::println);
        } catch (DataException e) {
            e.problems().forEach(System.out::println);
        }
        System.exit(0);
    }
}
