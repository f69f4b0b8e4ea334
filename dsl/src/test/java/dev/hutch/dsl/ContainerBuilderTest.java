package dev.hutch.dsl;

import dev.hutch.dsl.container.ContainerHandle;
import dev.hutch.spec.ContainerSpec;
import dev.hutch.spec.LogConfig;
import dev.hutch.spec.Mount;
import dev.hutch.spec.NetworkAttachment;
import dev.hutch.spec.PortMapping;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The DSL builds exactly the spec the CLI builds for the same settings. The CLI side is written
 * out by hand the way SpecFlags.toSpec builds it for
 * {@code hutch run --name web -h web --cpus 0.5 -m 64m --pids-limit 100 -e GREETING=hello
 * -v /srv/site:/www:ro -p 8080:80 --network lab busybox httpd -f -p 80 -h /www}.
 */
class ContainerBuilderTest {

    private static ContainerSpec spec(String script) {
        return ((ContainerHandle) DslTesting.eval(script)).getSpec();
    }

    @Test
    void theIssueExampleGivesTheCliSpec() {
        ContainerSpec dsl = spec("""
                container('web') {
                    image 'busybox'
                    cpus 0.5
                    memory 64.mb
                    pids 100
                    env GREETING: 'hello'
                    volume '/srv/site', '/www', readOnly: true
                    port 8080, 80
                    network 'lab'
                    command 'httpd', '-f', '-p', '80', '-h', '/www'
                }
                """);
        ContainerSpec.Builder cli = ContainerSpec.builder("busybox");
        cli.command(List.of("httpd", "-f", "-p", "80", "-h", "/www"));
        cli.name("web");
        cli.hostname("web");
        cli.readOnlyRootfs(false);
        cli.autoRemove(false);
        cli.process().tty(false).interactive(false);
        cli.process().workdir(null).user(null);
        cli.process().env("GREETING=hello");
        cli.network(new NetworkAttachment("lab", List.of(), null));
        cli.port(PortMapping.parse("8080:80"));
        cli.mount(Mount.bind("/srv/site", "/www", true));
        cli.resources().cpus(0.5).memory(64L * 1024 * 1024).pidsLimit(100L);
        assertEquals(cli.build(), dsl);
    }

    @Test
    void everyOtherSettingMapsToItsFlag() {
        ContainerSpec dsl = spec("""
                container('db') {
                    image 'busybox:latest'
                    entrypoint 'sh', '-c'
                    command 'echo $X'
                    env 'X', 1
                    workdir '/tmp'
                    user 'nobody'
                    hostname 'database'
                    readOnly true
                    label tier: 'back'
                    cpuShares 512
                    cpuset '0'
                    memory '32m'
                    memorySwap 64.mb
                    memoryReservation 16.mb
                    blkioWeight 300
                    volume 'dbdata', '/data'
                    volume '/cache'
                    tmpfs '/run', size: 8.mb, mode: '1777'
                    port '127.0.0.1:5432:5432/tcp'
                    network 'lab', alias: ['pg', 'postgres'], ip: '10.123.0.9'
                }
                """);
        ContainerSpec.Builder cli = ContainerSpec.builder("busybox:latest").name("db").hostname("database");
        cli.command(List.of("echo $X"));
        cli.readOnlyRootfs(true);
        cli.process().entrypoint(List.of("sh", "-c")).env("X=1").workdir("/tmp").user("nobody");
        cli.label("tier", "back");
        cli.network(new NetworkAttachment("lab", List.of("pg", "postgres"), "10.123.0.9"));
        cli.port(PortMapping.parse("127.0.0.1:5432:5432/tcp"));
        cli.mount(Mount.volume("dbdata", "/data", false));
        cli.mount(Mount.volume("", "/cache", false));
        cli.mount(Mount.tmpfs("/run", Map.of("size", Long.toString(8L << 20), "mode", "1777")));
        cli.resources().cpuShares(512L).cpusetCpus("0").memory(32L << 20).memorySwap(64L << 20)
                .memoryReservation(16L << 20).blkioWeight(300);
        assertEquals(cli.build(), dsl);
    }

    @Test
    void relativeBindSourcesAreRelativeToTheScript() {
        ContainerSpec dsl = spec("container('a') { image 'busybox'; volume './site', '/www' }");
        assertEquals(Mount.bind("/work/site", "/www", false), dsl.mounts().get(0));
    }

    @Test
    void theHostnameDefaultsToTheNameUnlessSet() {
        assertEquals("a", spec("container('a') { image 'busybox' }").hostname());
        assertEquals("b", spec("container('a') { image 'busybox'; hostname 'b' }").hostname());
    }

    @Test
    void aBadValueIsReportedAtTheLineThatSetItWithTheDslName() {
        ScriptFailure f = assertThrows(ScriptFailure.class, () -> spec("""
                container('web') {
                    image 'busybox'
                    cpus 4096
                }
                """));
        assertEquals("test.groovy:3", f.location());
        assertTrue(f.problem().startsWith("cpus: \"4096\" is out of range"), f.problem());
    }

    @Test
    void logOptionsMapToLogOpt() {
        // hutch run --log-opt max-size=10m --log-opt max-file=3 busybox
        ContainerSpec cli = ContainerSpec.builder("busybox").name("l").hostname("l")
                .log(LogConfig.parse(List.of("max-size=10m", "max-file=3"))).build();
        assertEquals(cli, spec("container('l') { image 'busybox'; logOpt maxSize: 10.mb, maxFile: 3 }"));
        assertEquals(cli, spec("container('l') { image 'busybox'; logOpt 'max-size=10m', 'max-file=3' }"));
        assertEquals(cli, spec("container('l') { image 'busybox'; logOpt maxSize: '10m'; logOpt 'max-file=3' }"),
                "repeated, as the flag is");
        assertEquals(new LogConfig(10L << 20, 3), cli.log());

        // one key alone keeps the other's default; -1 is no cap, as docker's max-size=-1
        assertEquals(new LogConfig(LogConfig.DEFAULT.maxSize(), 2),
                spec("container('l') { image 'busybox'; logOpt maxFile: 2 }").log());
        assertEquals(new LogConfig(0, LogConfig.DEFAULT.maxFiles()),
                spec("container('l') { image 'busybox'; logOpt maxSize: -1 }").log());
        assertEquals(LogConfig.DEFAULT, spec("container('l') { image 'busybox' }").log());
    }

    @Test
    void aBadLogOptionIsReportedAtItsLine() {
        ScriptFailure f = assertThrows(ScriptFailure.class, () -> spec("""
                container('l') {
                    image 'busybox'
                    logOpt maxFile: 500
                }
                """));
        assertEquals("test.groovy:3", f.location());
        assertTrue(f.problem().startsWith("logOpt maxFile: \"500\" must be 1 to 100"), f.problem());
        ScriptFailure g = assertThrows(ScriptFailure.class, () -> spec("""
                container('l') {
                    image 'busybox'

                    logOpt colour: 'blue'
                }
                """));
        assertEquals("test.groovy:4", g.location());
        assertTrue(g.problem().startsWith("logOpt: \"colour\" is not a log option"), g.problem());
        ScriptFailure h = assertThrows(ScriptFailure.class,
                () -> spec("container('l') { image 'busybox'; logOpt maxSize: 'lots' }"));
        assertTrue(h.problem().startsWith("logOpt maxSize: \"lots\" is not a size"), h.problem());
    }

    @Test
    void securityWordsMapToTheirFlags() {
        ContainerSpec dsl = spec("""
                container('s') {
                    image 'busybox'
                    capAdd 'net_admin', 'SYS_PTRACE'
                    capDrop 'ALL'
                    seccomp 'unconfined'
                    noNewPrivileges false
                    device '/dev/fuse'
                    deviceCgroupRule 'c 10:229 rwm'
                    privileged true
                }
                """);
        ContainerSpec.Builder cli = ContainerSpec.builder("busybox");
        cli.name("s");
        cli.hostname("s");
        cli.security().privileged(true).capAdd("CAP_NET_ADMIN").capAdd("CAP_SYS_PTRACE").capDrop("ALL")
                .seccompProfile("unconfined").noNewPrivileges(false)
                .device(dev.hutch.spec.SecurityOptions.DeviceMapping.parse("/dev/fuse"))
                .deviceCgroupRule(dev.hutch.spec.SecurityOptions.DeviceCgroupRule.parse("c 10:229 rwm"));
        assertEquals(cli.build(), dsl);
    }

    @Test
    void aBadDeviceCgroupRuleIsReportedAtItsLine() {
        ScriptFailure f = assertThrows(ScriptFailure.class, () -> spec("""
                container('web') {
                    image 'busybox'
                    deviceCgroupRule 'c 10:229 rwz'
                }
                """));
        assertEquals("test.groovy:3", f.location());
        assertTrue(f.problem().startsWith("deviceCgroupRule: \"c 10:229 rwz\" is not TYPE MAJOR:MINOR ACCESS"), f.problem());
    }

    @Test
    void kernelWordsGiveTheSpecOfTheKernelFlags() {
        ContainerSpec dsl = spec("""
                container('k') {
                    image 'busybox'
                    sysctl 'kernel.shmmax': 1073741824
                    sysctl 'net.ipv4.ip_forward', 1
                    ulimit 'nofile', 1024, 2048
                    ulimit 'nproc=64'
                    oomScoreAdj 500
                    oomKillDisable true
                    memorySwappiness 10
                    shmSize 256.mb
                    groupAdd 'audio', 1234
                }
                """);
        // hutch run --sysctl kernel.shmmax=1073741824 --sysctl net.ipv4.ip_forward=1 --ulimit nofile=1024:2048
        //   --ulimit nproc=64 --oom-score-adj 500 --oom-kill-disable --memory-swappiness 10 --shm-size 256m
        //   --group-add audio --group-add 1234
        ContainerSpec.Builder cli = ContainerSpec.builder("busybox").name("k").hostname("k");
        cli.kernel().sysctl("kernel.shmmax", "1073741824").sysctl("net.ipv4.ip_forward", "1")
                .ulimit(dev.hutch.spec.UlimitText.parse("nofile=1024:2048")).ulimit(dev.hutch.spec.UlimitText.parse("nproc=64"))
                .oomScoreAdj(500).shmSize(256L << 20).groupAdd("audio").groupAdd("1234");
        cli.resources().oomKillDisable(true).memorySwappiness(10L);
        assertEquals(cli.build(), dsl);
    }

    @Test
    void nameAndStopWordsGiveTheSpecOfTheirFlags() {
        ContainerSpec dsl = spec("""
                container('n') {
                    image 'busybox'
                    dns '10.0.0.2', '10.0.0.3'
                    dnsSearch 'corp.example'
                    dnsOption 'ndots:2'
                    addHost db: '10.0.0.5', gw: 'host-gateway'
                    stopSignal 'SIGUSR1'
                    stopTimeout 3
                }
                """);
        ContainerSpec.Builder cli = ContainerSpec.builder("busybox").name("n").hostname("n");
        cli.names().dns("10.0.0.2").dns("10.0.0.3").dnsSearch("corp.example").dnsOption("ndots:2")
                .extraHost("db:10.0.0.5").extraHost("gw:host-gateway");
        cli.stop(new dev.hutch.spec.StopPolicy("SIGUSR1", 3));
        assertEquals(cli.build(), dsl);
    }

    @Test
    void aForbiddenSysctlIsReportedAtItsLine() {
        ScriptFailure f = assertThrows(ScriptFailure.class, () -> spec("""
                container('web') {
                    image 'busybox'
                    sysctl 'vm.swappiness', 1
                }
                """));
        assertEquals("test.groovy:3", f.location());
        assertTrue(f.problem().startsWith("sysctl: \"vm.swappiness=1\" is not a namespaced sysctl"), f.problem());
    }

    @Test
    void usernsMapsToTheFlag() {
        ContainerSpec dsl = spec("""
                container('u') {
                    image 'busybox'
                    userns 'auto:size=4096'
                    volume '/srv/data', '/data', idmap: true
                }
                """);
        assertEquals(4096, dsl.security().userns().size());
        assertTrue(dsl.mounts().get(0).idmapped(), dsl.mounts().toString());
        assertEquals("auto:size=4096", dsl.security().userns().toString());
        ScriptFailure f = assertThrows(ScriptFailure.class, () -> spec("""
                container('u') {
                    image 'busybox'
                    userns 'keep-id'
                }
                """));
        assertEquals("test.groovy:3", f.location());
        assertTrue(f.problem().contains("\"keep-id\" is not a user namespace mode"), f.problem());
    }

    @Test
    void aBadCapabilityIsReportedAtItsLine() {
        ScriptFailure f = assertThrows(ScriptFailure.class, () -> spec("""
                container('web') {
                    image 'busybox'
                    capAdd 'SYS_FOO'
                }
                """));
        assertEquals("test.groovy:3", f.location());
        assertTrue(f.problem().startsWith("capAdd: \"SYS_FOO\" is not a capability"), f.problem());
    }

    @Test
    void namespaceVolumesFromAndDeviceIoWordsGiveTheCliSpec() {
        ContainerSpec dsl = spec("""
                container('app') {
                    image 'busybox'
                    ipc 'container:db'
                    pid 'container:db'
                    uts 'host'
                    cgroupns 'host'
                    volumesFrom 'db:ro', 'logs'
                    deviceReadIops '/dev/vda', 1000
                    deviceWriteIops '/dev/vda', 500
                    blkioWeightDevice '/dev/vda', 200
                }
                """);
        assertEquals(new dev.hutch.spec.NamespaceSharing("container:db", "container:db", "host", "host"), dsl.namespaces());
        assertEquals(null, dsl.hostname(), "uts 'host': the host's name, not the container's");
        assertEquals(List.of("db:ro", "logs"), dsl.volumesFrom());
        assertEquals(List.of(new dev.hutch.spec.Resources.DeviceIops("/dev/vda", 1000)), dsl.resources().deviceReadIops());
        assertEquals(List.of(new dev.hutch.spec.Resources.DeviceIops("/dev/vda", 500)), dsl.resources().deviceWriteIops());
        assertEquals(List.of(new dev.hutch.spec.Resources.DeviceWeight("/dev/vda", 200)), dsl.resources().blkioWeightDevice());
        Exception e = assertThrows(Exception.class, () -> spec("""
                container('app') {
                    image 'busybox'
                    blkioWeightDevice '/dev/vda', 5
                }
                """));
        assertTrue(e.getMessage().contains("blkioWeightDevice") || e.getMessage().contains("--blkio-weight-device"), e.getMessage());
    }
}
