package dev.hutch.engine;

import dev.hutch.config.EngineConfig;
import dev.hutch.NotFoundException;
import dev.hutch.cgroup.Cgroups;
import dev.hutch.image.ImageSource;
import dev.hutch.image.LocalImageStore;
import dev.hutch.layer.LayerDrivers;
import dev.hutch.net.HostNetworking;
import dev.hutch.state.ContainerState;
import dev.hutch.state.StateStore;
import dev.hutch.volume.HostVolumes;

import java.util.function.Supplier;

/** Puts an engine together from the host's real parts, each made before what needs it. */
public final class Engines {
    private Engines() {}

    /**
     * @param builtins images made on first use (the CLI and the DSL pass the rootfs-builder's
     *                 busybox); may be null
     */
    /** PLACEHOLDER overload (branch engine-service): ignores children; take engine-per-request's version on merge. */
    public static Engine forHost(EngineConfig config, ImageSource builtins, dev.hutch.runtime.ChildStdio children) {
        return forHost(config, builtins);
    }

    public static Engine forHost(EngineConfig config, ImageSource builtins) {
        StateStore states = new StateStore(config.runRoot(), config.procRoot());
        // Networking loads netlink/JNA classes: made only when a run or a command needs it.
        // `--network container:X` asks it for X's init pid, which the state store knows.
        Supplier<HostNetworking> networking = memoize(() -> new HostNetworking(config, ref -> runningPid(states, ref)));
        return new Engine(config, states, new LocalImageStore(config), builtins,
                LayerDrivers.select(System.getenv("HUTCH_STORAGE_DRIVER")), Cgroups.forHost(config), networking,
                new HostVolumes(config.volumesDir()));
    }

    /** HostNetworking's contract: null when there is no such running container (it says so, as a run error). */
    private static Long runningPid(StateStore states, String ref) {
        try {
            ContainerState s = states.get(states.resolve(ref));
            return s.isRunning() ? s.pid() : null;
        } catch (NotFoundException e) {
            return null;
        }
    }

    static <T> Supplier<T> memoize(Supplier<T> s) {
        return new Supplier<>() {
            private T value;

            @Override
            public synchronized T get() {
                if (value == null) value = s.get();
                return value;
            }
        };
    }
}
