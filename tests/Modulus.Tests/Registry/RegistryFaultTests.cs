using Modulus.Diagnostics;
using Modulus.Oci;
using Modulus.Registry;
using Modulus.Tests.TestSupport;

namespace Modulus.Tests.Registry;

/// <summary>
/// Pushes and pulls through a proxy that fails requests on purpose (500/503/429, resets in the
/// middle of a blob, slow answers). Within the retry bound they succeed; past it they fail with
/// a clear error, and the registry never serves a tag whose blobs are missing, and the blob store
/// never keeps a partial file.
/// </summary>
[NonParallelizable]
public class RegistryFaultTests : RegistryTest
{
    private static bool IsBlobUpload(ProxiedRequest r) => r.Method == "PUT" && r.Path.Contains("/blobs/uploads/", StringComparison.Ordinal);

    private static bool IsBlobGet(ProxiedRequest r) => r.Method == "GET" && r.Path.Contains("/blobs/sha256:", StringComparison.Ordinal);

    private static bool IsManifest(ProxiedRequest r, string method) => r.Method == method && r.Path.Contains("/manifests/", StringComparison.Ordinal);

    /// <summary>A plan where each step fires once, on the first request it matches.</summary>
    private static Func<ProxiedRequest, Fault?> Once(params (Func<ProxiedRequest, bool> When, Fault Fault)[] steps)
    {
        var fired = new bool[steps.Length];
        return request =>
        {
            lock (fired)
            {
                for (var i = 0; i < steps.Length; i++)
                {
                    if (fired[i] || !steps[i].When(request)) continue;
                    fired[i] = true;
                    return steps[i].Fault;
                }
                return null;
            }
        };
    }

    [Test]
    public async Task A_push_succeeds_through_server_errors_throttling_and_a_reset_upload()
    {
        var store = Kit.NewStore();
        var image = TestImages.Unique(store, "fault-push", padding: 200_000);
        using var proxy = new FaultProxy(Registry.Port, Once(
            (r => r.Method == "HEAD", new Fault.Status(503)),
            (r => r.Method == "POST", new Fault.Status(500)),
            (IsBlobUpload, new Fault.ResetDuringRequest(50_000)),
            (r => IsManifest(r, "PUT"), new Fault.Status(429, RetryAfterSeconds: 1))), maxFaults: 4);
        var target = RegistryTestKit.Reference(proxy.Address, "faults/push", "v1");

        var summary = await RegistryPusher.PushAsync(image, target, [], store, Kit.Options);

        proxy.FaultsInjected.ShouldBe(4, string.Join("\n", proxy.Events));
        summary.ManifestDigest.ShouldBe(image.ManifestDigest);
        Kit.Log.ShouldContain(l => l.Contains("Pushing the manifest") && l.Contains("HTTP 429") && l.Contains("in 1.0s"), "Retry-After: 1 is honoured");
        var direct = RegistryTestKit.Reference(Registry.Address, "faults/push", "v1");
        RegistryTestKit.ShouldBeTheSameImage(await RegistryImageSource.PullAsync(direct, Platform.LinuxAmd64, Kit.NewStore(), Kit.Options), image);
    }

    [Test]
    public async Task A_pull_succeeds_through_a_reset_blob_a_slow_answer_and_a_bad_gateway()
    {
        var store = Kit.NewStore();
        var image = TestImages.Unique(store, "fault-pull", padding: 200_000);
        await RegistryPusher.PushAsync(image, RegistryTestKit.Reference(Registry.Address, "faults/pull", "v1"), [], store, Kit.Options);
        using var proxy = new FaultProxy(Registry.Port, Once(
            (r => IsManifest(r, "GET"), new Fault.Status(502)),
            (IsBlobGet, new Fault.ResetDuringResponse(20_000)),
            (IsBlobGet, new Fault.Delay(TimeSpan.FromSeconds(3)))), maxFaults: 3);
        var pullStore = Kit.NewStore();
        var options = Kit.Options with { RequestTimeout = TimeSpan.FromSeconds(1), MinimumBytesPerSecond = 10L << 20 };

        var pulled = await RegistryImageSource.PullAsync(RegistryTestKit.Reference(proxy.Address, "faults/pull", "v1"), Platform.LinuxAmd64, pullStore, options);

        proxy.FaultsInjected.ShouldBe(3, string.Join("\n", proxy.Events));
        RegistryTestKit.ShouldBeTheSameImage(pulled, image);
        Kit.Log.ShouldContain(l => l.Contains("no complete answer within 1 seconds"), "the slow answer timed out and was retried");
        RegistryTestKit.PartialFiles(pullStore).ShouldBeEmpty();
    }

    [Test]
    public async Task A_registry_that_refuses_a_large_body_gets_the_blob_in_chunks()
    {
        var store = Kit.NewStore();
        var image = TestImages.Unique(store, "fault-413", layerCount: 1, padding: 200_000);
        using var proxy = new FaultProxy(Registry.Port, Once((r => IsBlobUpload(r) && r.ContentLength > 100_000, new Fault.Status(413))), maxFaults: 1);
        var options = Kit.Options with { ChunkSize = 64 * 1024 };

        await RegistryPusher.PushAsync(image, RegistryTestKit.Reference(proxy.Address, "faults/too-large", "v1"), [], store, options);

        proxy.Events.Count(l => l.Contains("PATCH")).ShouldBeGreaterThanOrEqualTo(4, "200 kB of noise in 64 KiB chunks:\n" + string.Join("\n", proxy.Events));
        RegistryTestKit.ShouldBeTheSameImage(
            await RegistryImageSource.PullAsync(RegistryTestKit.Reference(Registry.Address, "faults/too-large", "v1"), Platform.LinuxAmd64, Kit.NewStore(), Kit.Options), image);
    }

    [Test]
    public async Task A_pull_that_keeps_breaking_fails_after_the_bound_and_leaves_no_partial_blob()
    {
        var store = Kit.NewStore();
        var image = TestImages.Unique(store, "fault-pull-fails", padding: 200_000);
        await RegistryPusher.PushAsync(image, RegistryTestKit.Reference(Registry.Address, "faults/pull-fails", "v1"), [], store, Kit.Options);
        using var proxy = new FaultProxy(Registry.Port, r => IsBlobGet(r) ? new Fault.ResetDuringResponse(20_000) : null, maxFaults: 50);
        var pullStore = Kit.NewStore();
        var options = Kit.Options with { MaxAttempts = 3, MaxParallelTransfers = 1 };

        var e = await RegistryTestKit.FailsWith(Errors.RegistryRetriesExhausted,
            () => RegistryImageSource.PullAsync(RegistryTestKit.Reference(proxy.Address, "faults/pull-fails", "v1"), Platform.LinuxAmd64, pullStore, options));

        e.Message.ShouldContain("after 3 attempts");
        proxy.Events.Count(l => l.Contains(image.Layers[0].Digest.ToString()) && l.Contains("ResetDuringResponse")).ShouldBe(3, "three attempts at the large blob, then it stops");
        RegistryTestKit.PartialFiles(pullStore).ShouldBeEmpty();
        image.Layers.ShouldAllBe(l => !pullStore.Contains(l.Digest) || l.Size < 20_000);
    }

    [Test]
    public async Task A_blob_the_registry_does_not_have_is_named_at_once_without_retries()
    {
        var store = Kit.NewStore();
        var image = TestImages.Unique(store, "fault-404", layerCount: 1);
        await RegistryPusher.PushAsync(image, RegistryTestKit.Reference(Registry.Address, "faults/missing-blob", "v1"), [], store, Kit.Options);
        var layer = image.Layers[0].Digest.ToString();
        using var proxy = new FaultProxy(Registry.Port, r => r.Path.Contains(layer, StringComparison.Ordinal) ? new Fault.Status(404) : null, maxFaults: 10);

        var e = await RegistryTestKit.FailsWith(Errors.RegistryBlobNotFound,
            () => RegistryImageSource.PullAsync(RegistryTestKit.Reference(proxy.Address, "faults/missing-blob", "v1"), Platform.LinuxAmd64, Kit.NewStore(), Kit.Options));

        e.Message.ShouldContain(layer);
        proxy.FaultsInjected.ShouldBe(1);
    }

    [Test]
    public async Task A_push_whose_uploads_keep_failing_moves_no_tag()
    {
        var store = Kit.NewStore();
        var image = TestImages.Unique(store, "fault-no-tag");
        using var proxy = new FaultProxy(Registry.Port, r => IsBlobUpload(r) ? new Fault.Status(503) : null, maxFaults: 50);
        var options = Kit.Options with { MaxAttempts = 2 };

        var e = await RegistryTestKit.FailsWith(Errors.RegistryRetriesExhausted,
            () => RegistryPusher.PushAsync(image, RegistryTestKit.Reference(proxy.Address, "faults/no-tag", "v1"), [], store, options));

        e.Message.ShouldContain("HTTP 503");
        proxy.Events.ShouldNotContain(l => l.Contains("/manifests/"), "no manifest is sent while a blob is missing");
        await RegistryTestKit.FailsWith(Errors.RegistryManifestNotFound,
            () => RegistryImageSource.PullAsync(RegistryTestKit.Reference(Registry.Address, "faults/no-tag", "v1"), Platform.LinuxAmd64, Kit.NewStore(), Kit.Options));
    }

    [Test]
    public async Task A_push_that_fails_before_its_manifest_leaves_the_tag_on_the_previous_complete_image()
    {
        var store = Kit.NewStore();
        var first = TestImages.Unique(store, "fault-keep-first");
        var second = TestImages.Unique(store, "fault-keep-second");
        await RegistryPusher.PushAsync(first, RegistryTestKit.Reference(Registry.Address, "faults/keep", "v1"), [], store, Kit.Options);
        // The second image is complete in the repository (pushed by digest), so the registry would
        // accept its manifest under v1 at any moment: only the pusher's order keeps the tag where it is.
        await RegistryPusher.PushAsync(second, RegistryTestKit.Reference(Registry.Address, "faults/keep", tag: null), [], store, Kit.Options);
        var lastLayer = second.Layers[^1].Digest.ToString();
        using var proxy = new FaultProxy(Registry.Port,
            r => r.Method == "HEAD" && r.Path.EndsWith("/blobs/" + lastLayer, StringComparison.Ordinal) ? new Fault.Status(503) : null, maxFaults: 50);

        await RegistryTestKit.FailsWith(Errors.RegistryRetriesExhausted,
            () => RegistryPusher.PushAsync(second, RegistryTestKit.Reference(proxy.Address, "faults/keep", "v1"), [], store, Kit.Options with { MaxAttempts = 2 }));

        proxy.Events.ShouldContain(l => l.Contains("HEAD") && l.Contains(second.ConfigDigest.ToString()), "the other blobs were checked through the proxy:\n" + string.Join("\n", proxy.Events));
        proxy.Events.ShouldNotContain(l => l.Contains("/manifests/"), "no manifest is sent while a blob is not known to be in place");
        var pulled = await RegistryImageSource.PullAsync(RegistryTestKit.Reference(Registry.Address, "faults/keep", "v1"), Platform.LinuxAmd64, Kit.NewStore(), Kit.Options);
        RegistryTestKit.ShouldBeTheSameImage(pulled, first);
    }
}
