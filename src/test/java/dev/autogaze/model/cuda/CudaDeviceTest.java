package dev.autogaze.model.cuda;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** Spark GPU addresses to CUDA devices, on a synthetic device list (no GPU needed). */
class CudaDeviceTest {

    private static final CudaDevice A = new CudaDevice(0, "NVIDIA H200", 9, 0, 150L << 30,
            "GPU-3f2a0b11-2222-3333-4444-555566667777", 132);
    private static final CudaDevice B = new CudaDevice(1, "NVIDIA H200", 9, 0, 150L << 30,
            "GPU-9e00aa11-2222-3333-4444-555566667777", 132);

    @Test
    void ordinalsUuidsAndUniqueUuidPrefixesNameTheirDevice() {
        assertEquals(B, CudaDevice.resolve("1", List.of(A, B)));
        assertEquals(A, CudaDevice.resolve(" 0 ", List.of(A, B)));
        assertEquals(B, CudaDevice.resolve("GPU-9e00aa11-2222-3333-4444-555566667777", List.of(A, B)));
        assertEquals(A, CudaDevice.resolve("gpu-3F2A", List.of(A, B)));
        assertEquals(B, CudaDevice.resolve("MIG-9e00aa11-2222-3333-4444-555566667777", List.of(A, B)),
                "a MIG instance's UUID names the device CUDA enumerates for it");
        assertEquals(A, CudaDevice.resolve(null, List.of(A, B)), "no address: device 0");
    }

    @Test
    void anAddressThatNamesNoDeviceFailsListingTheDevicesPresent() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> CudaDevice.resolve("2", List.of(A, B)));
        assertEquals("GPU address '2' names no CUDA device; present: 0 = GPU-3f2a0b11-2222-3333-4444-555566667777, "
                + "1 = GPU-9e00aa11-2222-3333-4444-555566667777", e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> CudaDevice.resolve("GPU-", List.of(A, B)),
                "a prefix shared by two devices is ambiguous");
        assertThrows(IllegalArgumentException.class, () -> CudaDevice.resolve("99999999999", List.of(A, B)));
    }

    @Test
    void uuidsPrintLikeNvidiaSmi() {
        byte[] b = new byte[16];
        for (int i = 0; i < 16; i++) {
            b[i] = (byte) (i * 17);
        }
        assertEquals("GPU-00112233-4455-6677-8899-aabbccddeeff", CudaDevice.uuidString(b));
        assertEquals("sm_90", A.arch());
    }
}
