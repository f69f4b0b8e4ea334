package dev.hutch.dsl;

import dev.hutch.HutchException;

/**
 * {@code fail 'message'}: the script said a check did not hold. Exit code 1 as a failed
 * {@code assert}; a test run counts both as failures, not errors.
 */
public final class CheckFailed extends HutchException {
    public CheckFailed(String message) { super(1, message, null); }
}
