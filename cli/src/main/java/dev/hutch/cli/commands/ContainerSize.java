package dev.hutch.cli.commands;

import dev.hutch.engine.Engine;
import dev.hutch.image.Image;
import dev.hutch.state.ContainerState;

/**
 * docker's container sizes, for {@code ps -s} and the API's {@code size=true}: the writable layer's
 * bytes (SizeRw) and the root filesystem's with the image (SizeRootFs, ps's "virtual").
 */
public record ContainerSize(long writable, long virtual) {
    public static ContainerSize of(Engine engine, ContainerState s) {
        long rw = s.rootfs().upperDir() == null ? 0 : DiskUsage.size(s.rootfs().upperDir());
        long image = 0;
        if (s.imageId() != null) {
            Image i = engine.images().find(s.imageId());
            if (i != null) image = engine.images().size(i);
        }
        return new ContainerSize(rw, rw + image);
    }

    /** ps's SIZE column, three significant digits as docker: "12B (virtual 4.26MB)". */
    public String text() {
        return ImageStores.humanSize(writable, 3) + " (virtual " + ImageStores.humanSize(virtual, 3) + ")";
    }
}
