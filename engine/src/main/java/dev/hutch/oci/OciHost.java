package dev.hutch.oci;

import dev.hutch.cgroup.CgroupManager;
import dev.hutch.cgroup.Cgroups;
import dev.hutch.config.CallerEnvironment;
import dev.hutch.config.EngineConfig;
import dev.hutch.runtime.HelperBinary;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * What the OCI runtime uses of the host: its state store, hutch's cgroup parent (the only place
 * it creates cgroups, whatever a config's cgroupsPath says), and the native helper.
 */
public final class OciHost {
    private final OciStore store;
    private final EngineConfig config;
    private CgroupManager cgroups;
    private Path helper;

    public OciHost(OciStore store, EngineConfig config) {
        this.store = store;
        this.config = config;
    }

    public OciStore store() { return store; }

    public EngineConfig config() { return config; }

    public CallerEnvironment caller() { return config.env(); }

    /** Made on first use: {@code state} and {@code list} of a created container need no cgroup manager. */
    public CgroupManager cgroups() {
        if (cgroups == null) cgroups = Cgroups.forHost(config);
        return cgroups;
    }

    public Path helper() {
        if (helper == null) helper = HelperBinary.locate(config.libRoot(), config.env());
        return helper;
    }

    public boolean pureCgroupV2() { return Files.exists(config.cgroupRoot().resolve("cgroup.controllers")); }

    /** The container's cgroup name under hutch's parent: prefixed, so it never meets a hutch container's id. */
    static String cgroupName(String id) { return "oci-" + id; }
}
