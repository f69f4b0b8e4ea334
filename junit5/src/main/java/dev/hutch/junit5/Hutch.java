package dev.hutch.junit5;

import org.junit.jupiter.api.extension.ExtendWith;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Inherited;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Puts the {@link HutchExtension} on a test class with the engine of the environment (the roots
 * {@code HUTCH_RUN_ROOT}, {@code HUTCH_LIB_ROOT}... or hutch's defaults): its
 * {@link HutchContainer} fields are started before the tests and removed after them. To use other
 * roots, register the extension yourself: {@code @RegisterExtension static final HutchExtension
 * hutch = HutchExtension.using(config);}.
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@Documented
@Inherited
@ExtendWith(HutchExtension.class)
public @interface Hutch {
}
