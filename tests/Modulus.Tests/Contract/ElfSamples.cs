using System.Buffers.Binary;
using System.Runtime.InteropServices;
using Modulus.Contract;

namespace Modulus.Tests.Contract;

/// <summary>The first bytes of ELF programs: this machine's own (/bin/ls), and headers laid out by the System V ABI for the others.</summary>
public static class ElfSamples
{
    public static byte[] Aarch64 => Header(ElfHeader.MachineAarch64, bits: 64, littleEndian: true);

    public static byte[] X86_64 => Header(ElfHeader.MachineX86_64, bits: 64, littleEndian: true);

    /// <summary>
    /// An ELF header of <see cref="Modulus.Layers.LayerReaderEntry.MaxHeadBytes"/> bytes and a little
    /// body: e_ident (magic, class, data, version, System V OS ABI), e_type ET_EXEC, e_machine, e_version.
    /// </summary>
    public static byte[] Header(ushort machine, int bits, bool littleEndian, int length = 200)
    {
        var bytes = new byte[length];
        "\u007fELF"u8.CopyTo(bytes);
        bytes[4] = (byte)(bits == 64 ? 2 : 1);
        bytes[5] = (byte)(littleEndian ? 1 : 2);
        bytes[6] = 1;
        Write16(bytes.AsSpan(16), 2, littleEndian);
        Write16(bytes.AsSpan(18), machine, littleEndian);
        if (littleEndian) BinaryPrimitives.WriteUInt32LittleEndian(bytes.AsSpan(20), 1);
        else BinaryPrimitives.WriteUInt32BigEndian(bytes.AsSpan(20), 1);
        return bytes;
    }

    /// <summary>The first 64 bytes of /bin/ls, a real program of this machine.</summary>
    public static byte[] HostProgram()
    {
        using var file = File.OpenRead("/bin/ls");
        var head = new byte[64];
        file.ReadExactly(head);
        return head;
    }

    /// <summary>This machine's architecture as image configs name it.</summary>
    public static string HostArchitecture => Modulus.Oci.Platform.MachineArchitecture;

    private static void Write16(Span<byte> at, ushort value, bool littleEndian)
    {
        if (littleEndian) BinaryPrimitives.WriteUInt16LittleEndian(at, value);
        else BinaryPrimitives.WriteUInt16BigEndian(at, value);
    }
}
