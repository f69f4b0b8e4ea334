package dev.hutch.cli;

import dev.hutch.image.ImageSource;
import dev.hutch.rootfs.BusyboxImage;

/** The images hutch makes itself on first use. */
final class BuiltinImages {
    static final ImageSource SOURCE = new BusyboxImage();

    private BuiltinImages() {}
}
