using System.Security.Cryptography;
using Modulus.Layers;
using Modulus.Oci;
using static Modulus.Tests.Layers.LayerTestKit;

namespace Modulus.Tests.Layers;

public class LayerWriterTests
{
    private static LayerEntry[] Sample() =>
    [
        File("/etc/hostname", "modulus\n"),
        new DirectoryEntry(P("/opt/app"), 1000, 1000, Octal("0750")),
        File("/opt/app/run", "#!/bin/sh\necho hello\n", Octal("4755"), 1000, 1000),
        new HardLinkEntry(P("/opt/app/run-again"), P("/opt/app/run")),
        new SymlinkEntry(P("/usr/bin/run"), "../../opt/app/run"),
        new WhiteoutEntry(P("/var/cache/old")),
    ];

    internal static int Octal(string digits) => Convert.ToInt32(digits, 8);

    [Test]
    public void A_fixed_declaration_gives_a_fixed_listing_and_exact_digests()
    {
        var layer = Write(Sample());

        layer.Listing.ShouldBe("""
            d 0755 0:0 0 etc/
            - 0644 0:0 8 etc/hostname
            d 0755 0:0 0 opt/
            d 0750 1000:1000 0 opt/app/
            - 4755 1000:1000 21 opt/app/run
            h 4755 1000:1000 0 opt/app/run-again -> opt/app/run
            d 0755 0:0 0 usr/
            d 0755 0:0 0 usr/bin/
            l 0777 0:0 0 usr/bin/run -> ../../opt/app/run
            d 0755 0:0 0 var/
            d 0755 0:0 0 var/cache/
            - 0000 0:0 0 var/cache/.wh.old

            """);
        // Change only on purpose: these digests change every image built from these inputs. The
        // diffID depends on our tar bytes alone; the digest also on the runtime's deflate, so a
        // runtime update that moves only the digest is a deflate change, not a tar change.
        (layer.Digests.DiffId.ToString(), layer.Digests.Digest.ToString()).ShouldBe(
            ("sha256:d67746847eb48857c6cd5fe17e89a81010d717cf9373029350e6b2ffa6c80c1d",
             "sha256:6b142e41290418d649b5aff663b240de08bf060083edc4aa74452a89a1e2d043"), "listing:\n" + layer.Listing);
    }

    [Test]
    public void The_digests_describe_the_bytes_written()
    {
        var layer = Write(Sample());

        layer.Digests.Digest.ShouldBe(Digest.FromSha256Hash(SHA256.HashData(layer.Blob)));
        layer.Digests.Size.ShouldBe(layer.Blob.Length);
        layer.Digests.DiffId.ShouldBe(Digest.FromSha256Hash(SHA256.HashData(layer.Tar)));
        layer.Digests.UncompressedSize.ShouldBe(layer.Tar.Length);
        (layer.Tar.Length % 512).ShouldBe(0);
        layer.Tar[^1024..].ShouldAllBe(b => b == 0, "the archive ends with two zero blocks");
    }

    [Test]
    public void Two_writes_of_the_same_inputs_are_byte_identical()
    {
        Write(Sample()).Blob.ShouldBe(Write(Sample()).Blob);
    }

    [Test]
    public void The_declaration_order_does_not_matter()
    {
        var forward = Write(Sample());
        var reversed = Write(Sample().Reverse());
        var shuffled = Write(Sample().OrderBy(e => e.Path.Name.Length));

        reversed.Blob.ShouldBe(forward.Blob);
        shuffled.Blob.ShouldBe(forward.Blob);
    }

    public static IEnumerable<TestCaseData> Changes()
    {
        yield return new TestCaseData((Func<LayerEntry[], LayerEntry[]>)(e => [File("/etc/hostname", "modulus!\n"), .. e[1..]]))
            .SetArgDisplayNames("one file's content");
        yield return new TestCaseData((Func<LayerEntry[], LayerEntry[]>)(e => [File("/etc/hostname", "modulus\n", Octal("0600")), .. e[1..]]))
            .SetArgDisplayNames("one file's mode");
        yield return new TestCaseData((Func<LayerEntry[], LayerEntry[]>)(e => [File("/etc/hostname", "modulus\n", uid: 1), .. e[1..]]))
            .SetArgDisplayNames("one file's owner");
        yield return new TestCaseData((Func<LayerEntry[], LayerEntry[]>)(e => [.. e, new DirectoryEntry(P("/srv"))]))
            .SetArgDisplayNames("one more directory");
    }

    [TestCaseSource(nameof(Changes))]
    public void Changing_one_input_changes_both_digests(Func<LayerEntry[], LayerEntry[]> change)
    {
        var before = Write(Sample()).Digests;
        var after = Write(change(Sample())).Digests;

        after.DiffId.ShouldNotBe(before.DiffId);
        after.Digest.ShouldNotBe(before.Digest);
    }

    [Test]
    public void Changing_the_timestamp_changes_the_digests()
    {
        Write(Sample(), LayerWriterOptions.Default).Digests.DiffId.ShouldNotBe(Write(Sample()).Digests.DiffId);
    }

    [Test]
    public void The_gzip_header_carries_no_time_and_no_host_os()
    {
        var blob = Write(Sample()).Blob;

        blob[..4].ShouldBe(new byte[] { 0x1f, 0x8b, 8, 0 }, "gzip magic, deflate, no optional fields");
        blob[4..8].ShouldBe(new byte[4], "MTIME must be zero");
        blob[9].ShouldBe((byte)255, "OS must be 'unknown'");
    }

    [Test]
    public void Identical_declarations_are_written_once()
    {
        using var temp = new TestSupport.TempDirectory();
        var host = temp.WriteFile("hostname", "modulus\n");
        LayerEntry[] twice =
        [
            new FileEntry(P("/etc/hostname"), FileContent.FromFile(host)),
            new FileEntry(P("/etc/hostname"), FileContent.FromFile(host)),
            File("/etc/motd", "hi"), File("/etc/motd", "hi"),
            new DirectoryEntry(P("/etc")), new DirectoryEntry(P("/etc")),
        ];

        Write(twice).Listing.ShouldBe("""
            d 0755 0:0 0 etc/
            - 0644 0:0 8 etc/hostname
            - 0644 0:0 2 etc/motd

            """);
    }

    [Test]
    public void A_hard_link_sorted_before_its_file_carries_the_content_and_the_file_links_to_it()
    {
        var layer = Write([File("/z/data", "payload"), new HardLinkEntry(P("/a/data"), P("/z/data"))]);

        layer.Listing.ShouldBe("""
            d 0755 0:0 0 a/
            - 0644 0:0 7 a/data
            d 0755 0:0 0 z/
            h 0644 0:0 0 z/data -> a/data

            """);
    }
}
