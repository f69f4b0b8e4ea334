package dev.hutch.cgroup;

import dev.hutch.spec.InvalidSpecException;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class CgroupNamesAndDevicesTest {

    @Test
    void devNumbersSplitLikeGlibc() {
        // makedev(254, 0), makedev(8, 17), makedev(259, 65536): the last one uses the high bits
        assertEquals(254, DeviceNumbers.major(0xfe00L));
        assertEquals(0, DeviceNumbers.minor(0xfe00L));
        assertEquals(8, DeviceNumbers.major(0x811L));
        assertEquals(17, DeviceNumbers.minor(0x811L));
        long big = (259L & 0xfff) << 8 | (65536L & 0xff) | ((65536L & ~0xffL) << 12) | ((259L & ~0xfffL) << 32);
        assertEquals(259, DeviceNumbers.major(big));
        assertEquals(65536, DeviceNumbers.minor(big));
    }

    @Test
    void aCharacterDeviceOrAMissingPathIsRefusedWithTheFlag() {
        InvalidSpecException e = assertThrows(InvalidSpecException.class, () -> DeviceNumbers.host().majorMinor("--device-read-bps", "/dev/null"));
        assertEquals("--device-read-bps", e.field());
        assertTrue(e.getMessage().contains("not a block device"), e.getMessage());
        e = assertThrows(InvalidSpecException.class, () -> DeviceNumbers.host().majorMinor("--device-write-bps", "/dev/hutch-no-such-disk"));
        assertTrue(e.getMessage().contains("does not exist"), e.getMessage());
    }

    @Test
    void writerHintsForTheCommonRefusals() {
        CgroupWrite w = new CgroupWrite(java.nio.file.Path.of("/x/memory.limit_in_bytes"), "4096", "--memory", "4096");
        assertTrue(CgroupWriter.hint(w, "Device or resource busy").contains("already uses more memory"));
        assertEquals("", CgroupWriter.hint(new CgroupWrite(java.nio.file.Path.of("/x/pids.max"), "1", "--pids-limit", "1"), "Invalid argument"));
    }

    @Test
    void createDefaultsDoubleMemoryForSwapOnlyWhenSwapIsUnset() {
        var r = dev.hutch.spec.Resources.builder().memory(100L << 20).build();
        assertEquals(200L << 20, CreateDefaults.apply(r).memorySwap());
        var given = dev.hutch.spec.Resources.builder().memory(100L << 20).memorySwap(100L << 20).build();
        assertEquals(100L << 20, CreateDefaults.apply(given).memorySwap());
        assertEquals(null, CreateDefaults.apply(dev.hutch.spec.Resources.NONE).memorySwap());
    }
}
