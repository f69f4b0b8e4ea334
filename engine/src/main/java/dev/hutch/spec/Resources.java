package dev.hutch.spec;

import dev.hutch.json.JsonReader;
import dev.hutch.json.JsonWritable;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Resource limits, docker's flags and units. A {@code null} field means "not set": the kernel
 * default applies and nothing is written for it.
 *
 * @param cpus              {@code --cpus}: number of CPUs, written as quota/period
 * @param cpuPeriod         {@code --cpu-period} in microseconds
 * @param cpuQuota          {@code --cpu-quota} in microseconds per period
 * @param cpuShares         {@code --cpu-shares} (v1 cpu.shares; v2 cpu.weight by runc's mapping)
 * @param memory            {@code -m} in bytes
 * @param memorySwap        {@code --memory-swap} in bytes, memory plus swap; -1 is unlimited
 * @param memoryReservation {@code --memory-reservation} in bytes (soft limit)
 * @param pidsLimit         {@code --pids-limit}; -1 or 0 is unlimited
 * @param blkioWeight       {@code --blkio-weight} 10..1000
 * @param oomKillDisable    {@code --oom-kill-disable}: v1 memory.oom_control (v2 has no such switch)
 * @param memorySwappiness  {@code --memory-swappiness} 0..100: v1 memory.swappiness (v2 has no such file)
 * @param cgroupParent      {@code --cgroup-parent}: a group below the engine's own parent (docker keeps it in Resources too)
 * @param deviceReadIops    {@code --device-read-iops /dev/sda:1000}: read operations per second
 * @param deviceWriteIops   {@code --device-write-iops}
 * @param blkioWeightDevice {@code --blkio-weight-device /dev/sda:200}: the weight for one device (10..1000, 0 for none)
 */
public record Resources(
        Double cpus,
        Long cpuPeriod,
        Long cpuQuota,
        Long cpuShares,
        String cpusetCpus,
        String cpusetMems,
        Long memory,
        Long memorySwap,
        Long memoryReservation,
        Long pidsLimit,
        Integer blkioWeight,
        List<DeviceRate> deviceReadBps,
        List<DeviceRate> deviceWriteBps,
        Boolean oomKillDisable,
        Long memorySwappiness,
        String cgroupParent,
        List<DeviceIops> deviceReadIops,
        List<DeviceIops> deviceWriteIops,
        List<DeviceWeight> blkioWeightDevice) implements JsonWritable {

    public static final Resources NONE = builder().build();

    public Resources {
        deviceReadBps = List.copyOf(deviceReadBps == null ? List.of() : deviceReadBps);
        deviceWriteBps = List.copyOf(deviceWriteBps == null ? List.of() : deviceWriteBps);
        deviceReadIops = List.copyOf(deviceReadIops == null ? List.of() : deviceReadIops);
        deviceWriteIops = List.copyOf(deviceWriteIops == null ? List.of() : deviceWriteIops);
        blkioWeightDevice = List.copyOf(blkioWeightDevice == null ? List.of() : blkioWeightDevice);
    }

    /** Without the per-device iops limits and weights. */
    public Resources(Double cpus, Long cpuPeriod, Long cpuQuota, Long cpuShares, String cpusetCpus, String cpusetMems,
                     Long memory, Long memorySwap, Long memoryReservation, Long pidsLimit, Integer blkioWeight,
                     List<DeviceRate> deviceReadBps, List<DeviceRate> deviceWriteBps, Boolean oomKillDisable,
                     Long memorySwappiness, String cgroupParent) {
        this(cpus, cpuPeriod, cpuQuota, cpuShares, cpusetCpus, cpusetMems, memory, memorySwap, memoryReservation,
                pidsLimit, blkioWeight, deviceReadBps, deviceWriteBps, oomKillDisable, memorySwappiness, cgroupParent,
                null, null, null);
    }

    /** Without the OOM-killer switch and swappiness: the kernel's defaults. */
    public Resources(Double cpus, Long cpuPeriod, Long cpuQuota, Long cpuShares, String cpusetCpus, String cpusetMems,
                     Long memory, Long memorySwap, Long memoryReservation, Long pidsLimit, Integer blkioWeight,
                     List<DeviceRate> deviceReadBps, List<DeviceRate> deviceWriteBps) {
        this(cpus, cpuPeriod, cpuQuota, cpuShares, cpusetCpus, cpusetMems, memory, memorySwap, memoryReservation,
                pidsLimit, blkioWeight, deviceReadBps, deviceWriteBps, null, null, null);
    }

    /** {@code --device-read-bps /dev/sda:1mb}: a device path and a rate in bytes per second. */
    public record DeviceRate(String path, long bytesPerSecond) {
        public static DeviceRate parse(String field, String text) {
            int colon = text == null ? -1 : text.lastIndexOf(':');
            if (colon <= 0) throw new InvalidSpecException(field, text, "is not DEVICE:RATE (try /dev/sda:1mb)");
            return new DeviceRate(text.substring(0, colon), ByteSize.parse(field, text.substring(colon + 1)));
        }

        @Override public String toString() { return path + ":" + bytesPerSecond; }
    }

    /**
     * {@code --device-read-iops /dev/sda:1000}: a device path and operations per second. docker's
     * checks and words: DEVICE:NUMBER, the device under /dev, the number a positive integer.
     */
    public record DeviceIops(String path, long perSecond) {
        public static DeviceIops parse(String field, String text) {
            int colon = text == null ? -1 : text.lastIndexOf(':');
            if (colon <= 0) throw new InvalidSpecException(field, text, "is not DEVICE:NUMBER (try /dev/sda:1000)");
            String n = text.substring(colon + 1);
            long v;
            try {
                v = n.matches("[0-9]+") ? Long.parseLong(n) : -1;
            } catch (NumberFormatException e) {
                v = -1;
            }
            if (v <= 0) throw new InvalidSpecException(field, text, "has a rate that is not a positive whole number of operations per second (try /dev/sda:1000)");
            return new DeviceIops(text.substring(0, colon), v);
        }

        @Override public String toString() { return path + ":" + perSecond; }
    }

    /** {@code --blkio-weight-device /dev/sda:200}: a device path and its weight, 10..1000 (0: none, as docker). */
    public record DeviceWeight(String path, int weight) {
        public static DeviceWeight parse(String field, String text) {
            int colon = text == null ? -1 : text.lastIndexOf(':');
            if (colon <= 0) throw new InvalidSpecException(field, text, "is not DEVICE:WEIGHT (try /dev/sda:200)");
            String n = text.substring(colon + 1);
            int w = n.matches("[0-9]{1,5}") ? Integer.parseInt(n) : -1;
            if (w < 0 || w > 1000 || (w > 0 && w < 10))
                throw new InvalidSpecException(field, text, "has a weight that is not from 10 to 1000 (try /dev/sda:200)");
            return new DeviceWeight(text.substring(0, colon), w);
        }

        @Override public String toString() { return path + ":" + weight; }
    }

    public boolean isEmpty() { return this.equals(NONE); }

    @Override
    public Object toJson() {
        Map<String, Object> m = new LinkedHashMap<>();
        put(m, "cpus", cpus);
        put(m, "cpuPeriod", cpuPeriod);
        put(m, "cpuQuota", cpuQuota);
        put(m, "cpuShares", cpuShares);
        put(m, "cpusetCpus", cpusetCpus);
        put(m, "cpusetMems", cpusetMems);
        put(m, "memory", memory);
        put(m, "memorySwap", memorySwap);
        put(m, "memoryReservation", memoryReservation);
        put(m, "pidsLimit", pidsLimit);
        put(m, "blkioWeight", blkioWeight);
        if (!deviceReadBps.isEmpty()) m.put("deviceReadBps", deviceReadBps.stream().map(DeviceRate::toString).toList());
        if (!deviceWriteBps.isEmpty()) m.put("deviceWriteBps", deviceWriteBps.stream().map(DeviceRate::toString).toList());
        put(m, "oomKillDisable", oomKillDisable);
        put(m, "memorySwappiness", memorySwappiness);
        put(m, "cgroupParent", cgroupParent);
        if (!deviceReadIops.isEmpty()) m.put("deviceReadIops", deviceReadIops.stream().map(DeviceIops::toString).toList());
        if (!deviceWriteIops.isEmpty()) m.put("deviceWriteIops", deviceWriteIops.stream().map(DeviceIops::toString).toList());
        if (!blkioWeightDevice.isEmpty()) m.put("blkioWeightDevice", blkioWeightDevice.stream().map(DeviceWeight::toString).toList());
        return m;
    }

    private static void put(Map<String, Object> m, String k, Object v) { if (v != null) m.put(k, v); }

    public static Resources fromJson(Object json) {
        JsonReader r = JsonReader.of(json);
        Long blkio = r.longOrNull("blkioWeight");
        return new Resources(r.doubleOrNull("cpus"), r.longOrNull("cpuPeriod"), r.longOrNull("cpuQuota"),
                r.longOrNull("cpuShares"), r.string("cpusetCpus"), r.string("cpusetMems"), r.longOrNull("memory"),
                r.longOrNull("memorySwap"), r.longOrNull("memoryReservation"), r.longOrNull("pidsLimit"),
                blkio == null ? null : blkio.intValue(),
                r.strings("deviceReadBps").stream().map(s -> DeviceRate.parse("deviceReadBps", s)).toList(),
                r.strings("deviceWriteBps").stream().map(s -> DeviceRate.parse("deviceWriteBps", s)).toList(),
                r.raw().get("oomKillDisable") instanceof Boolean b ? b : null, r.longOrNull("memorySwappiness"), r.string("cgroupParent"),
                r.strings("deviceReadIops").stream().map(s -> DeviceIops.parse("deviceReadIops", s)).toList(),
                r.strings("deviceWriteIops").stream().map(s -> DeviceIops.parse("deviceWriteIops", s)).toList(),
                r.strings("blkioWeightDevice").stream().map(s -> DeviceWeight.parse("blkioWeightDevice", s)).toList());
    }

    public static Builder builder() { return new Builder(); }

    public Builder toBuilder() {
        Builder b = new Builder();
        b.cpus = cpus; b.cpuPeriod = cpuPeriod; b.cpuQuota = cpuQuota; b.cpuShares = cpuShares;
        b.cpusetCpus = cpusetCpus; b.cpusetMems = cpusetMems; b.memory = memory; b.memorySwap = memorySwap;
        b.memoryReservation = memoryReservation; b.pidsLimit = pidsLimit; b.blkioWeight = blkioWeight;
        b.deviceReadBps.addAll(deviceReadBps); b.deviceWriteBps.addAll(deviceWriteBps);
        b.oomKillDisable = oomKillDisable; b.memorySwappiness = memorySwappiness; b.cgroupParent = cgroupParent;
        b.deviceReadIops.addAll(deviceReadIops); b.deviceWriteIops.addAll(deviceWriteIops);
        b.blkioWeightDevice.addAll(blkioWeightDevice);
        return b;
    }

    public static final class Builder {
        private Double cpus;
        private Long cpuPeriod, cpuQuota, cpuShares, memory, memorySwap, memoryReservation, pidsLimit;
        private String cpusetCpus, cpusetMems;
        private Integer blkioWeight;
        private Boolean oomKillDisable;
        private Long memorySwappiness;
        private String cgroupParent;
        private final List<DeviceRate> deviceReadBps = new ArrayList<>(), deviceWriteBps = new ArrayList<>();
        private final List<DeviceIops> deviceReadIops = new ArrayList<>(), deviceWriteIops = new ArrayList<>();
        private final List<DeviceWeight> blkioWeightDevice = new ArrayList<>();

        public Builder cpus(Double v) { cpus = v; return this; }
        public Builder cpuPeriod(Long v) { cpuPeriod = v; return this; }
        public Builder cpuQuota(Long v) { cpuQuota = v; return this; }
        public Builder cpuShares(Long v) { cpuShares = v; return this; }
        public Builder cpusetCpus(String v) { cpusetCpus = v; return this; }
        public Builder cpusetMems(String v) { cpusetMems = v; return this; }
        public Builder memory(Long v) { memory = v; return this; }
        public Builder memorySwap(Long v) { memorySwap = v; return this; }
        public Builder memoryReservation(Long v) { memoryReservation = v; return this; }
        public Builder pidsLimit(Long v) { pidsLimit = v; return this; }
        public Builder blkioWeight(Integer v) { blkioWeight = v; return this; }
        public Builder deviceReadBps(DeviceRate v) { deviceReadBps.add(v); return this; }
        public Builder deviceWriteBps(DeviceRate v) { deviceWriteBps.add(v); return this; }
        public Builder oomKillDisable(Boolean v) { oomKillDisable = v; return this; }
        public Builder memorySwappiness(Long v) { memorySwappiness = v; return this; }
        public Builder cgroupParent(String v) { cgroupParent = v; return this; }
        public Builder deviceReadIops(DeviceIops v) { deviceReadIops.add(v); return this; }
        public Builder deviceWriteIops(DeviceIops v) { deviceWriteIops.add(v); return this; }
        public Builder blkioWeightDevice(DeviceWeight v) { blkioWeightDevice.add(v); return this; }

        public Resources build() {
            return new Resources(cpus, cpuPeriod, cpuQuota, cpuShares, cpusetCpus, cpusetMems, memory, memorySwap,
                    memoryReservation, pidsLimit, blkioWeight, deviceReadBps, deviceWriteBps, oomKillDisable, memorySwappiness, cgroupParent,
                    deviceReadIops, deviceWriteIops, blkioWeightDevice);
        }
    }
}
