package dev.hutch.cgroup;

import dev.hutch.HutchException;
import dev.hutch.config.EngineConfig;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Where a {@link CgroupManager} comes from. */
public final class Cgroups {
    private Cgroups() {}

    /** Detects the host's layout from {@code <procRoot>/self/mountinfo}, under {@code config.cgroupRoot()}. */
    public static CgroupManager forHost(EngineConfig config) {
        return forHost(config, config.procRoot().resolve("self/mountinfo"), CgroupFs.host(), DeviceNumbers.host(), ProcessKiller.host());
    }

    /** Every seam injectable: tests point mountinfo and the fs at a fake tree. */
    public static CgroupManager forHost(EngineConfig config, Path mountinfo, CgroupFs fs, DeviceNumbers devices, ProcessKiller killer) {
        String text;
        try {
            text = Files.readString(mountinfo);
        } catch (IOException e) {
            throw new HutchException("cannot read " + mountinfo + " to find the cgroup hierarchies: " + e.getMessage(), e);
        }
        CgroupLayout layout = CgroupLayout.detect(text, config.cgroupRoot(), fs);
        return new HostCgroupManager(layout, ControllerChoice.choose(layout, devices), config.cgroupParent(), fs, killer, devices);
    }
}
