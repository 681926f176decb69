using System.Collections.Concurrent;
using Modulus.Debian;
using Modulus.Diagnostics;
using Modulus.Images;
using Modulus.Oci;
using Modulus.Plan;
using Modulus.Publishing;
using Modulus.Tests.Debian;
using Modulus.Tests.TestSupport;
using static Modulus.Tests.Debian.DebFixture;

namespace Modulus.Tests.Publishing;

/// <summary>
/// The platforms of a multi-platform image are built at the same time: each platform's Debian
/// packages download while the other's do (a mirror that holds each architecture's package until
/// the other architecture's is asked for proves it), and a platform that fails stops the others
/// and gives the publish its own error.
/// </summary>
public class ConcurrentPlatformsTests : SignedMirrorTest
{
    private static readonly Platform Arm64 = Platform.Parse("linux/arm64");

    protected override string FolderPrefix => "platforms-together";

    [SetUp]
    public void AddPackages()
    {
        foreach (var architecture in new[] { "amd64", "arm64" })
            Mirror.Add("hello", "1.0", Build("hello", "1.0", [new("./usr/bin/hello", Content: architecture, Mode: 0b111_101_101)]), architecture: architecture);
        Mirror.Add("amd64-only", "1.0", Build("amd64-only", "1.0", [new("./usr/bin/x", Content: "x")]));
        Mirror.Add("greeting", "1.0", Build("greeting", "1.0", [new("./usr/share/greeting", Content: "hi")]), architecture: "all");
        Mirror.Publish();
    }

    [Test]
    public async Task Each_platform_downloads_its_packages_while_the_other_does()
    {
        var mirror = new PairedDownloads(Mirror);

        var result = await Publish(Plan("hello"), mirror);

        mirror.Alone.ShouldBeEmpty("an architecture's package was asked for while the other platform waited");
        mirror.Released.OrderBy(a => a).ShouldBe(["amd64", "arm64"]);
        result.Report.Platforms!.Select(p => p.Platform).ShouldBe(["linux/amd64", "linux/arm64"], "the index keeps the plan's order");
        var alone = await Publish(Plan("hello", "alone") with { Platforms = [] }, Mirror);
        result.Report.Platforms![0].ManifestDigest.ShouldBe(alone.Report.ManifestDigest, "built beside another, the amd64 image is the one built alone");
    }

    [Test]
    public async Task A_package_of_Architecture_all_is_fetched_once_for_both_platforms()
    {
        // The package's download is held 3 s: time enough for the other platform to ask for it too, were it to.
        var result = await Publish(Plan("greeting"), new Held(Mirror, "greeting_1.0_all.deb", TimeSpan.FromSeconds(3)));

        Mirror.Requests.Count(r => r.EndsWith("greeting_1.0_all.deb", StringComparison.Ordinal)).ShouldBe(1);
        result.Report.Platforms!.Count.ShouldBe(2);
    }

    [Test]
    public async Task A_platform_that_fails_stops_the_other_and_its_error_is_the_publishs()
    {
        var mirror = new PairedDownloads(Mirror);
        var plan = Plan("amd64-only");

        var error = await Should.ThrowAsync<ModulusException>(() => Publish(plan, mirror));

        error.Code.ShouldBe("MOD3008");
        error.Message.ShouldContain("arm64");
        mirror.Released.ShouldBeEmpty("the amd64 download was stopped, not left to run out its wait");
        (Directory.Exists(plan.OutputDirectory) ? Directory.EnumerateFileSystemEntries(plan.OutputDirectory) : []).ShouldBeEmpty();
    }

    private ImagePlan Plan(string package, string folder = "project") =>
        TestPlans.In(Temp.Combine(folder), Temp.Combine("cache-" + folder), "together/image", platforms: [Platform.LinuxAmd64, Arm64]) with
        {
            Debian = new PlannedDebian(FromMirror(new DebianRequest { Packages = [package] }), [SourceLocation.Unknown]),
            Config = new ConfigChanges { Entrypoint = ["/usr/bin/hello"] },
        };

    private static Task<PublishResult> Publish(ImagePlan plan, HttpMessageHandler mirror) =>
        ImagePublisher.PublishAsync(plan, declared: null, new RecordingLog(), CancellationToken.None, null, () => new HttpClient(mirror, disposeHandler: false));

    /// <summary>Holds every request for one file for a while before the mirror answers it.</summary>
    private sealed class Held(HttpMessageHandler mirror, string file, TimeSpan wait) : DelegatingHandler(mirror)
    {
        protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            if (request.RequestUri!.AbsolutePath.EndsWith(file, StringComparison.Ordinal)) await Task.Delay(wait, cancellationToken);
            return await base.SendAsync(request, cancellationToken);
        }
    }

    /// <summary>Holds a request for an amd64 or arm64 package until one of the other architecture has come, 20 s at the most.</summary>
    private sealed class PairedDownloads(HttpMessageHandler mirror) : DelegatingHandler(mirror)
    {
        private readonly ConcurrentDictionary<string, TaskCompletionSource> _asked = new();

        /// <summary>Architectures whose package waited out the 20 s alone.</summary>
        public ConcurrentBag<string> Alone { get; } = [];

        /// <summary>Architectures whose package went on to the mirror.</summary>
        public ConcurrentBag<string> Released { get; } = [];

        protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            var path = request.RequestUri!.AbsolutePath;
            var architecture = path.EndsWith("_amd64.deb", StringComparison.Ordinal) ? "amd64" : path.EndsWith("_arm64.deb", StringComparison.Ordinal) ? "arm64" : null;
            if (architecture is not null)
            {
                Asked(architecture).TrySetResult();
                var other = Asked(architecture == "amd64" ? "arm64" : "amd64").Task;
                if (await Task.WhenAny(other, Task.Delay(TimeSpan.FromSeconds(20), cancellationToken)) != other)
                {
                    cancellationToken.ThrowIfCancellationRequested();
                    Alone.Add(architecture);
                }
                Released.Add(architecture);
            }
            return await base.SendAsync(request, cancellationToken);
        }

        private TaskCompletionSource Asked(string architecture) =>
            _asked.GetOrAdd(architecture, _ => new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously));
    }
}
