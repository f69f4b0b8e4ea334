package dev.hutch.junit5;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Marks a {@link HutchContainerRef} field for the {@link HutchExtension}. A static field is one
 * container for the whole class (started before its first test, removed after its last); an
 * instance field is a new container for every test (started before it, removed after it, also
 * when it fails).
 */
@Target(ElementType.FIELD)
@Retention(RetentionPolicy.RUNTIME)
@Documented
public @interface HutchContainer {
}
