package dev.hutch.cgroup.v1;

import dev.hutch.cgroup.CgroupDir;
import dev.hutch.cgroup.CgroupStats;
import dev.hutch.cgroup.CgroupText;
import dev.hutch.cgroup.CgroupWrite;
import dev.hutch.cgroup.Controller;
import dev.hutch.cgroup.DeviceNumbers;
import dev.hutch.HutchException;
import dev.hutch.spec.Resources;

import java.util.ArrayList;
import java.util.List;

/**
 * v1 {@code blkio}: weight (CFQ's blkio.weight on old kernels, BFQ's blkio.bfq.weight on new
 * ones), read/write bps throttles per device, and bytes read/written.
 */
public final class BlkioV1 implements Controller {
    static final String WEIGHT = "blkio.weight", BFQ_WEIGHT = "blkio.bfq.weight",
            READ_BPS = "blkio.throttle.read_bps_device", WRITE_BPS = "blkio.throttle.write_bps_device",
            READ_IOPS = "blkio.throttle.read_iops_device", WRITE_IOPS = "blkio.throttle.write_iops_device",
            WEIGHT_DEVICE = "blkio.weight_device", BFQ_WEIGHT_DEVICE = "blkio.bfq.weight_device";
    /** Docker reads the recursive throttle counters; BFQ's are the fallback when those are empty. */
    static final List<String> SERVICE_BYTES = List.of("blkio.throttle.io_service_bytes_recursive",
            "blkio.throttle.io_service_bytes", "blkio.bfq.io_service_bytes_recursive");

    private final DeviceNumbers devices;

    public BlkioV1(DeviceNumbers devices) { this.devices = devices; }

    @Override public String name() { return "blkio"; }

    @Override public int version() { return 1; }

    @Override
    public List<CgroupWrite> plan(Resources r, CgroupDir dir) {
        List<CgroupWrite> writes = new ArrayList<>();
        if (r.blkioWeight() != null && r.blkioWeight() != 0) {
            String file = dir.has(WEIGHT) ? WEIGHT : dir.has(BFQ_WEIGHT) ? BFQ_WEIGHT : null;
            if (file == null)
                throw new HutchException("--blkio-weight: \"" + r.blkioWeight() + "\": this kernel has neither " + WEIGHT + " nor "
                        + BFQ_WEIGHT + " (no CFQ or BFQ I/O scheduler); drop the flag");
            writes.add(CgroupWrite.of(dir, file, r.blkioWeight(), "--blkio-weight", r.blkioWeight()));
        }
        for (Resources.DeviceRate d : r.deviceReadBps())
            writes.add(CgroupWrite.of(dir, READ_BPS, devices.majorMinor("--device-read-bps", d.path()) + " " + d.bytesPerSecond(),
                    "--device-read-bps", d));
        for (Resources.DeviceRate d : r.deviceWriteBps())
            writes.add(CgroupWrite.of(dir, WRITE_BPS, devices.majorMinor("--device-write-bps", d.path()) + " " + d.bytesPerSecond(),
                    "--device-write-bps", d));
        for (Resources.DeviceIops d : r.deviceReadIops())
            writes.add(CgroupWrite.of(dir, READ_IOPS, devices.majorMinor("--device-read-iops", d.path()) + " " + d.perSecond(),
                    "--device-read-iops", d));
        for (Resources.DeviceIops d : r.deviceWriteIops())
            writes.add(CgroupWrite.of(dir, WRITE_IOPS, devices.majorMinor("--device-write-iops", d.path()) + " " + d.perSecond(),
                    "--device-write-iops", d));
        for (Resources.DeviceWeight d : r.blkioWeightDevice()) {
            if (d.weight() == 0) continue; // docker: 0 sets nothing
            // CFQ's file on old kernels, BFQ's on new ones (same MAJ:MIN WEIGHT line, same 10..1000 scale)
            String file = dir.has(WEIGHT_DEVICE) ? WEIGHT_DEVICE : dir.has(BFQ_WEIGHT_DEVICE) ? BFQ_WEIGHT_DEVICE : null;
            if (file == null)
                throw new HutchException("--blkio-weight-device: \"" + d + "\": this kernel has neither " + WEIGHT_DEVICE + " nor "
                        + BFQ_WEIGHT_DEVICE + " (no CFQ or BFQ I/O scheduler); drop the flag");
            writes.add(CgroupWrite.of(dir, file, devices.majorMinor("--blkio-weight-device", d.path()) + " " + d.weight(),
                    "--blkio-weight-device", d));
        }
        return writes;
    }

    @Override
    public void readStats(CgroupDir dir, CgroupStats.Builder stats) {
        CgroupText.ReadWrite first = null;
        for (String file : SERVICE_BYTES) {
            String text = dir.readIfPresent(file);
            if (text == null) continue;
            CgroupText.ReadWrite rw = CgroupText.blkioServiceBytes(text);
            if (first == null) first = rw;
            if (rw.readBytes() > 0 || rw.writeBytes() > 0) { first = rw; break; }
        }
        if (first != null) stats.blkioReadBytes(first.readBytes()).blkioWriteBytes(first.writeBytes());
    }
}
