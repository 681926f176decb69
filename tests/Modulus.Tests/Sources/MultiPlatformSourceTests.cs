using Modulus.Diagnostics;
using Modulus.Oci;
using Modulus.Sources;
using Modulus.Storage;
using Modulus.Tests.TestSupport;

namespace Modulus.Tests.Sources;

/// <summary>A layout whose index.json names a nested index of an amd64 and an arm64 image, as buildx writes it.</summary>
public class MultiPlatformSourceTests
{
    private TempDirectory _temp = null!;

    [OneTimeSetUp]
    public void WriteFixture()
    {
        _temp = new TempDirectory("multi");
        var layout = _temp.Combine("multi");
        var build = new BlobStore(_temp.Combine("build"));
        var manifests = new List<Descriptor>();
        foreach (var platform in new[] { new Platform("amd64", "linux"), new Platform("arm64", "linux", "v8") })
        {
            var image = TestImages.Hello(build, $"built for {platform.Architecture}", platform);
            foreach (var layer in image.Layers) TestImages.PutBlob(layout, layer.MediaType, File.ReadAllBytes(((Modulus.Images.BlobLayer)layer).BlobPath));
            TestImages.PutBlob(layout, MediaTypes.OciConfig, image.ConfigBytes);
            manifests.Add(TestImages.PutBlob(layout, MediaTypes.OciManifest, image.ManifestBytes) with { Platform = platform });
        }
        // An attestation manifest, as buildx adds: never an image to run.
        manifests.Add(manifests[0] with { Platform = new Platform("unknown", "unknown") });
        var nested = TestImages.PutBlob(layout, MediaTypes.OciIndex, OciJson.Serialize(new ImageIndex(MediaTypes.OciIndex, manifests)));
        File.WriteAllText(Path.Combine(layout, "oci-layout"), "{\"imageLayoutVersion\":\"1.0.0\"}");
        var tagged = nested with { Annotations = new Dictionary<string, string> { [ImageIndex.RefNameAnnotation] = "1.0" } };
        File.WriteAllBytes(Path.Combine(layout, "index.json"), OciJson.Serialize(new ImageIndex(MediaTypes.OciIndex, [tagged])));
    }

    [OneTimeTearDown]
    public void DeleteFixture() => _temp.Dispose();

    [TestCase("linux/arm64", "arm64")]
    [TestCase("linux/arm64/v8", "arm64")]
    [TestCase("linux/amd64", "amd64")]
    public void The_requested_platform_is_picked(string platform, string architecture)
    {
        var image = BaseImageLoader.Load("oci-layout:multi:1.0", _temp.Path, Platform.Parse(platform), new BlobStore(_temp.Combine("store")));
        image.Platform.Architecture.ShouldBe(architecture);
        TestImages.ReadText(image.Layers[0], "hello.txt").ShouldBe($"built for {architecture}");
    }

    [Test]
    public void An_absent_platform_is_MOD2005_listing_what_is_offered()
    {
        var error = Should.Throw<ModulusException>(() =>
            BaseImageLoader.Load("oci-layout:multi", _temp.Path, Platform.Parse("linux/s390x"), new BlobStore(_temp.Combine("store"))));
        error.Code.ShouldBe("MOD2005");
        error.Message.ShouldContain("linux/amd64, linux/arm64/v8");
        error.Message.ShouldNotContain("unknown");
    }

    [Test]
    public void A_single_image_for_another_platform_is_MOD2005()
    {
        var layout = _temp.Combine("single");
        var config = ImageConfig.Empty(new Platform("arm64", "linux")).ToBytes();
        OciLayoutSourceTests.WriteManifestLayout(layout, config);
        var error = Should.Throw<ModulusException>(() =>
            BaseImageLoader.Load("oci-layout:single", _temp.Path, Platform.LinuxAmd64, new BlobStore(_temp.Combine("store"))));
        error.Code.ShouldBe("MOD2005");
        error.Message.ShouldContain("linux/arm64");
    }
}
