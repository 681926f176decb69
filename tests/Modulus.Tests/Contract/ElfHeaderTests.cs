using Modulus.Contract;

namespace Modulus.Tests.Contract;

public class ElfHeaderTests
{
    [Test]
    public void A_real_program_of_this_machine_is_this_machine_s_architecture()
    {
        var header = ElfHeader.Parse(ElfSamples.HostProgram()).ShouldNotBeNull();

        header.Architecture.ShouldBe(ElfSamples.HostArchitecture);
        header.LittleEndian.ShouldBe(BitConverter.IsLittleEndian);
    }

    [Test]
    public void The_header_of_dotnet_s_x64_apphost_is_amd64()
    {
        var apphost = Directory.EnumerateFiles("/usr/share/dotnet/packs", "apphost", SearchOption.AllDirectories)
            .FirstOrDefault(p => p.Contains("linux-x64", StringComparison.Ordinal));
        if (apphost is null) Assert.Ignore("no linux-x64 apphost on this machine");
        var head = new byte[64];
        using (var file = File.OpenRead(apphost)) file.ReadExactly(head);

        ElfHeader.Parse(head).ShouldNotBeNull().Architecture.ShouldBe("amd64");
    }

    [TestCase(ElfHeader.MachineX86_64, 64, true, "amd64")]
    [TestCase(ElfHeader.MachineAarch64, 64, true, "arm64")]
    [TestCase(ElfHeader.MachineArm, 32, true, "arm")]
    [TestCase(ElfHeader.Machine386, 32, true, "386")]
    [TestCase(ElfHeader.MachineS390, 64, false, "s390x")]
    [TestCase(ElfHeader.MachinePpc64, 64, true, "ppc64le")]
    [TestCase(ElfHeader.MachinePpc64, 64, false, "ppc64")]
    [TestCase(ElfHeader.MachineRiscV, 64, true, "riscv64")]
    public void A_header_laid_out_by_the_abi_names_its_architecture(int machine, int bits, bool little, string expected)
    {
        var header = ElfHeader.Parse(ElfSamples.Header((ushort)machine, bits, little)).ShouldNotBeNull();

        header.Machine.ShouldBe((ushort)machine);
        header.Bits.ShouldBe(bits);
        header.Architecture.ShouldBe(expected);
    }

    [TestCase(ElfHeader.MachineAarch64, 64, false, Description = "big-endian arm64")]
    [TestCase(ElfHeader.MachineAarch64, 32, true, Description = "arm64's ILP32")]
    [TestCase(ElfHeader.MachineX86_64, 32, true, Description = "x32")]
    [TestCase(ElfHeader.MachineS390, 32, false, Description = "31-bit s390")]
    [TestCase(0x1234, 64, true, Description = "a machine no image platform has")]
    public void A_combination_no_image_platform_uses_has_no_architecture(int machine, int bits, bool little) =>
        ElfHeader.Parse(ElfSamples.Header((ushort)machine, bits, little)).ShouldNotBeNull().Architecture.ShouldBeNull();

    [Test]
    public void The_machine_is_read_in_the_header_s_byte_order()
    {
        var big = ElfSamples.Header(ElfHeader.MachineS390, 64, littleEndian: false);

        big[18].ShouldBe((byte)0);
        big[19].ShouldBe((byte)22);
        ElfHeader.Parse(big)!.Machine.ShouldBe(ElfHeader.MachineS390);
    }

    [Test]
    public void Twenty_bytes_are_enough_and_nineteen_are_not()
    {
        var header = ElfSamples.Aarch64;

        ElfHeader.Parse(header.AsSpan(0, ElfHeader.MinimumBytes)).ShouldNotBeNull().Architecture.ShouldBe("arm64");
        for (var length = 0; length < ElfHeader.MinimumBytes; length++) ElfHeader.Parse(header.AsSpan(0, length)).ShouldBeNull($"{length} bytes");
    }

    public static IEnumerable<TestCaseData> NotHeaders()
    {
        yield return new TestCaseData(Array.Empty<byte>()).SetName("{m}(empty)");
        yield return new TestCaseData("#!/bin/sh\nexec app \"$@\"\n"u8.ToArray()).SetName("{m}(a script)");
        yield return new TestCaseData("\u007fELF bash"u8.ToArray()).SetName("{m}(the magic alone)");
        yield return new TestCaseData(With(ElfSamples.X86_64, 0, (byte)'x')).SetName("{m}(a wrong magic)");
        yield return new TestCaseData(With(ElfSamples.X86_64, 4, 3)).SetName("{m}(an unknown class)");
        yield return new TestCaseData(With(ElfSamples.X86_64, 4, 0)).SetName("{m}(class none)");
        yield return new TestCaseData(With(ElfSamples.X86_64, 5, 0)).SetName("{m}(byte order none)");
        yield return new TestCaseData(With(ElfSamples.X86_64, 5, 9)).SetName("{m}(an unknown byte order)");
        yield return new TestCaseData(With(ElfSamples.X86_64, 6, 2)).SetName("{m}(an unknown version)");
        yield return new TestCaseData(Enumerable.Repeat((byte)0xFF, 64).ToArray()).SetName("{m}(all ones)");
    }

    [TestCaseSource(nameof(NotHeaders))]
    public void Anything_but_a_whole_plausible_header_is_null(byte[] bytes) => ElfHeader.Parse(bytes).ShouldBeNull();

    [Test]
    public void Random_bytes_never_throw()
    {
        var random = new Random(4070);
        var magic = "\u007fELF"u8.ToArray();
        for (var i = 0; i < 20_000; i++)
        {
            var bytes = new byte[random.Next(0, 80)];
            random.NextBytes(bytes);
            // Half of them begin like an ELF file, so the checks after the magic are reached.
            if (i % 2 == 0 && bytes.Length >= 4) magic.CopyTo(bytes, 0);
            Should.NotThrow(() => ElfHeader.Parse(bytes)?.Architecture);
        }
    }

    private static byte[] With(byte[] bytes, int index, byte value)
    {
        bytes[index] = value;
        return bytes;
    }
}
