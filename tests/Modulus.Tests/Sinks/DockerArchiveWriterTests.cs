using System.Formats.Tar;
using System.Text.Json.Nodes;
using Modulus.Diagnostics;
using Modulus.Images;
using Modulus.Sinks;
using Modulus.Storage;
using Modulus.Tests.Sources;
using Modulus.Tests.TestSupport;

namespace Modulus.Tests.Sinks;

public class DockerArchiveWriterTests : StoreTest
{
    protected override string FolderPrefix => "sink";

    [Test]
    public void The_tar_holds_a_docker_manifest_and_an_oci_layout_in_sorted_ustar_entries()
    {
        var image = TestImages.Hello(Store, "hi");
        var tar = Temp.Combine("image.tar");
        DockerArchiveWriter.Write(image, tar, ["example/hello:v1"]);

        var entries = ReadAll(tar);
        var blob = (string encoded) => $"blobs/sha256/{encoded}";
        entries.Select(e => e.Entry.Name).ShouldBe(new[]
        {
            "blobs/", "blobs/sha256/",
            blob(image.ManifestDigest.Encoded), blob(image.ConfigDigest.Encoded), blob(image.Layers[0].Digest.Encoded),
            "index.json", "manifest.json", "oci-layout",
        }.Order(StringComparer.Ordinal));
        entries.ShouldAllBe(e => e.Entry.Format == TarEntryFormat.Ustar && e.Entry.ModificationTime == DateTimeOffset.UnixEpoch
            && e.Entry.Uid == 0 && e.Entry.Gid == 0 && ((UstarTarEntry)e.Entry).UserName == "" && ((UstarTarEntry)e.Entry).GroupName == "");

        var text = entries.ToDictionary(e => e.Entry.Name, e => System.Text.Encoding.UTF8.GetString(e.Data));
        var manifest = JsonNode.Parse(text["manifest.json"])!.AsArray().ShouldHaveSingleItem()!;
        manifest["Config"]!.GetValue<string>().ShouldBe(blob(image.ConfigDigest.Encoded));
        manifest["RepoTags"]!.AsArray().Select(t => t!.GetValue<string>()).ShouldBe(["example/hello:v1"]);
        manifest["Layers"]!.AsArray().Select(t => t!.GetValue<string>()).ShouldBe([blob(image.Layers[0].Digest.Encoded)]);
        text["index.json"].ShouldContain("\"io.containerd.image.name\":\"example/hello:v1\"");
    }

    [Test]
    public void The_same_image_always_gives_the_same_bytes()
    {
        var image = TestImages.Hello(Store, "hi");
        DockerArchiveWriter.Write(image, Temp.Combine("a.tar"), ["app:1"]);
        DockerArchiveWriter.Write(TestImages.Hello(Store, "hi"), Temp.Combine("b.tar"), ["app:1"]);
        File.ReadAllBytes(Temp.Combine("a.tar")).ShouldBe(File.ReadAllBytes(Temp.Combine("b.tar")));
    }

    [Test]
    public void A_failing_write_leaves_the_previous_tar_intact_and_no_temp_files()
    {
        var tar = Temp.Combine("image.tar");
        DockerArchiveWriter.Write(TestImages.Hello(Store, "first"), tar, ["app:1"]);
        var before = File.ReadAllBytes(tar);
        var broken = TestImages.WithoutLayerBlob(TestImages.Hello(Store, "second"));

        Should.Throw<ModulusException>(() => DockerArchiveWriter.Write(broken, tar, ["app:1"])).Code.ShouldBe("MOD2211");
        File.ReadAllBytes(tar).ShouldBe(before);
        Directory.GetFileSystemEntries(Temp.Path).Select(Path.GetFileName).Order().ShouldBe(["image.tar", "store"]);
    }

    /// <summary>The entries of a tar in archive order, with their data.</summary>
    private static List<(TarEntry Entry, byte[] Data)> ReadAll(string tar)
    {
        using var reader = new TarReader(File.OpenRead(tar));
        var result = new List<(TarEntry, byte[])>();
        while (reader.GetNextEntry(copyData: true) is { } entry)
        {
            using var data = new MemoryStream();
            entry.DataStream?.CopyTo(data);
            result.Add((entry, data.ToArray()));
        }
        return result;
    }
}
