using System.Text.Json.Nodes;
using Modulus.Diagnostics;
using Modulus.Images;
using Modulus.Oci;
using Modulus.Plan;
using Modulus.Publishing;
using Modulus.Sbom;
using Modulus.Sources;
using Modulus.Storage;
using Modulus.Tests.TestSupport;

namespace Modulus.Tests.Publishing;

/// <summary>
/// A publish for linux/amd64 and linux/arm64: an image index over one image per platform in the
/// layout (read by skopeo by platform and by umoci by name), a docker-loadable tar and an SBOM per
/// platform, image.tar for this machine's platform, and modulus-image.json with every digest.
/// </summary>
public class MultiPlatformPublishTests
{
    private static readonly Platform Arm64 = Platform.Parse("linux/arm64");

    private TempDirectory _temp = null!;

    [SetUp]
    public void SetUp() => _temp = new TempDirectory("multi");

    [TearDown]
    public void TearDown() => _temp.Dispose();

    private static Tools.Result Skopeo(params string[] arguments) =>
        Tools.RunChecked(Tools.Require("skopeo"), ["--insecure-policy", .. arguments]);

    [Test]
    public async Task Two_platforms_give_an_index_whose_images_skopeo_and_umoci_read_by_platform()
    {
        var plan = Plan(_temp.Combine("a"), Platform.LinuxAmd64, Arm64);

        var result = await ImagePublisher.PublishAsync(plan, RecordingLog.Clean(), CancellationToken.None);

        var report = result.Report;
        var platforms = report.Platforms.ShouldNotBeNull();
        platforms.Select(p => p.Platform).ShouldBe(["linux/amd64", "linux/arm64"]);
        var layout = Path.Combine(plan.OutputDirectory, ImagePublisher.LayoutFolderName);
        var raw = Skopeo("inspect", "--raw", $"oci:{layout}:v1").StdOut;
        Digest.Compute(System.Text.Encoding.UTF8.GetBytes(raw)).ToString().ShouldBe(report.IndexDigest);
        var index = JsonNode.Parse(raw)!;
        index["mediaType"]!.GetValue<string>().ShouldBe(MediaTypes.OciIndex);
        index["manifests"]!.AsArray().Select(m => m!["platform"]!["architecture"]!.GetValue<string>()).ShouldBe(["amd64", "arm64"]);
        index["manifests"]!.AsArray().Select(m => m!["digest"]!.GetValue<string>()).ShouldBe(platforms.Select(p => p.ManifestDigest));

        var arm = JsonNode.Parse(Skopeo("inspect", "--override-arch", "arm64", $"oci:{layout}:v1").StdOut)!;
        arm["Architecture"]!.GetValue<string>().ShouldBe("arm64");
        Skopeo("copy", "--override-arch", "arm64", $"oci:{layout}:v1", $"oci:{_temp.Combine("copied")}:arm");
        var copied = BaseImageLoader.Load($"oci-layout:{_temp.Combine("copied")}:arm", _temp.Path, Arm64, new BlobStore(_temp.Combine("store2")));
        copied.ManifestDigest.ToString().ShouldBe(platforms[1].ManifestDigest);

        foreach (var (name, platform) in new[] { ("v1-linux-amd64", "amd64"), ("v1-linux-arm64", "arm64") })
        {
            var unpacked = _temp.Combine("umoci-" + platform);
            Tools.RunChecked(Tools.Require("umoci"), ["unpack", "--rootless", "--image", $"{layout}:{name}", unpacked]);
            File.ReadAllText(Path.Combine(unpacked, "rootfs", "etc", "platform")).ShouldBe("built for every platform");
            JsonNode.Parse(File.ReadAllText(Path.Combine(unpacked, "config.json")))!.ShouldNotBeNull();
        }

        // One docker-loadable tar and one SBOM per platform; image.tar and sbom.spdx.json are this machine's.
        foreach (var platform in platforms)
        {
            File.Exists(platform.ArchivePath).ShouldBeTrue();
            File.Exists(platform.SbomPath).ShouldBeTrue();
            var inTar = JsonNode.Parse(Skopeo("inspect", "--raw", $"docker-archive:{platform.ArchivePath}").StdOut)!;
            inTar["config"]!["digest"]!.GetValue<string>().ShouldBe(platform.ConfigDigest);
        }
        Path.GetFileName(File.ResolveLinkTarget(report.ArchivePath, true)!.FullName).ShouldBe("image-linux-amd64.tar");
        Path.GetFileName(File.ResolveLinkTarget(report.SbomPath!, true)!.FullName).ShouldBe("sbom-linux-amd64.spdx.json");
        report.ManifestDigest.ShouldBe(platforms[0].ManifestDigest);
    }

    [Test]
    public async Task Each_platforms_image_is_the_one_a_single_platform_publish_gives_and_the_index_is_reproducible_from_any_folder()
    {
        var multi = (await ImagePublisher.PublishAsync(Plan(_temp.Combine("a"), Platform.LinuxAmd64, Arm64), RecordingLog.Clean(), CancellationToken.None)).Report;
        var again = (await ImagePublisher.PublishAsync(Plan(_temp.Combine("elsewhere/b"), Platform.LinuxAmd64, Arm64), RecordingLog.Clean(), CancellationToken.None)).Report;
        var amd64 = (await ImagePublisher.PublishAsync(Plan(_temp.Combine("c"), Platform.LinuxAmd64), RecordingLog.Clean(), CancellationToken.None)).Report;
        var arm64 = (await ImagePublisher.PublishAsync(Plan(_temp.Combine("d"), Arm64), RecordingLog.Clean(), CancellationToken.None)).Report;

        again.IndexDigest.ShouldBe(multi.IndexDigest);
        again.Platforms!.Select(p => p.ManifestDigest).ShouldBe(multi.Platforms!.Select(p => p.ManifestDigest));
        multi.Platforms!.Select(p => p.ManifestDigest).ShouldBe([amd64.ManifestDigest, arm64.ManifestDigest]);
        amd64.IndexDigest.ShouldBeNull();
        amd64.Platforms.ShouldBeNull();
        multi.Platforms![0].ManifestDigest.ShouldNotBe(multi.Platforms[1].ManifestDigest);
    }

    [Test]
    public async Task A_second_publish_is_up_to_date_and_a_new_platform_rebuilds()
    {
        var folder = _temp.Combine("a");
        var first = await ImagePublisher.PublishAsync(Plan(folder, Platform.LinuxAmd64, Arm64), RecordingLog.Clean(), CancellationToken.None);
        var log = RecordingLog.Clean();

        var second = await ImagePublisher.PublishAsync(Plan(folder, Platform.LinuxAmd64, Arm64), log, CancellationToken.None);

        second.UpToDate.ShouldBeTrue();
        second.Report.IndexDigest.ShouldBe(first.Report.IndexDigest);
        log.Summaries.ShouldContain(s => s.Contains($"is up to date: index {first.Report.IndexDigest}", StringComparison.Ordinal));

        File.Delete(first.Report.Platforms![1].ArchivePath);
        (await ImagePublisher.PublishAsync(Plan(folder, Platform.LinuxAmd64, Arm64), RecordingLog.Clean(), CancellationToken.None)).UpToDate.ShouldBeFalse();

        var single = await ImagePublisher.PublishAsync(Plan(folder, Platform.LinuxAmd64), RecordingLog.Clean(), CancellationToken.None);
        single.UpToDate.ShouldBeFalse();
        single.Report.ManifestDigest.ShouldBe(first.Report.Platforms[0].ManifestDigest);
        // Back to one platform: image.tar is the image itself again, not a link.
        new FileInfo(single.Report.ArchivePath).LinkTarget.ShouldBeNull();
        File.Exists(Path.Combine(single.Report.LayoutPath, "index.json")).ShouldBeTrue();
    }

    [Test]
    public async Task A_base_without_the_wanted_platform_is_an_error_that_names_the_platforms_it_has_and_writes_nothing()
    {
        var amd64Only = (await ImagePublisher.PublishAsync(Plan(_temp.Combine("base"), Platform.LinuxAmd64), RecordingLog.Clean(), CancellationToken.None)).Report;
        var plan = Plan(_temp.Combine("app"), Platform.LinuxAmd64, Arm64) with
        {
            BaseImage = BaseImageSource.Parse($"oci-layout:{amd64Only.LayoutPath}:v1", _temp.Path),
        };

        var error = await Should.ThrowAsync<ModulusException>(() => ImagePublisher.PublishAsync(plan, RecordingLog.Clean(), CancellationToken.None));

        error.Code.ShouldBe("MOD2005");
        error.Message.ShouldContain("linux/arm64");
        error.Message.ShouldContain("linux/amd64");
        (Directory.Exists(plan.OutputDirectory) ? Directory.EnumerateFileSystemEntries(plan.OutputDirectory) : []).ShouldBeEmpty();
    }

    private static ImagePlan Plan(string folder, params Platform[] platforms) =>
        TestPlans.In(folder, Path.Combine(folder, "cache"), "multi/image", platforms: platforms) with
        {
            Files = [new PlannedFile("/etc/platform", null, "built for every platform", null, "/etc/platform", null, null, SourceLocation.Unknown)],
            Config = new ConfigChanges { Entrypoint = ["/bin/true"] },
        };
}
