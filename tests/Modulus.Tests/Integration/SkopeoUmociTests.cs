using System.Text.Json.Nodes;
using Modulus.Layers;
using Modulus.Oci;
using Modulus.Sinks;
using Modulus.Sources;
using Modulus.Storage;
using Modulus.Tests.Sources;
using Modulus.Tests.TestSupport;

namespace Modulus.Tests.Integration;

/// <summary>skopeo and umoci, independent implementations, read what we write and we read what they write.</summary>
public class SkopeoUmociTests : StoreTest
{

    protected override string FolderPrefix => "tools";

    private static Tools.Result Skopeo(params string[] arguments) =>
        Tools.RunChecked(Tools.Require("skopeo"), ["--insecure-policy", .. arguments]);

    [Test]
    public void Skopeo_inspects_and_copies_our_layout()
    {
        var image = TestImages.Hello(Store, "hi");
        var layout = Temp.Combine("ours");
        OciLayoutWriter.Write(image, layout, ["v1"]);

        var raw = Skopeo("inspect", "--raw", $"oci:{layout}:v1");
        Digest.Compute(System.Text.Encoding.UTF8.GetBytes(raw.StdOut)).ShouldBe(image.ManifestDigest);
        var inspect = JsonNode.Parse(Skopeo("inspect", $"oci:{layout}:v1").StdOut)!;
        inspect["Architecture"]!.GetValue<string>().ShouldBe("amd64");
        inspect["Layers"]!.AsArray().Select(l => l!.GetValue<string>()).ShouldBe([image.Layers[0].Digest.ToString()]);

        Skopeo("copy", $"oci:{layout}:v1", $"oci:{Temp.Combine("theirs")}:copied");
        var copied = BaseImageLoader.Load($"oci-layout:{Temp.Combine("theirs")}:copied", Temp.Path, Platform.LinuxAmd64, new BlobStore(Temp.Combine("store2")));
        copied.ManifestDigest.ShouldBe(image.ManifestDigest);
        TestImages.ReadText(copied.Layers[0], "hello.txt").ShouldBe("hi");
    }

    [Test]
    public void Skopeo_inspects_and_copies_our_docker_archive()
    {
        var image = TestImages.Hello(Store, "hi");
        var tar = Temp.Combine("image.tar");
        DockerArchiveWriter.Write(image, tar, ["example/hello:v1"]);

        // A docker-archive names layers by diffID (their uncompressed digest), and skopeo reports those.
        var inspect = JsonNode.Parse(Skopeo("inspect", $"docker-archive:{tar}").StdOut)!;
        inspect["Layers"]!.AsArray().Select(l => l!.GetValue<string>()).ShouldBe([image.Layers[0].DiffId.ToString()]);
        Skopeo("inspect", $"oci-archive:{tar}:v1");

        Skopeo("copy", $"docker-archive:{tar}", $"oci:{Temp.Combine("copied")}:v1");
        var copied = BaseImageLoader.Load($"oci-layout:{Temp.Combine("copied")}:v1", Temp.Path, Platform.LinuxAmd64, new BlobStore(Temp.Combine("store2")));
        copied.Config.Cmd.ShouldBe(["cat", "/hello.txt"]);
        TestImages.ReadText(copied.Layers[0], "hello.txt").ShouldBe("hi");
    }

    [Test]
    public void We_read_the_docker_archive_skopeo_writes()
    {
        var image = TestImages.Hello(Store, "via skopeo");
        var layout = Temp.Combine("ours");
        OciLayoutWriter.Write(image, layout, ["v1"]);
        var tar = Temp.Combine("skopeo.tar");

        Skopeo("copy", $"oci:{layout}:v1", $"docker-archive:{tar}:example/app:v1");
        var loaded = BaseImageLoader.Load($"docker-archive:{tar}:example/app:v1", Temp.Path, Platform.LinuxAmd64, new BlobStore(Temp.Combine("store2")));
        loaded.Layers.Select(l => l.DiffId).ShouldBe(image.Layers.Select(l => l.DiffId));
        TestImages.ReadText(loaded.Layers[0], "hello.txt").ShouldBe("via skopeo");
    }

    [Test]
    public void Umoci_unpacks_our_layout_into_a_root_filesystem()
    {
        var layout = Temp.Combine("ours");
        OciLayoutWriter.Write(TestImages.Hello(Store, "unpacked"), layout, ["v1"]);
        var bundle = Temp.Combine("bundle");

        Tools.RunChecked(Tools.Require("umoci"), ["unpack", "--rootless", "--image", $"{layout}:v1", bundle]);
        File.ReadAllText(Path.Combine(bundle, "rootfs", "hello.txt")).ShouldBe("unpacked");
    }

    [Test]
    public void Umoci_and_skopeo_read_a_layer_deflated_in_many_blocks_on_several_threads()
    {
        // Nine blocks and a bit: every block boundary, the trailer's CRC and length, checked by Go's gzip reader.
        var content = Modulus.Tests.Layers.GzipTestData.Mixed(9 * Modulus.Layers.Gzip.ParallelGzipStream.DefaultBlockSize + 4321, seed: 5);
        var layer = Store.WriteLayer([new FileEntry(UnixPath.Parse("/data.bin"), FileContent.FromBytes(content))],
            LayerWriterOptions.Default with { CompressionThreads = 4 });
        var image = Modulus.Images.ImageBuilder.Build(Modulus.Images.Image.Scratch(Platform.LinuxAmd64),
            [new Modulus.Images.AppendedLayer(layer, "test: data.bin")], new Modulus.Images.ConfigChanges(), TestImages.Created);
        var layout = Temp.Combine("ours");
        OciLayoutWriter.Write(image, layout, ["v1"]);

        var bundle = Temp.Combine("bundle");
        Tools.RunChecked(Tools.Require("umoci"), ["unpack", "--rootless", "--image", $"{layout}:v1", bundle]);
        File.ReadAllBytes(Path.Combine(bundle, "rootfs", "data.bin")).ShouldBe(content);

        // skopeo decompresses the layer to a directory and checks it against the config's diffID.
        var copied = Temp.Combine("copied");
        Skopeo("copy", "--dest-decompress", $"oci:{layout}:v1", $"dir:{copied}");
        File.ReadAllBytes(Path.Combine(copied, layer.DiffId.Encoded)).ShouldBe(Modulus.Tests.Layers.LayerTestKit.Gunzip(File.ReadAllBytes(layer.BlobPath)));
    }
}
