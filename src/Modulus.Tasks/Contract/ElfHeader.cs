using System.Buffers.Binary;

namespace Modulus.Contract;

/// <summary>
/// What the start of an ELF file says about the machine it runs on: its class (32 or 64 bits), its
/// byte order and its e_machine, read from the first 20 bytes (System V ABI, "ELF Header"). The
/// bytes come from image layers, which are hostile input: anything that is not a whole, plausible
/// header gives null, never an exception.
/// </summary>
public sealed record ElfHeader(int Bits, bool LittleEndian, ushort Machine)
{
    /// <summary>e_ident (16 bytes), e_type (2), e_machine (2).</summary>
    public const int MinimumBytes = 20;

    private const byte ClassBits32 = 1;
    private const byte ClassBits64 = 2;
    private const byte DataLittleEndian = 1;
    private const byte DataBigEndian = 2;
    private const byte CurrentVersion = 1;

    /// <summary>e_machine values (the ABI's EM_ names) of the architectures images are built for.</summary>
    public const ushort Machine386 = 3;
    public const ushort MachinePpc64 = 21;
    public const ushort MachineS390 = 22;
    public const ushort MachineArm = 40;
    public const ushort MachineX86_64 = 62;
    public const ushort MachineAarch64 = 183;
    public const ushort MachineRiscV = 243;

    /// <summary>The header at the start of <paramref name="bytes"/>, or null when they do not begin with one.</summary>
    public static ElfHeader? Parse(ReadOnlySpan<byte> bytes)
    {
        if (bytes.Length < MinimumBytes || !bytes[..4].SequenceEqual("\u007fELF"u8)) return null;
        var bits = bytes[4] switch { ClassBits32 => 32, ClassBits64 => 64, _ => 0 };
        var little = bytes[5] switch { DataLittleEndian => (bool?)true, DataBigEndian => false, _ => null };
        if (bits == 0 || little is null || bytes[6] != CurrentVersion) return null;
        var machine = little.Value ? BinaryPrimitives.ReadUInt16LittleEndian(bytes[18..]) : BinaryPrimitives.ReadUInt16BigEndian(bytes[18..]);
        return new ElfHeader(bits, little.Value, machine);
    }

    /// <summary>
    /// The OCI architecture (Go's GOARCH names, as image configs write them) this header's programs
    /// run on, or null for a combination no Linux image platform uses (x32, ILP32 arm64, big-endian
    /// arm64, 32-bit s390): the rules must not guess.
    /// </summary>
    public string? Architecture => (Machine, Bits, LittleEndian) switch
    {
        (MachineX86_64, 64, true) => "amd64",
        (MachineAarch64, 64, true) => "arm64",
        (MachineArm, 32, true) => "arm",
        (Machine386, 32, true) => "386",
        (MachineS390, 64, false) => "s390x",
        (MachinePpc64, 64, true) => "ppc64le",
        (MachinePpc64, 64, false) => "ppc64",
        (MachineRiscV, 64, true) => "riscv64",
        _ => null,
    };
}
