package dev.hutch.oci;

import dev.hutch.cgroup.DeviceRule;
import dev.hutch.layer.HelperMount;
import dev.hutch.spec.Resources;

import java.util.List;
import java.util.Map;

/**
 * A bundle's config.json, decided: everything the launch file and the cgroup need, before
 * anything on the host changes. Pure data (made by {@link OciPlanner}).
 *
 * @param deviceNodes helper {@code device} lines (PATH TYPE MAJOR MINOR MODE UID GID)
 * @param hooks       the hooks that run on the host, by stage ({@link OciHooks})
 * @param warnings    mapped fields whose effect is not there yet (logged by the command line)
 */
public record OciPlan(ProcessPlan process, String rootfs, boolean readonlyRootfs, String hostname,
                      LinuxMapping.Namespaces namespaces, List<HelperMount> mounts, List<String> deviceNodes,
                      List<DeviceRule> deviceRules, List<String> maskedPaths, List<String> readonlyPaths,
                      Resources resources, String seccompHex, Map<String, String> annotations, String cgroupsPath,
                      Map<String, Object> hooks, List<String> warnings, Map<String, String> sysctls) {}
