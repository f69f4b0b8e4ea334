package dev.hutch.cli.commands;

import dev.hutch.spec.InvalidSpecException;

/** docker's --sig-proxy=true|false (default true): whether the caller's signals reach the container. */
final class SigProxy {
    private SigProxy() {}

    static boolean parse(String value) {
        if (value == null || value.equals("true") || value.equals("1")) return true;
        if (value.equals("false") || value.equals("0")) return false;
        throw new InvalidSpecException("--sig-proxy", value, "is not true or false");
    }
}
