using System.Formats.Tar;
using System.Text.RegularExpressions;
using Modulus.Layers;
using Modulus.Tests.TestSupport;
using static Modulus.Tests.Layers.LayerTestKit;

namespace Modulus.Tests.Layers;

/// <summary>Entries that do not fit ustar: PAX headers only where needed, readable by TarReader and GNU tar.</summary>
public partial class LongNameTests
{
    private static readonly string Segment50 = new('s', 50);

    public static IEnumerable<TestCaseData> Cases()
    {
        yield return Case("a 120-byte path split into ustar prefix and name", File($"/{Segment50}/{Segment50}/{new string('n', 17)}", "x"), TarEntryFormat.Ustar);
        yield return Case("a single 150-byte name that cannot be split", File("/" + new string('n', 150), "x"), TarEntryFormat.Pax);
        yield return Case("a path over 255 bytes", File($"/{Segment50}/{Segment50}/{Segment50}/{Segment50}/{Segment50}/{Segment50}/file", "x"), TarEntryFormat.Pax);
        yield return Case("a long directory name", new DirectoryEntry(P("/" + new string('d', 120))), TarEntryFormat.Pax);
        yield return Case("non-ASCII names", File("/opt/café/naïve-日本.txt", "x"), TarEntryFormat.Pax);
        yield return Case("a 150-byte symlink target", new SymlinkEntry(P("/link"), "/" + new string('t', 149)), TarEntryFormat.Pax);
        yield return Case("a non-ASCII symlink target", new SymlinkEntry(P("/link"), "ünïcode"), TarEntryFormat.Pax);
        yield return Case("a uid over the ustar limit", new FileEntry(P("/big-uid"), FileContent.FromText("x"), 3_000_000, 4_000_000), TarEntryFormat.Pax);
    }

    private static TestCaseData Case(string description, LayerEntry entry, TarEntryFormat format) =>
        new TestCaseData(entry, format).SetArgDisplayNames(description);

    private static TarEntry ReadEntry(Written layer, LayerEntry entry)
    {
        using var reader = new TarReader(new MemoryStream(layer.Tar));
        var name = entry.Path.TarName + (entry is DirectoryEntry ? "/" : "");
        while (reader.GetNextEntry() is { } read)
            if (read.Name == name) return read;
        Assert.Fail($"'{name}' is not in the layer:\n{layer.Listing}");
        return null!;
    }

    [TestCaseSource(nameof(Cases))]
    public void TarReader_reads_back_the_exact_values(LayerEntry entry, TarEntryFormat format)
    {
        var read = ReadEntry(Write([entry]), entry);

        read.Format.ShouldBe(format);
        read.Uid.ShouldBe(entry.Uid);
        read.Gid.ShouldBe(entry.Gid);
        if (entry is SymlinkEntry symlink) read.LinkName.ShouldBe(symlink.Target);
    }

    [TestCaseSource(nameof(Cases))]
    public void PAX_header_names_depend_on_the_entry_not_on_the_process(LayerEntry entry, TarEntryFormat format)
    {
        var names = RawHeaderNames(Write([entry]).Tar);

        names.ShouldNotContain(n => ProcessIdPaxName().IsMatch(n));
        var paxNames = names.Where(n => n.StartsWith("PaxHeaders", StringComparison.Ordinal)).ToList();
        if (format == TarEntryFormat.Ustar) paxNames.ShouldBeEmpty();
        else paxNames.ShouldContain(AsciiCut("PaxHeaders/" + entry.Path.Name), $"header names: {string.Join(", ", names)}");
    }

    private static string AsciiCut(string name)
    {
        var ascii = new string(name.Select(c => char.IsAscii(c) ? c : '_').ToArray());
        return ascii[..Math.Min(ascii.Length, 100)];
    }

    [TestCaseSource(nameof(Cases))]
    public void GNU_tar_lists_the_entry(LayerEntry entry, TarEntryFormat format)
    {
        var tar = Tools.Require("tar");
        using var temp = new TempDirectory("layers");
        var layerPath = temp.Combine("layer.tar.gz");
        System.IO.File.WriteAllBytes(layerPath, Write([entry]).Blob);

        var listed = Tools.RunChecked(tar, ["--quoting-style=literal", "--numeric-owner", "-tvzf", layerPath],
            environment: new Dictionary<string, string?> { ["LC_ALL"] = "C.UTF-8" }).StdOut;

        var name = entry.Path.TarName + (entry is DirectoryEntry ? "/" : "");
        listed.ShouldContain($" {name}");
        listed.ShouldContain($"{entry.Uid}/{entry.Gid}");
        if (entry is SymlinkEntry symlink) listed.ShouldContain($"{name} -> {symlink.Target}");
    }

    [GeneratedRegex(@"PaxHeaders\.\d+")]
    private static partial Regex ProcessIdPaxName();
}
