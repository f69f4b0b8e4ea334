import dev.hutch.security.SecurityPlan;
import dev.hutch.security.SecurityPlanner;
import dev.hutch.security.SyscallArch;
import dev.hutch.spec.SecurityOptions;

/**
 * Prints what a default container's launch file carries for the two walls, one a line: the
 * seccomp filter and the cgroup v2 device program, as hex (bench/run-latency.sh feeds them to
 * walls.c, which loads them with the helper's own code).
 * Run: java -cp engine/target/classes bench/security-walls/SecurityWallsHex.java
 */
public class SecurityWallsHex {
    public static void main(String[] args) {
        SecurityPlan p = SecurityPlanner.plan(SecurityOptions.DEFAULT, SecurityPlanner.HostDevices.host(),
                SyscallArch.host(), System.getProperty("os.version"));
        System.out.println(p.seccompHex());
        System.out.println(SecurityPlan.hex(p.deviceProgram()));
    }
}
