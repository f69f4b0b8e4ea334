package dev.hutch.testing;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.extension.ExtendWith;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * An integration test that makes real containers: it needs root. Without root it is skipped, and
 * the reason is printed (never silently passed). Tagged "root" so a non-root developer can exclude
 * the whole group with {@code -Dsurefire.excludedGroups=root}.
 */
@Target({ElementType.TYPE, ElementType.METHOD})
@Retention(RetentionPolicy.RUNTIME)
@Tag("root")
@ExtendWith(HostConditions.class)
public @interface RequiresRoot {
}
