package dev.hutch.cli.api;

import dev.hutch.engine.Engine;
import dev.hutch.state.ContainerState;
import dev.hutch.state.ContainerStatus;
import dev.hutch.util.HostInfo;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** {@code /_ping}, {@code /version}, {@code /info}: what the docker CLI asks before anything else. */
final class SystemEndpoints {
    private SystemEndpoints() {}

    static void register(ApiRouter router) {
        router.add("GET", "/_ping", SystemEndpoints::ping)
                .add("GET", "/version", SystemEndpoints::version)
                .add("GET", "/info", SystemEndpoints::info);
    }

    /** The client negotiates its version from the Api-Version header every answer carries. */
    static void ping(ApiCall call) throws IOException {
        call.response().body(200, "text/plain; charset=utf-8", "OK".getBytes(StandardCharsets.UTF_8),
                Map.of("Cache-Control", "no-cache, no-store, must-revalidate", "Pragma", "no-cache"));
    }

    static void version(ApiCall call) throws IOException {
        String kernel = kernelRelease();
        Map<String, Object> details = new LinkedHashMap<>();
        details.put("ApiVersion", DockerApi.API_VERSION);
        details.put("MinAPIVersion", DockerApi.MIN_API_VERSION);
        details.put("Os", "linux");
        details.put("Arch", DockerApi.arch());
        details.put("KernelVersion", kernel);
        details.put("Experimental", "false");
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("Platform", Map.of("Name", "hutch " + DockerApi.hutchVersion()));
        m.put("Components", List.of(Map.of("Name", "Engine", "Version", DockerApi.hutchVersion(), "Details", details)));
        m.put("Version", DockerApi.hutchVersion());
        m.put("ApiVersion", DockerApi.API_VERSION);
        m.put("MinAPIVersion", DockerApi.MIN_API_VERSION);
        m.put("GitCommit", "");
        m.put("GoVersion", "java" + Runtime.version().feature());
        m.put("Os", "linux");
        m.put("Arch", DockerApi.arch());
        m.put("KernelVersion", kernel);
        m.put("BuildTime", "");
        m.put("Experimental", false);
        call.response().json(200, m);
    }

    static void info(ApiCall call) throws IOException {
        Engine engine = call.engine();
        List<ContainerState> all = engine.list(true);
        long running = all.stream().filter(s -> s.status() == ContainerStatus.RUNNING).count();
        long paused = all.stream().filter(s -> s.status() == ContainerStatus.PAUSED).count();
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("ID", machineId());
        m.put("Containers", all.size());
        m.put("ContainersRunning", running);
        m.put("ContainersPaused", paused);
        m.put("ContainersStopped", all.size() - running - paused);
        m.put("Images", engine.images().list().size());
        m.put("Driver", engine.layers().name());
        m.put("DriverStatus", List.of(List.of("hutch layer driver", engine.layers().name())));
        m.put("MemoryLimit", true);
        m.put("SwapLimit", true);
        m.put("CpuCfsPeriod", true);
        m.put("CpuCfsQuota", true);
        m.put("PidsLimit", true);
        m.put("OomKillDisable", false);
        m.put("CPUShares", true);
        m.put("CPUSet", true);
        m.put("KernelMemory", false);
        m.put("IPv4Forwarding", "1".equals(firstLine(Path.of("/proc/sys/net/ipv4/ip_forward"), "0")));
        m.put("BridgeNfIptables", "1".equals(firstLine(Path.of("/proc/sys/net/bridge/bridge-nf-call-iptables"), "0")));
        m.put("BridgeNfIp6tables", "1".equals(firstLine(Path.of("/proc/sys/net/bridge/bridge-nf-call-ip6tables"), "0")));
        m.put("NFd", openFds());
        m.put("NGoroutines", Thread.activeCount());
        m.put("SystemTime", Instant.now().toString());
        m.put("LoggingDriver", "json-file");
        m.put("CgroupDriver", "cgroupfs");
        m.put("CgroupVersion", cgroupVersion());
        m.put("KernelVersion", kernelRelease());
        m.put("OperatingSystem", operatingSystem());
        m.put("OSVersion", osRelease("VERSION_ID"));
        m.put("OSType", "linux");
        m.put("Architecture", DockerApi.machine());
        m.put("NCPU", HostInfo.cpus());
        m.put("MemTotal", memTotal());
        m.put("IndexServerAddress", "https://index.docker.io/v1/");
        m.put("RegistryConfig", Map.of("IndexConfigs", Map.of(), "InsecureRegistryCIDRs", List.of(), "Mirrors", List.of()));
        m.put("DockerRootDir", engine.config().libRoot().toString());
        m.put("Name", hostname());
        m.put("Labels", List.of());
        m.put("ExperimentalBuild", false);
        m.put("ServerVersion", DockerApi.hutchVersion());
        m.put("Runtimes", Map.of("hutch", Map.of("path", "hutch-helper")));
        m.put("DefaultRuntime", "hutch");
        m.put("LiveRestoreEnabled", true); // containers outlive the service: their monitors own them
        m.put("Isolation", "");
        m.put("InitBinary", "hutch-helper");
        m.put("SecurityOptions", List.of("name=seccomp,profile=default"));
        m.put("Warnings", List.of());
        m.put("Swarm", Map.of("LocalNodeState", "inactive", "NodeID", "", "NodeAddr", "", "ControlAvailable", false, "Error", ""));
        m.put("Plugins", Map.of("Volume", List.of("local"), "Network", List.of("bridge", "host", "none"), "Log", List.of("json-file")));
        call.response().json(200, m);
    }

    /** "2" on a pure cgroup v2 host (the unified hierarchy at the root), else "1" (v1 or hybrid). */
    static String cgroupVersion() {
        return Files.exists(Path.of("/sys/fs/cgroup/cgroup.controllers")) ? "2" : "1";
    }

    static String kernelRelease() { return firstLine(Path.of("/proc/sys/kernel/osrelease"), "unknown"); }

    static String hostname() { return firstLine(Path.of("/proc/sys/kernel/hostname"), "localhost"); }

    private static String machineId() { return firstLine(Path.of("/etc/machine-id"), ""); }

    static String operatingSystem() {
        String pretty = osRelease("PRETTY_NAME");
        return pretty.isEmpty() ? "Linux" : pretty;
    }

    static String osRelease(String key) {
        try {
            for (String line : Files.readAllLines(Path.of("/etc/os-release"))) {
                if (line.startsWith(key + "=")) return line.substring(key.length() + 1).replaceAll("^\"|\"$", "");
            }
        } catch (IOException e) {
            // an OS without the file: docker prints "" there too
        }
        return "";
    }

    static long memTotal() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/meminfo"))) {
                if (line.startsWith("MemTotal:")) return Long.parseLong(line.replaceAll("\\D+", "")) * 1024;
            }
        } catch (IOException | NumberFormatException e) {
            // 0 below
        }
        return 0;
    }

    private static int openFds() {
        try (var s = Files.list(Path.of("/proc/self/fd"))) {
            return (int) s.count();
        } catch (IOException e) {
            return 0;
        }
    }

    private static String firstLine(Path file, String dflt) {
        try {
            return Files.readString(file).trim();
        } catch (IOException e) {
            return dflt;
        }
    }
}
