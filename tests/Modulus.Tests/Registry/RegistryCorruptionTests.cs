using Modulus.Diagnostics;
using Modulus.Images;
using Modulus.Oci;
using Modulus.Plan;
using Modulus.Publishing;
using Modulus.Registry;
using Modulus.Storage;
using Modulus.Tests.TestSupport;

namespace Modulus.Tests.Registry;

/// <summary>
/// A registry, or a proxy in front of it, that serves other bytes than the digest names: the
/// proxy rewrites one body (a layer, the config, the manifest) on its way and keeps every header.
/// Each pull fails with MOD1014 naming what was corrupted, keeps nothing that does not hash to
/// its name, and a publish on such a base writes no output.
/// </summary>
[NonParallelizable]
public class RegistryCorruptionTests : RegistryTest
{
    /// <summary>The same bytes with the one in the middle changed: same length, other digest.</summary>
    private static byte[] Flip(byte[] body)
    {
        var copy = (byte[])body.Clone();
        copy[copy.Length / 2] ^= 0x20;
        return copy;
    }

    /// <summary>The blobs of the image, the one the test corrupts, and the request that carries it.</summary>
    public static IEnumerable<TestCaseData> Bodies()
    {
        yield return new TestCaseData("layer", (Func<Image, string>)(i => "/blobs/" + i.Layers[0].Digest)).SetName("A rewritten layer fails with MOD1014 and is not kept");
        yield return new TestCaseData("config", (Func<Image, string>)(i => "/blobs/" + i.ConfigDigest)).SetName("A rewritten config fails with MOD1014 and is not kept");
        yield return new TestCaseData("manifest", (Func<Image, string>)(_ => "/manifests/v1")).SetName("A rewritten manifest fails with MOD1014 and is not kept");
    }

    [TestCaseSource(nameof(Bodies))]
    public async Task A_rewritten_body_is_refused(string what, Func<Image, string> path)
    {
        var image = await Pushed("corrupt/" + what);
        var corrupted = path(image);
        using var proxy = new FaultProxy(Registry.Port, r => r.Method == "GET" && r.Path.EndsWith(corrupted, StringComparison.Ordinal) ? new Fault.Rewrite(Flip) : null, maxFaults: 10);
        var store = Kit.NewStore();

        var e = await RegistryTestKit.FailsWith(Errors.RegistryDigestMismatch,
            () => RegistryImageSource.PullAsync(RegistryTestKit.Reference(proxy.Address, "corrupt/" + what, "v1"), Platform.LinuxAmd64, store, Kit.Options));

        proxy.FaultsInjected.ShouldBe(1, "a corrupt body is not asked for again:\n" + string.Join("\n", proxy.Events));
        e.Message.ShouldContain(proxy.Address);
        e.Message.ShouldContain(what == "manifest" ? "corrupt/" + what + ":v1" : corrupted["/blobs/".Length..]);
        ShouldHoldOnlyVerifiedBlobs(store);
        if (what != "manifest") store.Contains(Digest.Parse(corrupted["/blobs/".Length..])).ShouldBeFalse();
        RegistryTestKit.PartialFiles(store).ShouldBeEmpty();
    }

    [Test]
    public async Task A_rewritten_manifest_asked_for_by_digest_is_refused()
    {
        var image = await Pushed("corrupt/by-digest");
        using var proxy = new FaultProxy(Registry.Port, r => r.Method == "GET" && r.Path.Contains("/manifests/", StringComparison.Ordinal) ? new Fault.Rewrite(Flip) : null, maxFaults: 10);
        var store = Kit.NewStore();
        var reference = ImageReference.Parse($"{proxy.Address}/corrupt/by-digest@{image.ManifestDigest}");

        var e = await RegistryTestKit.FailsWith(Errors.RegistryDigestMismatch,
            () => RegistryImageSource.PullAsync(reference, Platform.LinuxAmd64, store, Kit.Options));

        e.Message.ShouldContain(image.ManifestDigest.ToString());
        ShouldHoldOnlyVerifiedBlobs(store);
        store.Contains(image.ManifestDigest).ShouldBeFalse();
    }

    [Test]
    public async Task A_publish_on_a_base_whose_layer_is_rewritten_fails_with_MOD1014_and_writes_no_output()
    {
        var image = await Pushed("corrupt/base");
        var layer = image.Layers[0].Digest;
        using var proxy = new FaultProxy(Registry.Port, r => r.Method == "GET" && r.Path.EndsWith("/blobs/" + layer, StringComparison.Ordinal) ? new Fault.Rewrite(Flip) : null, maxFaults: 10);
        using var project = new TempDirectory("publish");
        var plan = new ImagePlan
        {
            BaseImage = Modulus.Sources.BaseImageSource.Parse($"{proxy.Address}/corrupt/base:v1", project.Path),
            ProjectDirectory = project.Path,
            Platform = Platform.LinuxAmd64,
            Files = [new PlannedFile("/srv/hello.txt", null, "hello", null, "/srv/hello.txt", null, null, SourceLocation.Unknown)],
            Repository = "team/on-corrupt-base",
            Tags = [],
            OutputDirectory = project.Combine("publish"),
            IntermediateDirectory = project.Combine("obj"),
            BlobCacheDirectory = project.Combine("cache"),
        };

        var e = await Should.ThrowAsync<ModulusException>(() => ImagePublisher.PublishAsync(plan, new RecordingLog(), CancellationToken.None));

        e.Code.ShouldBe(Errors.RegistryDigestMismatch.Code, e.Message);
        e.Message.ShouldContain(layer.ToString());
        (Directory.Exists(plan.OutputDirectory) ? Directory.EnumerateFileSystemEntries(plan.OutputDirectory) : []).ShouldBeEmpty();
        var cache = new BlobStore(plan.BlobCacheDirectory);
        cache.Contains(layer).ShouldBeFalse();
        ShouldHoldOnlyVerifiedBlobs(cache);
        RegistryTestKit.PartialFiles(cache).ShouldBeEmpty();
    }

    /// <summary>A new image of two layers pushed straight to this class's registry as <paramref name="repository"/>:v1.</summary>
    private async Task<Image> Pushed(string repository)
    {
        var store = Kit.NewStore();
        var image = TestImages.Unique(store, repository.Replace('/', '-'), padding: 20_000);
        await RegistryPusher.PushAsync(image, RegistryTestKit.Reference(Registry.Address, repository, "v1"), [], store, Kit.Options);
        return image;
    }

    /// <summary>Every file the store keeps under a digest name hashes to that name.</summary>
    private static void ShouldHoldOnlyVerifiedBlobs(BlobStore store)
    {
        var blobs = Path.Combine(store.Root, "sha256");
        if (!Directory.Exists(blobs)) return;
        foreach (var file in Directory.EnumerateFiles(blobs))
        {
            using var stream = File.OpenRead(file);
            Digest.Compute(stream).Encoded.ShouldBe(Path.GetFileName(file), $"{file} does not hash to its name");
        }
    }
}
