package dev.hutch.cgroup.v2;

import dev.hutch.HutchException;
import dev.hutch.cgroup.CgroupDir;
import dev.hutch.cgroup.CgroupStats;
import dev.hutch.cgroup.CgroupText;
import dev.hutch.cgroup.CgroupWrite;
import dev.hutch.cgroup.Controller;
import dev.hutch.cgroup.DeviceNumbers;
import dev.hutch.spec.Resources;

import java.util.ArrayList;
import java.util.List;

/**
 * v2 {@code io}: the weight goes to io.bfq.weight (same 10..1000 scale as --blkio-weight) where
 * BFQ is there, else io.weight (1..10000, runc's conversion); bps limits to io.max, one
 * {@code MAJ:MIN rbps=N}, {@code wbps=N}, {@code riops=N} or {@code wiops=N} per write (the other
 * keys keep their values); a per-device weight is a {@code MAJ:MIN W} line in the weight file.
 */
public final class IoV2 implements Controller {
    static final String BFQ_WEIGHT = "io.bfq.weight", WEIGHT = "io.weight", MAX = "io.max", STAT = "io.stat";

    private final DeviceNumbers devices;

    public IoV2(DeviceNumbers devices) { this.devices = devices; }

    @Override public String name() { return "io"; }

    @Override public int version() { return 2; }

    @Override
    public List<CgroupWrite> prepare(CgroupDir parent, CgroupDir child) { return SubtreeControl.enable(parent, name()); }

    /** runc's ConvertBlkIOToIOWeightValue: 10..1000 onto 1..10000. */
    public static long ioWeightFromBlkio(long blkioWeight) { return 1 + (blkioWeight - 10) * 9999 / 990; }

    @Override
    public List<CgroupWrite> plan(Resources r, CgroupDir dir) {
        List<CgroupWrite> writes = new ArrayList<>();
        Integer w = r.blkioWeight();
        if (w != null && w != 0) {
            if (dir.has(BFQ_WEIGHT)) writes.add(CgroupWrite.of(dir, BFQ_WEIGHT, w, "--blkio-weight", w));
            else if (dir.has(WEIGHT)) writes.add(CgroupWrite.of(dir, WEIGHT, ioWeightFromBlkio(w), "--blkio-weight", w));
            else throw new HutchException("--blkio-weight: \"" + w + "\": this kernel has neither " + BFQ_WEIGHT + " nor "
                        + WEIGHT + " (no BFQ scheduler, no io cost model); drop the flag");
        }
        for (Resources.DeviceRate d : r.deviceReadBps())
            writes.add(CgroupWrite.of(dir, MAX, devices.majorMinor("--device-read-bps", d.path()) + " rbps=" + d.bytesPerSecond(),
                    "--device-read-bps", d));
        for (Resources.DeviceRate d : r.deviceWriteBps())
            writes.add(CgroupWrite.of(dir, MAX, devices.majorMinor("--device-write-bps", d.path()) + " wbps=" + d.bytesPerSecond(),
                    "--device-write-bps", d));
        for (Resources.DeviceIops d : r.deviceReadIops())
            writes.add(CgroupWrite.of(dir, MAX, devices.majorMinor("--device-read-iops", d.path()) + " riops=" + d.perSecond(),
                    "--device-read-iops", d));
        for (Resources.DeviceIops d : r.deviceWriteIops())
            writes.add(CgroupWrite.of(dir, MAX, devices.majorMinor("--device-write-iops", d.path()) + " wiops=" + d.perSecond(),
                    "--device-write-iops", d));
        for (Resources.DeviceWeight d : r.blkioWeightDevice()) {
            if (d.weight() == 0) continue; // docker: 0 sets nothing
            String dev = devices.majorMinor("--blkio-weight-device", d.path());
            // as --blkio-weight: BFQ's per-device line on its own scale, else io.weight's (runc's conversion)
            if (dir.has(BFQ_WEIGHT)) writes.add(CgroupWrite.of(dir, BFQ_WEIGHT, dev + " " + d.weight(), "--blkio-weight-device", d));
            else if (dir.has(WEIGHT)) writes.add(CgroupWrite.of(dir, WEIGHT, dev + " " + ioWeightFromBlkio(d.weight()), "--blkio-weight-device", d));
            else throw new HutchException("--blkio-weight-device: \"" + d + "\": this kernel has neither " + BFQ_WEIGHT + " nor "
                        + WEIGHT + " (no BFQ scheduler, no io cost model); drop the flag");
        }
        return writes;
    }

    @Override
    public void readStats(CgroupDir dir, CgroupStats.Builder stats) {
        String text = dir.readIfPresent(STAT);
        if (text == null) return;
        CgroupText.ReadWrite rw = CgroupText.ioStat(text);
        stats.blkioReadBytes(rw.readBytes()).blkioWriteBytes(rw.writeBytes());
    }
}
