using System.Text;
using System.Text.Json.Nodes;
using Modulus.Images;
using Modulus.Oci;

namespace Modulus.Tests.Images;

public class ImageBuilderTests
{
    private static readonly DateTimeOffset Created = DateTimeOffset.FromUnixTimeSeconds(1700000000);

    private sealed class FakeLayer(string content) : ILayer
    {
        public string MediaType => MediaTypes.OciLayerGzip;
        public Digest Digest { get; } = Digest.Compute(Encoding.UTF8.GetBytes("blob:" + content));
        public Digest DiffId { get; } = Digest.Compute(Encoding.UTF8.GetBytes("tar:" + content));
        public long Size => content.Length;
        public Stream OpenBlob() => throw new NotSupportedException();
        public Stream OpenTar() => throw new NotSupportedException();
    }

    private static Image BaseImage()
    {
        var config = ImageConfig.Parse(Encoding.UTF8.GetBytes("""
            {"architecture":"amd64","os":"linux","config":{"Env":["PATH=/usr/bin","LANG=C"],"Cmd":["sh"],
             "Healthcheck":{"Test":["CMD","true"]},"Labels":{"base":"yes"}},
             "rootfs":{"type":"layers","diff_ids":[]},"history":[{"created_by":"base"}]}
            """), "test base");
        var baseLayer = new FakeLayer("base");
        config = config.With(root => ((JsonArray)root["rootfs"]!["diff_ids"]!).Add(baseLayer.DiffId.ToString()));
        return new Image(config, [baseLayer]);
    }

    [Test]
    public void Appends_layers_with_diff_ids_and_one_history_entry_each()
    {
        var added = new FakeLayer("app");

        var image = ImageBuilder.Build(BaseImage(), [new AppendedLayer(added, "Modulus: files")], new ConfigChanges(), Created);

        image.Layers.Count.ShouldBe(2);
        image.Config.DiffIds.Last().ShouldBe(added.DiffId);
        image.Manifest.Layers.Last().Digest.ShouldBe(added.Digest);
        image.Config.HistoryCount.ShouldBe(2);
        image.Manifest.Config.Digest.ShouldBe(Digest.Compute(image.ConfigBytes));
    }

    [Test]
    public void Applies_config_changes_and_keeps_what_it_does_not_model()
    {
        var changes = new ConfigChanges
        {
            Environment = [new("PATH", "/opt/bin:/usr/bin"), new("HOME", "/mnt/home")],
            Labels = new Dictionary<string, string> { ["org.example"] = "1" },
            Volumes = ["/mnt"],
            ExposedPorts = ["8080/tcp"],
            User = "mop",
            WorkingDir = "/mnt/app",
            StopSignal = "SIGTERM",
            Entrypoint = ["/sbin/my_init"],
        };

        var image = ImageBuilder.Build(BaseImage(), [], changes, Created);
        var config = image.Config;

        config.Env.ShouldBe(["PATH=/opt/bin:/usr/bin", "LANG=C", "HOME=/mnt/home"], "an existing variable keeps its place");
        config.Labels.ShouldBe(new Dictionary<string, string> { ["base"] = "yes", ["org.example"] = "1" }, ignoreOrder: true);
        config.Volumes.ShouldBe(["/mnt"]);
        config.ExposedPorts.ShouldBe(["8080/tcp"]);
        config.User.ShouldBe("mop");
        config.WorkingDir.ShouldBe("/mnt/app");
        config.StopSignal.ShouldBe("SIGTERM");
        config.Entrypoint.ShouldBe(["/sbin/my_init"]);
        config.Cmd.ShouldBeNull("a new entrypoint drops the base's Cmd, as docker build does");
        Encoding.UTF8.GetString(image.ConfigBytes).ShouldContain("\"Healthcheck\":{\"Test\":[\"CMD\",\"true\"]}");
    }

    [Test]
    public void Created_time_comes_from_the_given_timestamp()
    {
        var image = ImageBuilder.Build(BaseImage(), [], new ConfigChanges(), Created);

        Encoding.UTF8.GetString(image.ConfigBytes).ShouldContain("\"created\":\"2023-11-14T22:13:20Z\"");
    }

    [Test]
    public void Same_inputs_give_the_same_digests_and_any_change_alters_them()
    {
        var layer = new FakeLayer("app");
        Image Build(string user) => ImageBuilder.Build(BaseImage(), [new AppendedLayer(layer, "files")], new ConfigChanges { User = user }, Created);

        Build("mop").ManifestDigest.ShouldBe(Build("mop").ManifestDigest);
        Build("mop").ManifestDigest.ShouldNotBe(Build("root").ManifestDigest);
    }

    [Test]
    public void Never_changes_the_base_image()
    {
        var baseImage = BaseImage();
        var before = baseImage.ConfigBytes.ToArray();

        ImageBuilder.Build(baseImage, [new AppendedLayer(new FakeLayer("x"), "x")], new ConfigChanges { User = "x" }, Created);

        baseImage.Config.ToBytes().ShouldBe(before);
        baseImage.Layers.Count.ShouldBe(1);
    }

    [Test]
    public void Docker_layer_types_become_OCI_types_in_an_OCI_manifest()
    {
        var docker = new DockerTypedLayer();
        var image = new Image(ImageConfig.Empty(Platform.LinuxAmd64), [docker]);

        image.Manifest.Layers[0].MediaType.ShouldBe(MediaTypes.OciLayerGzip);
    }

    private sealed class DockerTypedLayer : ILayer
    {
        public string MediaType => MediaTypes.DockerLayerGzip;
        public Digest Digest { get; } = Digest.Compute([1]);
        public Digest DiffId { get; } = Digest.Compute([2]);
        public long Size => 1;
        public Stream OpenBlob() => throw new NotSupportedException();
        public Stream OpenTar() => throw new NotSupportedException();
    }
}
