package dev.hutch.cli.commands;

import dev.hutch.cli.Command;
import dev.hutch.cli.Context;
import dev.hutch.cli.Flags;
import dev.hutch.cli.Version;
import dev.hutch.config.EngineConfig;
import dev.hutch.json.Json;
import dev.hutch.spec.ByteSize;
import dev.hutch.state.ContainerState;
import dev.hutch.state.ContainerStatus;
import dev.hutch.util.HostInfo;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * hutch info: docker's fields where they mean something for hutch (containers by state, images,
 * storage and cgroup drivers, cgroup version, security options, runtimes, kernel, roots), with
 * docker's names in {@code --format json}.
 */
public final class InfoCommand implements Command {
    public String name() { return "info"; }
    public String summary() { return "Display system-wide information"; }
    public String usage() { return "info [OPTIONS]"; }

    public Flags flags() { return new Flags(name()).value("format", "f", "Format the output: json"); }

    public int run(Context ctx, Flags.Parsed a) {
        if (a.has("format") && !"json".equals(a.value("format")))
            throw new dev.hutch.spec.InvalidSpecException("--format", a.value("format"), "is not a supported format (use json)");
        Map<String, Object> m = facts(ctx);
        if (a.has("format")) {
            ctx.out().println(Json.write(m));
            return 0;
        }
        ctx.out().println("Server:");
        ctx.out().println(" Containers: " + m.get("Containers"));
        ctx.out().println("  Running: " + m.get("ContainersRunning"));
        ctx.out().println("  Paused: " + m.get("ContainersPaused"));
        ctx.out().println("  Stopped: " + m.get("ContainersStopped"));
        ctx.out().println(" Images: " + m.get("Images"));
        ctx.out().println(" Server Version: " + m.get("ServerVersion"));
        ctx.out().println(" Storage Driver: " + m.get("Driver"));
        ctx.out().println(" Logging Driver: " + m.get("LoggingDriver"));
        ctx.out().println(" Cgroup Driver: " + m.get("CgroupDriver"));
        ctx.out().println(" Cgroup Version: " + m.get("CgroupVersion"));
        ctx.out().println(" Cgroup Controllers: " + m.get("CgroupControllers"));
        ctx.out().println(" Cgroup Parent: " + m.get("CgroupParent"));
        ctx.out().println(" Runtimes: " + m.get("Runtimes"));
        ctx.out().println(" Default Runtime: " + m.get("DefaultRuntime"));
        ctx.out().println(" Init Binary: " + m.get("InitBinary"));
        ctx.out().println(" Security Options:");
        for (Object o : (List<?>) m.get("SecurityOptions")) ctx.out().println("  " + o);
        ctx.out().println(" Kernel Version: " + m.get("KernelVersion"));
        ctx.out().println(" Operating System: " + m.get("OperatingSystem"));
        ctx.out().println(" OSType: " + m.get("OSType"));
        ctx.out().println(" Architecture: " + m.get("Architecture"));
        ctx.out().println(" CPUs: " + m.get("NCPU"));
        long mem = (Long) m.get("MemTotal");
        ctx.out().println(" Total Memory: " + (mem < 0 ? "unknown" : ByteSize.format(mem)));
        ctx.out().println(" Hutch Root Dir: " + m.get("HutchRootDir"));
        ctx.out().println(" Run Root Dir: " + m.get("RunRootDir"));
        return 0;
    }

    static Map<String, Object> facts(Context ctx) {
        EngineConfig config = ctx.engine().config();
        List<ContainerState> all = ctx.engine().list(true);
        long running = all.stream().filter(s -> s.status() == ContainerStatus.RUNNING).count();
        long paused = all.stream().filter(s -> s.status() == ContainerStatus.PAUSED).count();
        String controllers = ctx.engine().cgroups().describe();
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("Containers", all.size());
        m.put("ContainersRunning", running);
        m.put("ContainersPaused", paused);
        m.put("ContainersStopped", all.size() - running - paused);
        m.put("Images", ImageStores.of(ctx).list().size());
        m.put("ServerVersion", Version.get());
        m.put("Driver", ctx.engine().layers().name());
        m.put("LoggingDriver", "json-file");
        m.put("CgroupDriver", "cgroupfs"); // hutch writes cgroupfs itself; it never asks systemd
        m.put("CgroupVersion", cgroupVersion(controllers));
        m.put("CgroupControllers", controllers);
        m.put("CgroupParent", config.cgroupParent());
        m.put("Runtimes", "hutch-helper");
        m.put("DefaultRuntime", "hutch-helper");
        m.put("InitBinary", "hutch-init (built into the helper; every container has it)");
        m.put("SecurityOptions", List.of("name=seccomp,profile=builtin", "name=no-new-privileges", "name=userns (--userns=auto)"));
        m.put("KernelVersion", HostFacts.kernel(ctx));
        m.put("OperatingSystem", HostFacts.operatingSystem());
        m.put("OSType", "linux");
        m.put("Architecture", HostFacts.arch());
        m.put("NCPU", HostInfo.cpus());
        m.put("MemTotal", HostFacts.totalMemory(ctx));
        m.put("HutchRootDir", config.libRoot().toString());
        m.put("RunRootDir", config.runRoot().toString());
        return m;
    }

    /** "2" on a pure v2 host; "1" where any controller hutch uses is on v1 (a hybrid host says which are v2). */
    static String cgroupVersion(String describe) {
        String controllers = describe.replaceAll(" \\(parent .*\\)$", "");
        boolean v1 = controllers.contains("=v1"), v2 = controllers.contains("=v2");
        if (!v1) return "2";
        return v2 ? "1 (hybrid: some controllers on the v2 hierarchy)" : "1";
    }
}
