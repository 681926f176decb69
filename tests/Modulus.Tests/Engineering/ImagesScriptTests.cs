using System.Diagnostics;
using System.Text.Json;
using System.Xml.Linq;
using Modulus.Tests.RunImages;
using Modulus.Tests.TestSupport;

namespace Modulus.Tests.Engineering;

/// <summary>
/// `bash eng/images.sh` itself, run once in a copy of the repository (so that its artifacts/ is
/// the copy's, never the checkout's): it packs the SDK from source and publishes every project
/// under images/, images/example included, which nothing else builds. Each image's outputs are
/// read with skopeo and umoci, which share no code with Modulus. The blob cache is the run-image
/// tests' (passed through the script's arguments), so CI downloads the Debian packages and
/// runtimes once for both.
/// </summary>
[NonParallelizable]
public class ImagesScriptTests
{
    /// <summary>Folders of a checkout that are build output or history, not sources the script reads.</summary>
    private static readonly string[] NotCopied = [".git", "bin", "obj", "artifacts", "TestResults", "node_modules"];

    private TempDirectory _copy = null!;
    private Tools.Result _run = null!;

    public static IEnumerable<string> ImageNames() =>
        Directory.GetFiles(RepoPaths.Combine("images"), "*.csproj", SearchOption.AllDirectories)
            .Select(p => Path.GetFileName(Path.GetDirectoryName(p)!)!)
            .Order(StringComparer.Ordinal);

    [OneTimeSetUp]
    public void RunTheScriptInACopy()
    {
        var bash = Tools.Require("bash");
        Tools.Require("skopeo");
        Tools.Require("umoci");
        _copy = new TempDirectory("images-sh");
        Tools.RunChecked(Tools.Require("tar"), [
            "-C", RepoPaths.Root, .. NotCopied.Select(n => "--exclude=" + n), "-cf", _copy.Combine("repo.tar"), "."]);
        Directory.CreateDirectory(_copy.Combine("repo"));
        Tools.RunChecked("tar", ["-C", _copy.Combine("repo"), "-xf", _copy.Combine("repo.tar")]);

        var clock = Stopwatch.StartNew();
        _run = Tools.Run(bash, ["eng/images.sh", "-p:ModulusBlobCache=" + PublishedBaseImage.BlobCache],
            TimeSpan.FromMinutes(15), _copy.Combine("repo"), Environment());
        TestContext.Progress.WriteLine($"bash eng/images.sh: exit {_run.ExitCode} in {clock.Elapsed.TotalSeconds:F0} s");
    }

    [OneTimeTearDown]
    public void RemoveTheCopy() => _copy?.Dispose();

    [Test]
    public void The_script_succeeds_and_publishes_every_image_project()
    {
        _run.ExitCode.ShouldBe(0, _run.ToString());
        foreach (var name in ImageNames())
            _run.StdOut.ShouldContain($"== {name}\n", Case.Sensitive, _run.ToString());
        Directory.GetDirectories(Artifacts()).Select(d => Path.GetFileName(d)).Order(StringComparer.Ordinal)
            .ShouldBe(ImageNames(), "artifacts/images/ holds one folder per image project:\n" + _run);
    }

    [TestCaseSource(nameof(ImageNames))]
    public void The_outputs_of_each_image_agree_with_skopeo_and_umoci(string name)
    {
        var folder = Path.Combine(Artifacts(), name);
        var report = Path.Combine(folder, "modulus-image.json");
        File.Exists(report).ShouldBeTrue($"{report} was not written:\n{_run}");
        using var json = JsonDocument.Parse(File.ReadAllText(report));
        var root = json.RootElement;
        var layout = Path.Combine(folder, "oci-layout");
        var layers = root.GetProperty("layers").EnumerateArray().Select(l => l.GetProperty("digest").GetString()!).ToArray();

        root.GetProperty("repository").GetString().ShouldBe(ContainerRepository(name));
        root.GetProperty("tags").EnumerateArray().Select(t => t.GetString()).ShouldContain("latest");
        root.GetProperty("layoutPath").GetString().ShouldBe(layout);
        root.GetProperty("archivePath").GetString().ShouldBe(Path.Combine(folder, "image.tar"));
        File.Exists(Path.Combine(folder, "sbom.spdx.json")).ShouldBeTrue("the SBOM beside the image");

        var inspected = Tools.RunChecked("skopeo", ["inspect", $"oci:{layout}:latest"]).StdOut;
        using var skopeo = JsonDocument.Parse(inspected);
        skopeo.RootElement.GetProperty("Digest").GetString().ShouldBe(root.GetProperty("manifestDigest").GetString(), inspected);
        skopeo.RootElement.GetProperty("Layers").EnumerateArray().Select(l => l.GetString()).ShouldBe(layers, inspected);

        Tools.RunChecked("umoci", ["ls", "--layout", layout]).StdOut.Trim().ShouldBe("latest");
        var stat = Tools.RunChecked("umoci", ["stat", "--image", $"{layout}:latest", "--json"]).StdOut;
        using var history = JsonDocument.Parse(stat);
        history.RootElement.GetProperty("history").EnumerateArray()
            .Where(h => h.TryGetProperty("layer", out var l) && l.ValueKind == JsonValueKind.Object)
            .Select(h => h.GetProperty("layer").GetProperty("digest").GetString())
            .ShouldBe(layers, "umoci reads the same layers from the manifest:\n" + stat);

        var archived = Tools.RunChecked("tar", ["-tf", Path.Combine(folder, "image.tar")]).StdOut.Split('\n');
        archived.ShouldContain("manifest.json", "image.tar is docker-loadable");
        foreach (var digest in layers) archived.ShouldContain("blobs/sha256/" + digest["sha256:".Length..]);
    }

    [Test]
    public void The_example_image_holds_its_file_its_link_and_its_environment()
    {
        var layout = Path.Combine(Artifacts(), "example", "oci-layout");
        var bundle = _copy.Combine("example-bundle");

        Tools.RunChecked("umoci", ["unpack", "--rootless", "--image", $"{layout}:latest", bundle]);
        var config = Tools.RunChecked("skopeo", ["inspect", "--config", $"oci:{layout}:latest"]).StdOut;

        var hello = Path.Combine(bundle, "rootfs", "srv", "hello.txt");
        File.ReadAllText(hello).ShouldBe(File.ReadAllText(RepoPaths.Combine("images", "example", "hello.txt")));
        new FileInfo(Path.Combine(bundle, "rootfs", "srv", "greeting.txt")).LinkTarget.ShouldBe("hello.txt");
        using var json = JsonDocument.Parse(config);
        var imageConfig = json.RootElement.GetProperty("config");
        imageConfig.GetProperty("Env").EnumerateArray().Select(e => e.GetString()).ShouldContain("GREETING_FILE=/srv/greeting.txt", config);
        imageConfig.GetProperty("Labels").GetProperty("org.opencontainers.image.title").GetString().ShouldBe("Modulus example", config);
    }

    private string Artifacts() => _copy.Combine("repo", "artifacts", "images");

    private static string ContainerRepository(string name)
    {
        var project = XDocument.Load(Directory.GetFiles(RepoPaths.Combine("images", name), "*.csproj").Single());
        return project.Descendants("ContainerRepository").Single().Value;
    }

    /// <summary>
    /// The test host's MSBuild variables would point the script's dotnet at the wrong MSBuild; node
    /// reuse would keep the packed task assembly loaded after the script ends.
    /// </summary>
    private static Dictionary<string, string?> Environment()
    {
        var environment = System.Environment.GetEnvironmentVariables().Keys.Cast<string>()
            .Where(k => k.StartsWith("MSBuild", StringComparison.OrdinalIgnoreCase) || k.StartsWith("DOTNET_HOST", StringComparison.OrdinalIgnoreCase))
            .ToDictionary(k => k, _ => (string?)null);
        environment["MSBUILDDISABLENODEREUSE"] = "1";
        environment["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1";
        environment["DOTNET_NOLOGO"] = "1";
        return environment;
    }
}
