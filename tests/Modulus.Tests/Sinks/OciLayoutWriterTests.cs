using System.Text.Json.Nodes;
using Modulus.Diagnostics;
using Modulus.Images;
using Modulus.Oci;
using Modulus.Sinks;
using Modulus.Storage;
using Modulus.Tests.Sources;
using Modulus.Tests.TestSupport;

namespace Modulus.Tests.Sinks;

public class OciLayoutWriterTests : StoreTest
{
    protected override string FolderPrefix => "sink";

    [Test]
    public void The_layout_holds_every_blob_and_an_index_entry_per_tag()
    {
        var image = TestImages.Hello(Store, "hi");
        var layout = Temp.Combine("out", "layout");
        OciLayoutWriter.Write(image, layout, ["v1", "example.com/app:v2"]);

        File.ReadAllText(Path.Combine(layout, "oci-layout")).ShouldBe("{\"imageLayoutVersion\":\"1.0.0\"}");
        Directory.GetFiles(Path.Combine(layout, "blobs", "sha256")).Select(Path.GetFileName).Order().ShouldBe(
            new[] { image.ManifestDigest, image.ConfigDigest, image.Layers[0].Digest }.Select(d => d.Encoded).Order());
        File.ReadAllBytes(TestImages.BlobPath(layout, image.ManifestDigest)).ShouldBe(image.ManifestBytes);

        var entries = JsonNode.Parse(File.ReadAllText(Path.Combine(layout, "index.json")))!["manifests"]!.AsArray();
        entries.Count.ShouldBe(2);
        entries.ShouldAllBe(e => e!["digest"]!.GetValue<string>() == image.ManifestDigest.ToString());
        entries[0]!["annotations"]!.ToJsonString().ShouldBe("{\"org.opencontainers.image.ref.name\":\"v1\"}");
        entries[1]!["annotations"]!.ToJsonString().ShouldBe(
            "{\"org.opencontainers.image.ref.name\":\"v2\",\"io.containerd.image.name\":\"example.com/app:v2\"}");
    }

    [Test]
    public void An_invalid_tag_is_MOD5011_and_writes_nothing()
    {
        Should.Throw<ModulusException>(() => OciLayoutWriter.Write(TestImages.Hello(Store, "hi"), Temp.Combine("out"), ["app:-bad"]))
            .Code.ShouldBe("MOD5011");
        Directory.Exists(Temp.Combine("out")).ShouldBeFalse();
    }

    [Test]
    public void A_failing_write_leaves_the_previous_layout_intact_and_no_temp_files()
    {
        var layout = Temp.Combine("out");
        OciLayoutWriter.Write(TestImages.Hello(Store, "first"), layout, ["v1"]);
        var before = Snapshot(layout);

        var error = Should.Throw<ModulusException>(() => OciLayoutWriter.Write(TestImages.WithoutLayerBlob(TestImages.Hello(Store, "second")), layout, ["v1"]));
        error.Code.ShouldBe("MOD2211");
        error.Message.ShouldContain(layout);

        Snapshot(layout).ShouldBe(before);
        Directory.GetFileSystemEntries(Temp.Path).Select(Path.GetFileName).Order().ShouldBe(["out", "store"]);
    }

    [Test]
    public void A_second_write_replaces_the_layout()
    {
        var layout = Temp.Combine("out");
        OciLayoutWriter.Write(TestImages.Hello(Store, "first"), layout, ["v1"]);
        var second = TestImages.Hello(Store, "second");
        OciLayoutWriter.Write(second, layout, ["v2"]);

        Directory.GetFiles(Path.Combine(layout, "blobs", "sha256")).Length.ShouldBe(3);
        File.ReadAllText(Path.Combine(layout, "index.json")).ShouldContain(second.ManifestDigest.ToString());
        Directory.GetFileSystemEntries(Temp.Path).Select(Path.GetFileName).Order().ShouldBe(["out", "store"]);
    }

    [Test]
    public void A_folder_that_is_not_a_layout_is_never_replaced()
    {
        var folder = Temp.Combine("src");
        Temp.WriteFile("src/Program.cs", "class P {}");
        Should.Throw<ModulusException>(() => OciLayoutWriter.Write(TestImages.Hello(Store, "hi"), folder, []))
            .Code.ShouldBe("MOD2212");
        File.Exists(Path.Combine(folder, "Program.cs")).ShouldBeTrue();
    }

    internal static Dictionary<string, string> Snapshot(string root) =>
        Directory.GetFiles(root, "*", SearchOption.AllDirectories)
            .ToDictionary(f => Path.GetRelativePath(root, f), f => Digest.Compute(File.ReadAllBytes(f)).ToString());
}
