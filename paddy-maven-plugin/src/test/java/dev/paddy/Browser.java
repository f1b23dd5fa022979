package dev.paddy;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.junit.jupiter.api.Tag;

/**
 * A test (or a class of tests) that drives a real browser (headless Chromium). Not in
 * {@code mvn test}; {@code mvn verify} runs it (maven-failsafe-plugin). See {@link Training} for
 * the tiers.
 */
@Target({ElementType.TYPE, ElementType.METHOD})
@Retention(RetentionPolicy.RUNTIME)
@Tag(Browser.TAG)
public @interface Browser {
    String TAG = "browser";
}
