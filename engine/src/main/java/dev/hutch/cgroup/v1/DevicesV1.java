package dev.hutch.cgroup.v1;

import dev.hutch.cgroup.CgroupDir;
import dev.hutch.cgroup.CgroupWrite;
import dev.hutch.cgroup.Controller;
import dev.hutch.cgroup.DeviceRule;
import dev.hutch.spec.Resources;

import java.util.ArrayList;
import java.util.List;

/**
 * v1 {@code devices}: the container's allow-list ({@link DeviceRule#DEFAULTS}, docker's and runc's,
 * plus {@code --device}s). Deny all first, then allow each rule.
 */
public final class DevicesV1 implements Controller {
    static final String DENY = "devices.deny", ALLOW = "devices.allow";

    @Override public String name() { return "devices"; }

    @Override public int version() { return 1; }

    @Override
    public List<CgroupWrite> defaults(CgroupDir dir) { return defaults(dir, DeviceRule.DEFAULTS); }

    @Override
    public List<CgroupWrite> defaults(CgroupDir dir, List<DeviceRule> devices) {
        List<CgroupWrite> writes = new ArrayList<>();
        // --privileged allows "a": a new cgroup inherits the parent's list, so nothing to deny first
        boolean all = false;
        for (DeviceRule rule : devices) all |= rule.isAll();
        if (!all) writes.add(CgroupWrite.internal(dir, DENY, "a"));
        for (DeviceRule rule : devices) for (String line : rule.toV1Lines()) writes.add(CgroupWrite.internal(dir, ALLOW, line));
        return writes;
    }

    @Override public List<CgroupWrite> plan(Resources r, CgroupDir dir) { return List.of(); }
}
