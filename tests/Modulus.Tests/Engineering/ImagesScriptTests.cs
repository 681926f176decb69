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
            TimeSpan.FromMinutes(20), _copy.Combine("repo"), Environment());
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

        root.GetProperty("repository").GetString().ShouldBe(ContainerRepository(name));
        root.GetProperty("tags").EnumerateArray().Select(t => t.GetString()).ShouldContain("latest");
        root.GetProperty("layoutPath").GetString().ShouldBe(layout);
        root.GetProperty("archivePath").GetString().ShouldBe(Path.Combine(folder, "image.tar"));
        File.Exists(Path.Combine(folder, "sbom.spdx.json")).ShouldBeTrue("the SBOM beside the image");

        if (!root.TryGetProperty("platforms", out var platforms))
        {
            Tools.RunChecked("umoci", ["ls", "--layout", layout]).StdOut.Trim().ShouldBe("latest");
            ImageAgrees(layout, "latest", null, root.GetProperty("manifestDigest").GetString()!, Layers(root), Path.Combine(folder, "image.tar"));
            return;
        }

        ProjectPlatforms(name).ShouldBe(platforms.EnumerateArray().Select(p => p.GetProperty("platform").GetString()!).ToArray(),
            "the image is built for the platforms its project names");
        var raw = Tools.RunChecked("skopeo", ["inspect", "--raw", $"oci:{layout}:latest"]).StdOut;
        using var index = JsonDocument.Parse(raw);
        index.RootElement.GetProperty("mediaType").GetString().ShouldBe("application/vnd.oci.image.index.v1+json", raw);
        index.RootElement.GetProperty("manifests").EnumerateArray().Select(m => m.GetProperty("digest").GetString())
            .ShouldBe(platforms.EnumerateArray().Select(p => p.GetProperty("manifestDigest").GetString()), raw);
        Tools.RunChecked("umoci", ["ls", "--layout", layout]).StdOut.Split('\n', StringSplitOptions.RemoveEmptyEntries).Order(StringComparer.Ordinal)
            .ShouldBe(["latest", "latest-linux-amd64", "latest-linux-arm64"]);
        foreach (var platform in platforms.EnumerateArray())
        {
            var part = platform.GetProperty("platform").GetString()!.Replace("/v8", "").Replace('/', '-');
            ImageAgrees(layout, "latest-" + part, platform.GetProperty("platform").GetString()!.Split('/')[1],
                root.GetProperty("indexDigest").GetString()!, Layers(platform), Path.Combine(folder, $"image-{part}.tar"));
        }
        new FileInfo(Path.Combine(folder, "image.tar")).LinkTarget.ShouldBe("image-linux-amd64.tar", "image.tar is this machine's platform");
    }

    /// <summary>skopeo reads <paramref name="digest"/> at latest and umoci the manifest at <paramref name="tag"/>, both with these layers; its tar is docker-loadable.</summary>
    private static void ImageAgrees(string layout, string tag, string? architecture, string digest, string[] layers, string archive)
    {
        var inspected = Tools.RunChecked("skopeo", [.. architecture is null ? [] : new[] { "--override-arch", architecture },
            "inspect", $"oci:{layout}:latest"]).StdOut;
        using var skopeo = JsonDocument.Parse(inspected);
        skopeo.RootElement.GetProperty("Digest").GetString().ShouldBe(digest, inspected);
        skopeo.RootElement.GetProperty("Layers").EnumerateArray().Select(l => l.GetString()).ShouldBe(layers, inspected);

        var stat = Tools.RunChecked("umoci", ["stat", "--image", $"{layout}:{tag}", "--json"]).StdOut;
        using var history = JsonDocument.Parse(stat);
        history.RootElement.GetProperty("history").EnumerateArray()
            .Where(h => h.TryGetProperty("layer", out var l) && l.ValueKind == JsonValueKind.Object)
            .Select(h => h.GetProperty("layer").GetProperty("digest").GetString())
            .ShouldBe(layers, "umoci reads the same layers from the manifest:\n" + stat);

        var archived = Tools.RunChecked("tar", ["-tf", archive]).StdOut.Split('\n');
        archived.ShouldContain("manifest.json", $"{archive} is docker-loadable");
        foreach (var layer in layers) archived.ShouldContain("blobs/sha256/" + layer["sha256:".Length..]);
    }

    private static string[] Layers(JsonElement image) =>
        image.GetProperty("layers").EnumerateArray().Select(l => l.GetProperty("digest").GetString()!).ToArray();

    /// <summary>
    /// The arm64 run images, built on this amd64 machine without emulation, run under emulation:
    /// qemu user mode runs one program of the unpacked image with the image as its root, so the
    /// program, its loader and its libraries are all the image's arm64 files.
    /// </summary>
    [TestCaseSource(nameof(Arm64Programs))]
    public void The_arm64_image_runs_its_programs_under_emulation(string name, string program, string[] arguments, string expected)
    {
        var qemu = Tools.Require("qemu-aarch64-static");
        var rootfs = Arm64RootFs(name);

        // binfmt_misc is the kernel's, shared by every container on the machine: a test does not
        // register handlers there, so it runs the program through qemu itself, with -L.
        TestContext.Progress.WriteLine($"{name} arm64: qemu-aarch64-static -L <umoci rootfs> {program}");
        var run = Tools.Run(qemu, ["-L", rootfs, Path.Combine(rootfs, program.TrimStart('/')), .. arguments], TimeSpan.FromMinutes(2), rootfs);

        run.ExitCode.ShouldBe(0, run.ToString());
        run.StdOut.ShouldContain(expected, Case.Sensitive, run.ToString());
    }

    public static IEnumerable<TestCaseData> Arm64Programs()
    {
        yield return new TestCaseData("base", "/usr/bin/bash", new[] { "-c", "echo \"$BASH_VERSION $HOSTTYPE\"" }, "aarch64").SetName("images/base arm64: bash runs");
        yield return new TestCaseData("base", "/usr/bin/python3", new[] { "-c", "import platform, supervisor.supervisord; print(platform.machine())" }, "aarch64")
            .SetName("images/base arm64: python3 imports supervisord");
        yield return new TestCaseData("base", "/usr/bin/python3", new[] { "/usr/bin/supervisord", "--version" }, "4.").SetName("images/base arm64: supervisord runs");
        yield return new TestCaseData("base", "/usr/bin/dpkg-query", new[] { "-W", "-f", "${Package} ${Architecture}\\n", "bash" }, "bash arm64")
            .SetName("images/base arm64: dpkg knows its arm64 packages");
        yield return new TestCaseData("build-base", "/usr/bin/gcc-12", new[] { "-dumpmachine" }, "aarch64-linux-gnu")
            .SetName("images/build-base arm64: the C compiler runs");
        foreach (var version in PublishedNodeImage.Versions)
            yield return new TestCaseData("node", $"/opt/modulus/node/{version}/bin/node", new[] { "-p", "process.arch + ' ' + process.version" }, $"arm64 v{version}")
                .SetName($"images/node arm64: node {version} runs");
        // The muxer is a Python program that loads the image's arm64 libhostfxr.so; the path is
        // relative to the root file system, the program's working folder.
        yield return new TestCaseData("dotnet", "/usr/bin/python3", new[] { "usr/share/dotnet/dotnet", "--list-runtimes" }, "Microsoft.AspNetCore.App 10.0.12")
            .SetName("images/dotnet arm64: dotnet lists its runtimes");
    }

    private readonly Dictionary<string, string> _arm64RootFs = [];

    private string Arm64RootFs(string name)
    {
        if (_arm64RootFs.TryGetValue(name, out var known)) return known;
        var bundle = _copy.Combine(name + "-arm64-bundle");
        Tools.RunChecked("umoci", ["unpack", "--rootless", "--image", $"{Path.Combine(Artifacts(), name, "oci-layout")}:latest-linux-arm64", bundle]);
        return _arm64RootFs[name] = Path.Combine(bundle, "rootfs");
    }

    private static string[] ProjectPlatforms(string name)
    {
        var project = XDocument.Load(Directory.GetFiles(RepoPaths.Combine("images", name), "*.csproj").Single());
        return project.Descendants("ModulusPlatforms").Single().Value.Split(';');
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
