package dev.hutch.engine;

import dev.hutch.config.EngineConfig;
import dev.hutch.HutchException;
import dev.hutch.cgroup.Cgroups;
import dev.hutch.image.ImageSource;
import dev.hutch.image.LocalImageStore;
import dev.hutch.layer.LayerDrivers;
import dev.hutch.net.ContainerNetworking;
import dev.hutch.net.HostNetworking;
import dev.hutch.state.ContainerState;
import dev.hutch.volume.HostVolumes;

import java.util.function.Supplier;

/** Puts an engine together from the host's real parts. */
public final class Engines {
    private Engines() {}

    /**
     * @param builtins images made on first use (the CLI and the DSL pass the rootfs-builder's
     *                 busybox); may be null
     */
    public static Engine forHost(EngineConfig config, ImageSource builtins) {
        Engine[] self = new Engine[1];
        // Networking loads netlink/JNA classes: made only when a run or a command needs it.
        Supplier<ContainerNetworking> networking = memoize(() -> new HostNetworking(config, ref -> {
            ContainerState s = self[0].inspect(ref);
            if (!s.isRunning()) throw new HutchException("container " + s.name() + " is not running");
            return s.pid();
        }));
        self[0] = new Engine(config, new LocalImageStore(config), builtins,
                LayerDrivers.select(System.getenv("HUTCH_STORAGE_DRIVER")), Cgroups.forHost(config), networking,
                new HostVolumes(config.volumesDir()));
        return self[0];
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
