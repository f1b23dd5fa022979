package dev.paddy;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.junit.jupiter.api.Tag;

/**
 * A test (or a class of tests, its {@code @BeforeAll} included) that builds DJL models and trains
 * them for real: seconds to minutes on a CPU. Not in {@code mvn test}; {@code mvn verify} runs it
 * (maven-failsafe-plugin). The tiers: {@link Training}, {@link ChildJvm}, {@link Browser}; a test
 * with none of them is fast and runs in both.
 */
@Target({ElementType.TYPE, ElementType.METHOD})
@Retention(RetentionPolicy.RUNTIME)
@Tag(Training.TAG)
public @interface Training {
    String TAG = "training";
}
