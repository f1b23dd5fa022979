package dev.paddy;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.junit.jupiter.api.Tag;

/**
 * A test (or a class of tests) that starts another JVM or process: a child build (ChildBuild,
 * OpenChild, the other *Child mains), a memory probe, {@link Unprivileged}, {@code mount}. Each
 * JVM loads the engine and pre-touches its heap. Not in {@code mvn test}; {@code mvn verify} runs
 * it (maven-failsafe-plugin). See {@link Training} for the tiers.
 */
@Target({ElementType.TYPE, ElementType.METHOD})
@Retention(RetentionPolicy.RUNTIME)
@Tag(ChildJvm.TAG)
public @interface ChildJvm {
    String TAG = "child-jvm";
}
