using Modulus.Diagnostics;
using Modulus.Layers;
using static Modulus.Tests.Layers.LayerTestKit;

namespace Modulus.Tests.Layers;

public class LayerErrorTests
{
    public static IEnumerable<TestCaseData> Refused()
    {
        yield return Case("MOD2107", "the same file with different content", File("/etc/a", "one"), File("/etc/a", "two"));
        yield return Case("MOD2107", "the same file with different modes", File("/etc/a", "one"), File("/etc/a", "one", Octal("0600")));
        yield return Case("MOD2107", "a file and a directory at one path", File("/etc/a", "one"), new DirectoryEntry(P("/etc/a")));
        yield return Case("MOD2107", "a file used as a parent directory", File("/etc", "one"), File("/etc/a", "two"));
        yield return Case("MOD2107", "a symlink used as a parent directory", new SymlinkEntry(P("/lib"), "usr/lib"), File("/lib/x.so", "x"));
        yield return Case("MOD2107", "a whiteout and a file at its .wh. path", new WhiteoutEntry(P("/a/b")), File("/a/.wh.b", "x"));
        yield return Case("MOD2108", "a hard link to a missing file", new HardLinkEntry(P("/a"), P("/b")));
        yield return Case("MOD2108", "a hard link to a directory", new DirectoryEntry(P("/b")), new HardLinkEntry(P("/a"), P("/b")));
        yield return Case("MOD2108", "a hard link to a symlink", new SymlinkEntry(P("/b"), "c"), new HardLinkEntry(P("/a"), P("/b")));
        yield return Case("MOD2108", "a hard link to a hard link", File("/c", "x"), new HardLinkEntry(P("/b"), P("/c")), new HardLinkEntry(P("/a"), P("/b")));
        yield return Case("MOD2109", "content shorter than its length", new FileEntry(P("/short"), new LyingContent(10, 4)));
        yield return Case("MOD2109", "content longer than its length", new FileEntry(P("/long"), new LyingContent(4, 70_000)));
        yield return Case("MOD2110", "an empty symlink target", new SymlinkEntry(P("/l"), ""));
        yield return Case("MOD2110", "a symlink target with a NUL", new SymlinkEntry(P("/l"), "a\0b"));
        yield return Case("MOD5003", "the root as an entry", new DirectoryEntry(UnixPath.Root));
        yield return Case("MOD5004", "a mode beyond 07777", File("/a", "x", Octal("10000")));
        yield return Case("MOD5005", "a negative uid", File("/a", "x", uid: -1));
    }

    private static int Octal(string digits) => Convert.ToInt32(digits, 8);

    private static TestCaseData Case(string code, string description, params LayerEntry[] entries) =>
        new TestCaseData(code, entries).SetArgDisplayNames($"{code}: {description}");

    [TestCaseSource(nameof(Refused))]
    public void Bad_declarations_fail_with_their_code(string code, LayerEntry[] entries)
    {
        var error = Should.Throw<ModulusException>(() => LayerWriter.Write(entries, Stream.Null, Options));

        error.Code.ShouldBe(code, error.Message);
    }

    [Test]
    public void The_conflict_message_names_the_path_and_both_declarations()
    {
        var error = Should.Throw<ModulusException>(() => LayerWriter.Write([File("/etc/a", "one"), File("/etc/a", "three")], Stream.Null, Options));

        error.Message.ShouldContain("'/etc/a'");
        error.Message.ShouldContain("3 bytes");
        error.Message.ShouldContain("5 bytes");
    }

    [Test]
    public void A_changed_source_names_the_file_and_both_sizes()
    {
        var error = Should.Throw<ModulusException>(() => LayerWriter.Write([new FileEntry(P("/short"), new LyingContent(10, 4))], Stream.Null, Options));

        error.Message.ShouldContain("a lying source");
        error.Message.ShouldContain("10 bytes declared, 4 read");
    }

    [Test]
    public void A_missing_host_file_is_MOD5002()
    {
        Should.Throw<ModulusException>(() => FileContent.FromFile("/nonexistent/modulus/file")).Code.ShouldBe("MOD5002");
    }

    /// <summary>Declares one length and yields another, like a file written to while a layer is built.</summary>
    private sealed class LyingContent(long declared, int actual) : FileContent
    {
        public override long Length => declared;

        public override Stream OpenRead() => new MemoryStream(new byte[actual]);

        public override string Describe() => "a lying source";
    }
}
