package dev.hutch.security;

import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** The pre-compiled default filter is exactly what the compiler makes today. */
class DefaultSeccompFilterTest {

    @Test
    void thePrecompiledDefaultIsCurrent() throws Exception {
        String compiled = SecurityPlan.hex(SeccompCompiler.compile(SeccompProfile.parse(SeccompProfile.defaultJson(), "default"),
                new HashSet<>(Capabilities.DEFAULT), SyscallArch.x86_64(), "4.8"));
        if (Boolean.getBoolean("hutch.updateDocs")) {
            Path src = Path.of(System.getProperty("hutch.repo.root", ".."))
                    .resolve("engine/src/main/java/dev/hutch/security/DefaultSeccompFilter.java");
            String text = Files.readString(src);
            StringBuilder lit = new StringBuilder();
            for (int i = 0; i < compiled.length(); i += 96) {
                lit.append(i == 0 ? "" : "\n            + ").append('"').append(compiled, i, Math.min(compiled.length(), i + 96)).append('"');
            }
            text = text.replaceAll("(?s)static final String X86_64 = .*?;\n", "static final String X86_64 = " + lit.toString().replace("\\", "\\\\").replace("$", "\\$") + ";\n");
            Files.writeString(src, text);
        }
        assertEquals(compiled, DefaultSeccompFilter.X86_64,
                "DefaultSeccompFilter is stale: regenerate it with -DargLine=-Dhutch.updateDocs=true");
    }

    @Test
    void thePlanUsesItOnlyForTheDefaultCase() {
        SecurityPlanner.HostDevices none = path -> { throw new AssertionError(path); };
        assertEquals(DefaultSeccompFilter.X86_64,
                SecurityPlanner.plan(dev.hutch.spec.SecurityOptions.DEFAULT, none, SyscallArch.x86_64(), "6.1.0").seccompHex());
        String admin = SecurityPlanner.plan(dev.hutch.spec.SecurityOptions.builder().capAdd("SYS_ADMIN").build(), none,
                SyscallArch.x86_64(), "6.1.0").seccompHex();
        org.junit.jupiter.api.Assertions.assertNotEquals(DefaultSeccompFilter.X86_64, admin);
        String oldKernel = SecurityPlanner.plan(dev.hutch.spec.SecurityOptions.DEFAULT, none, SyscallArch.x86_64(), "4.4.0").seccompHex();
        org.junit.jupiter.api.Assertions.assertNotEquals(DefaultSeccompFilter.X86_64, oldKernel, "no ptrace before 4.8");
    }
}
