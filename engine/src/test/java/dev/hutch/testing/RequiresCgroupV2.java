package dev.hutch.testing;

import org.junit.jupiter.api.extension.ExtendWith;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/** Needs a cgroup v2 hierarchy with the named controllers enabled; skipped with the reason otherwise. */
@Target({ElementType.TYPE, ElementType.METHOD})
@Retention(RetentionPolicy.RUNTIME)
@ExtendWith(HostConditions.class)
public @interface RequiresCgroupV2 {
    String[] controllers() default {};
}
