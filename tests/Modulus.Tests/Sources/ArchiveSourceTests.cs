using System.Formats.Tar;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Modulus.Diagnostics;
using Modulus.Oci;
using Modulus.Sinks;
using Modulus.Tests.TestSupport;

namespace Modulus.Tests.Sources;

public class ArchiveSourceTests : ImageSourceTest
{
    protected override string FolderPrefix => "archive";

    [Test]
    public void An_oci_archive_of_a_written_layout_reads_back_as_the_same_manifest()
    {
        var image = SavedAsLayout("layout", "v1");
        TarFile.CreateFromDirectory(Temp.Combine("layout"), Temp.Combine("image.tar"), includeBaseDirectory: false);

        var loaded = Load("oci-archive:image.tar:v1");
        loaded.ManifestDigest.ShouldBe(image.ManifestDigest);
        TestImages.ReadText(loaded.Layers[0], "hello.txt").ShouldBe("hi");
    }

    [Test]
    public void A_written_docker_archive_reads_back_as_the_same_manifest()
    {
        var image = SavedAsDockerArchive();

        Load("docker-archive:image.tar").ManifestDigest.ShouldBe(image.ManifestDigest);
        var named = Load("docker-archive:image.tar:example/hello:v1");
        named.ManifestDigest.ShouldBe(image.ManifestDigest);
        named.Layers[0].MediaType.ShouldBe(MediaTypes.OciLayerGzip);
    }

    [Test]
    public void A_gzipped_docker_archive_reads_like_the_plain_one()
    {
        var image = SavedAsDockerArchive();
        File.WriteAllBytes(Temp.Combine("image.tar.gz"), TestImages.Gzip(File.ReadAllBytes(Temp.Combine("image.tar"))));

        Load("docker-archive:image.tar.gz").ManifestDigest.ShouldBe(image.ManifestDigest);
    }

    [TestCase("docker-archive")]
    [TestCase("oci-archive")]
    [CancelAfter(30_000)]
    public void An_archive_that_is_a_fifo_or_a_device_is_MOD2231_and_never_opened(string kind)
    {
        Bounded.MakeFifo(Temp.Combine("pipe.tar"));
        File.CreateSymbolicLink(Temp.Combine("zero.tar"), "/dev/zero");

        foreach (var (file, what) in new[] { ("pipe.tar", "FIFO"), ("zero.tar", "character device") })
        {
            var error = Bounded.Within(TimeSpan.FromSeconds(10), () => Should.Throw<ModulusException>(() => Load($"{kind}:{file}")));
            error.Code.ShouldBe("MOD2231");
            error.Message.ShouldContain(what);
        }
    }

    [TestCase("docker-archive")]
    [TestCase("oci-archive")]
    [CancelAfter(30_000)]
    public void An_archive_entry_20000_folders_deep_is_MOD2250_at_once(string kind)
    {
        var name = string.Concat(Enumerable.Repeat("a/", 20_000)) + "f";
        using (var writer = new TarWriter(System.IO.File.Create(Temp.Combine("deep.tar")), TarEntryFormat.Pax))
            writer.WriteEntry(new PaxTarEntry(TarEntryType.RegularFile, name) { DataStream = new MemoryStream([1]) });

        var error = Bounded.Within(TimeSpan.FromSeconds(10), () => Should.Throw<ModulusException>(() => Load($"{kind}:deep.tar")));

        error.Code.ShouldBe("MOD2250");
        error.Message.ShouldContain("name is 40001 bytes long, beyond the limit of 4096 bytes");
        error.Message.Length.ShouldBeLessThan(600, "the entry's name is shortened");
    }

    [Test]
    public void Our_docker_archive_is_also_an_oci_archive()
    {
        var image = SavedAsDockerArchive();
        Load("oci-archive:image.tar:v1").ManifestDigest.ShouldBe(image.ManifestDigest);
    }

    [Test]
    public void A_pre_25_docker_save_archive_keeps_its_uncompressed_layers()
    {
        var layerTar = TestImages.Tar(w => TestImages.AddFile(w, "hello.txt", "old format"u8.ToArray()));
        WritePre25Archive(Temp.Combine("saved.tar"), ("busybox:old", layerTar, Digest.Compute(layerTar)));

        var image = Load("docker-archive:saved.tar:busybox:old");
        var layer = image.Layers.ShouldHaveSingleItem();
        layer.MediaType.ShouldBe(MediaTypes.OciLayer);
        layer.Digest.ShouldBe(Digest.Compute(layerTar));
        layer.DiffId.ShouldBe(layer.Digest);
        TestImages.ReadText(layer, "hello.txt").ShouldBe("old format");
    }

    [Test]
    public void A_layer_docker_save_wrote_as_a_link_to_an_earlier_one_is_followed_but_never_out_of_the_archive()
    {
        var layerTar = TestImages.Tar(w => TestImages.AddFile(w, "shared.txt", "shared"u8.ToArray()));
        var config = ImageConfig.Empty(Platform.LinuxAmd64).With(c => c["rootfs"]!["diff_ids"] = new JsonArray(Digest.Compute(layerTar).ToString())).ToBytes();
        var manifest = new JsonArray(
            new JsonObject { ["Config"] = "config.json", ["RepoTags"] = new JsonArray("app:first"), ["Layers"] = new JsonArray("first/layer.tar") },
            new JsonObject { ["Config"] = "config.json", ["RepoTags"] = new JsonArray("app:second"), ["Layers"] = new JsonArray("second/layer.tar") },
            new JsonObject { ["Config"] = "config.json", ["RepoTags"] = new JsonArray("app:escape"), ["Layers"] = new JsonArray("escape/layer.tar") });
        WriteTar(Temp.Combine("saved.tar"), w =>
        {
            TestImages.AddFile(w, "first/layer.tar", layerTar);
            w.WriteEntry(new PaxTarEntry(TarEntryType.SymbolicLink, "second/layer.tar") { LinkName = "../first/layer.tar" });
            w.WriteEntry(new PaxTarEntry(TarEntryType.SymbolicLink, "escape/layer.tar") { LinkName = "../../first/layer.tar" });
            TestImages.AddFile(w, "config.json", config);
            TestImages.AddFile(w, "manifest.json", Encoding.UTF8.GetBytes(manifest.ToJsonString()));
        });

        var second = Load("docker-archive:saved.tar:app:second");
        TestImages.ReadText(second.Layers[0], "shared.txt").ShouldBe("shared");
        Should.Throw<ModulusException>(() => Load("docker-archive:saved.tar:app:escape"))
            .Code.ShouldBe("MOD2206");
    }

    [Test]
    public void Several_images_need_a_repository_and_tag()
    {
        var one = TestImages.Tar(w => TestImages.AddFile(w, "n.txt", "one"u8.ToArray()));
        var two = TestImages.Tar(w => TestImages.AddFile(w, "n.txt", "two"u8.ToArray()));
        WritePre25Archive(Temp.Combine("saved.tar"), ("app:one", one, Digest.Compute(one)), ("app:two", two, Digest.Compute(two)));

        Should.Throw<ModulusException>(() => Load("docker-archive:saved.tar"))
            .Code.ShouldBe("MOD2205");
        var error = Should.Throw<ModulusException>(() => Load("docker-archive:saved.tar:app:three"));
        error.Code.ShouldBe("MOD2209");
        error.Message.ShouldContain("app:one, app:two");
        var image = Load("docker-archive:saved.tar:app:two");
        TestImages.ReadText(image.Layers[0], "n.txt").ShouldBe("two");
    }

    [Test]
    public void A_layer_that_is_not_what_the_config_says_is_MOD2003()
    {
        var layerTar = TestImages.Tar(w => TestImages.AddFile(w, "hello.txt", "x"u8.ToArray()));
        WritePre25Archive(Temp.Combine("saved.tar"), ("app:1", layerTar, Digest.Compute("something else"u8)));
        Should.Throw<ModulusException>(() => Load("docker-archive:saved.tar"))
            .Code.ShouldBe("MOD2003");
    }

    [Test]
    public void Hostile_paths_in_an_archive_are_only_names_and_write_nothing_outside_the_store()
    {
        var escaped = Path.GetFullPath(Path.Combine(Temp.Path, "..", "..", "escaped.txt"));
        File.Delete(escaped);
        var config = ImageConfig.Empty(Platform.LinuxAmd64).ToBytes();
        var manifest = JsonSerializer.SerializeToUtf8Bytes(new[] { new { Config = "config.json", RepoTags = new[] { "evil:1" }, Layers = new[] { "../../etc/passwd" } } });
        WriteTar(Temp.Combine("evil.tar"), w =>
        {
            TestImages.AddFile(w, "../../escaped.txt", "escaped"u8.ToArray());
            TestImages.AddFile(w, "/etc/passwd", "root::0:0::/:/bin/sh"u8.ToArray());
            TestImages.AddFile(w, "config.json", config);
            TestImages.AddFile(w, "manifest.json", manifest);
        });
        var before = Directory.GetFileSystemEntries(Temp.Path).Order().ToArray();

        var error = Should.Throw<ModulusException>(() => Load("docker-archive:evil.tar"));
        error.Code.ShouldBe("MOD2206");
        error.Message.ShouldContain("../../etc/passwd");
        File.Exists(escaped).ShouldBeFalse();
        Directory.GetFileSystemEntries(Temp.Path).Order().ShouldBe([.. before, Temp.Combine("store")]);
        Directory.GetFileSystemEntries(Temp.Combine("store"), "*", SearchOption.AllDirectories)
            .Where(File.Exists).ShouldAllBe(p => Path.GetDirectoryName(p) == Temp.Combine("store", "sha256"));
    }

    [Test]
    public void An_oci_archive_missing_a_blob_is_MOD2206_even_when_the_store_has_it()
    {
        var image = TestImages.Hello(Store, "hi");
        OciLayoutWriter.Write(image, Temp.Combine("layout"), []);
        File.Delete(TestImages.BlobPath(Temp.Combine("layout"), image.Layers[0].Digest));
        TarFile.CreateFromDirectory(Temp.Combine("layout"), Temp.Combine("image.tar"), includeBaseDirectory: false);

        Should.Throw<ModulusException>(() => Load("oci-archive:image.tar"))
            .Code.ShouldBe("MOD2206");
    }

    [TestCase(1, Description = "a manifest declaring a layer one byte longer than its blob")]
    [TestCase(-1, Description = "a manifest declaring a layer one byte shorter than its blob")]
    public void An_oci_archive_layer_of_another_size_than_its_manifest_declares_is_MOD2230(int change)
    {
        var image = SavedAsLayout("layout", "v1");
        var layout = Temp.Combine("layout");
        var layer = image.Layers[0];
        var manifest = JsonNode.Parse(File.ReadAllBytes(TestImages.BlobPath(layout, image.ManifestDigest)))!;
        manifest["layers"]![0]!["size"] = layer.Size + change;
        File.Delete(TestImages.BlobPath(layout, image.ManifestDigest));
        var lying = TestImages.PutBlob(layout, MediaTypes.OciManifest, Encoding.UTF8.GetBytes(manifest.ToJsonString()));
        var index = JsonNode.Parse(File.ReadAllText(Path.Combine(layout, "index.json")))!;
        index["manifests"]![0]!["digest"] = lying.Digest.ToString();
        index["manifests"]![0]!["size"] = lying.Size;
        File.WriteAllText(Path.Combine(layout, "index.json"), index.ToJsonString());
        TarFile.CreateFromDirectory(layout, Temp.Combine("image.tar"), includeBaseDirectory: false);

        var error = Should.Throw<ModulusException>(() => Load("oci-archive:image.tar:v1"));

        error.Code.ShouldBe("MOD2230");
        error.Message.ShouldContain(layer.Digest.ToString());
        error.Message.ShouldContain($"{layer.Size} bytes, not the {layer.Size + change} declared");
    }

    [Test]
    public void A_truncated_archive_is_MOD2204()
    {
        var image = SavedAsDockerArchive();
        var bytes = File.ReadAllBytes(Temp.Combine("image.tar"));
        File.WriteAllBytes(Temp.Combine("cut.tar"), bytes[..(bytes.Length / 2 + 100)]);

        Should.Throw<ModulusException>(() => Load("docker-archive:cut.tar"))
            .Code.ShouldBe("MOD2204");
    }

    [Test]
    public void A_file_that_is_not_a_tar_is_a_readable_error()
    {
        File.WriteAllBytes(Temp.Combine("junk.tar"), Encoding.UTF8.GetBytes(new string('x', 2048)));
        Should.Throw<ModulusException>(() => Load("docker-archive:junk.tar"))
            .Code.ShouldBe("MOD2204");
    }

    /// <summary>
    /// Writes what docker save wrote before Docker 25: per image a config &lt;hex&gt;.json and an
    /// &lt;id&gt;/layer.tar (uncompressed), plus manifest.json and repositories.
    /// </summary>
    private static void WritePre25Archive(string path, params (string RepoTag, byte[] LayerTar, Digest DiffId)[] images)
    {
        var manifest = new JsonArray();
        WriteTar(path, w =>
        {
            foreach (var (repoTag, layerTar, diffId) in images)
            {
                var config = ImageConfig.Empty(Platform.LinuxAmd64).With(c => c["rootfs"]!["diff_ids"] = new JsonArray(diffId.ToString())).ToBytes();
                var configName = Digest.Compute(config).Encoded + ".json";
                var layerId = Digest.Compute(Encoding.UTF8.GetBytes(repoTag)).Encoded;
                TestImages.AddDirectory(w, layerId + "/");
                TestImages.AddFile(w, layerId + "/VERSION", "1.0"u8.ToArray());
                TestImages.AddFile(w, layerId + "/layer.tar", layerTar);
                TestImages.AddFile(w, configName, config);
                manifest.Add(new JsonObject { ["Config"] = configName, ["RepoTags"] = new JsonArray(repoTag), ["Layers"] = new JsonArray(layerId + "/layer.tar") });
            }
            TestImages.AddFile(w, "manifest.json", Encoding.UTF8.GetBytes(manifest.ToJsonString()));
            TestImages.AddFile(w, "repositories", "{}"u8.ToArray());
        });
    }

    private static void WriteTar(string path, Action<TarWriter> fill) => File.WriteAllBytes(path, TestImages.Tar(fill));
}
