package dev.hutch.layer;

import dev.hutch.HutchException;
import dev.hutch.util.KernelModules;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Picks the union filesystem driver: {@code HUTCH_STORAGE_DRIVER} if set, else the first available
 * of overlay, aufs, copy (the drivers other than overlay register themselves in {@link #CANDIDATES}).
 */
public final class LayerDrivers {
    /** In order of preference. */
    public static final List<LayerDriver> CANDIDATES = new ArrayList<>(List.of(new OverlayDriver(), new AufsDriver(), new CopyDriver()));

    private LayerDrivers() {}

    public static LayerDriver select(String forced) {
        if (forced != null && !forced.isEmpty()) {
            for (LayerDriver d : CANDIDATES) {
                if (d.name().equals(forced)) {
                    if (!d.available()) throw new HutchException("storage driver \"" + forced + "\" (HUTCH_STORAGE_DRIVER) is not available on this kernel");
                    return d;
                }
            }
            throw new HutchException("storage driver \"" + forced + "\" (HUTCH_STORAGE_DRIVER) is unknown; use one of "
                    + CANDIDATES.stream().map(LayerDriver::name).toList());
        }
        for (LayerDriver d : CANDIDATES) if (d.available()) return d;
        throw new HutchException("no storage driver is available (overlay, aufs, copy)");
    }

    /** The driver a container was made with, by the name recorded in its state. */
    public static LayerDriver byName(String name) {
        for (LayerDriver d : CANDIDATES) if (d.name().equals(name)) return d;
        return CANDIDATES.get(0);
    }

    /** True when the kernel knows {@code fs}, after loading its module if it is a module not yet loaded. */
    static boolean kernelHasOrLoads(String fs, String module) {
        return kernelHas(fs) || (KernelModules.load(module) && kernelHas(fs));
    }

    static boolean kernelHas(String fs) {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/filesystems"))) {
                // "nodev\toverlay" or "\text4": the name is the last field
                String[] fields = line.trim().split("\\s+");
                if (fields[fields.length - 1].equals(fs)) return true;
            }
        } catch (IOException ignored) {
            // treat as absent
        }
        return false;
    }
}
