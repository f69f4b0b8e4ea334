package dev.hutch.archive;

import dev.hutch.HutchException;

/** A tar that tried something a layer must not do: climb out of its root, make devices, be absurdly big. */
public final class UnsafeArchiveException extends HutchException {
    public UnsafeArchiveException(String entry, String problem) {
        super("refusing layer archive: entry \"" + entry + "\" " + problem + "; nothing was imported");
    }
}
