using System.Runtime.InteropServices;

namespace Modulus.Layers.Gzip;

/// <summary>
/// The CRC-32 of gzip's trailer (ISO 3309, reflected, polynomial 0xEDB88320). It calls the zlib the
/// runtime ships, which computes it with carry-less multiplication where the processor has it; a
/// table is the fallback where that zlib's exports are not found (another runtime than the one
/// this was built against). Both give the same value.
/// </summary>
internal static class Crc32
{
    private static bool? _zlibFound;
    private static readonly Lazy<uint[]> Table = new(BuildTable);

    /// <summary>Whether the last <see cref="Append"/> used the runtime's zlib (false: the table, where its export is missing).</summary>
    internal static bool UsesRuntimeZlib => _zlibFound == true;

    /// <summary>The CRC of what <paramref name="crc"/> covered followed by <paramref name="data"/>; start from 0.</summary>
    public static uint Append(uint crc, ReadOnlySpan<byte> data)
    {
        if (data.IsEmpty) return crc;
        if (_zlibFound != false)
        {
            try
            {
                var result = Native(crc, data);
                _zlibFound = true;
                return result;
            }
            catch (Exception e) when (e is DllNotFoundException or EntryPointNotFoundException)
            {
                _zlibFound = false;
            }
        }
        return Managed(crc, data);
    }

    // A ref to a blittable byte is passed pinned, as a pointer.
    private static uint Native(uint crc, ReadOnlySpan<byte> data) =>
        NativeCrc32(crc, ref MemoryMarshal.GetReference(data), data.Length);

    internal static uint Managed(uint crc, ReadOnlySpan<byte> data)
    {
        var table = Table.Value;
        crc = ~crc;
        foreach (var b in data) crc = table[(crc ^ b) & 0xFF] ^ (crc >> 8);
        return ~crc;
    }

    private static uint[] BuildTable()
    {
        var table = new uint[256];
        for (uint n = 0; n < 256; n++)
        {
            var c = n;
            for (var k = 0; k < 8; k++) c = (c & 1) != 0 ? 0xEDB88320u ^ (c >> 1) : c >> 1;
            table[n] = c;
        }
        return table;
    }

    // Without "lib" and ".so": the runtime's probing adds them on Linux and ".dll" on Windows.
    [DllImport("System.IO.Compression.Native", EntryPoint = "CompressionNative_Crc32")]
    private static extern uint NativeCrc32(uint crc, ref byte buffer, int length);
}
