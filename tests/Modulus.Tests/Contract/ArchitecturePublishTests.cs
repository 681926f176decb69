using Modulus.Contract;
using Modulus.Diagnostics;
using Modulus.Images;
using Modulus.Oci;
using Modulus.Plan;
using Modulus.Publishing;
using Modulus.Sources;
using Modulus.Tests.TestSupport;

namespace Modulus.Tests.Contract;

/// <summary>
/// MOD4070 in a multi-platform publish: a ModulusFile goes into every platform's image, so an
/// amd64 binary the start command runs breaks the linux/arm64 image only.
/// </summary>
public class ArchitecturePublishTests
{
    private const string Executable = "0755";

    private static readonly Platform Arm64 = Platform.Parse("linux/arm64");

    private TempDirectory _temp = null!;

    [SetUp]
    public void SetUp() => _temp = new TempDirectory("arch");

    [TearDown]
    public void TearDown() => _temp.Dispose();

    [Test]
    public async Task An_amd64_binary_for_every_platform_fails_the_arm64_image_only()
    {
        var baseLayout = await PublishBase();
        var project = _temp.Combine("app");
        Directory.CreateDirectory(project);
        var server = Path.Combine(project, "server");
        File.WriteAllBytes(server, ElfSamples.X86_64);
        var plan = RunPlan(project, baseLayout, server, Platform.LinuxAmd64, Arm64);
        var log = new RecordingLog();

        var error = await Should.ThrowAsync<ModulusException>(() => ImagePublisher.PublishAsync(plan, log, CancellationToken.None));

        error.Error.ShouldBe(Errors.ContractValidationFailed);
        var diagnostic = log.Diagnostics.Where(d => d.Severity == DiagnosticSeverity.Error && d.Code != error.Code)
            .ShouldHaveSingleItem(string.Join("\n", log.Diagnostics));
        diagnostic.Code.ShouldBe("MOD4070");
        diagnostic.Text.ShouldContain("/opt/app/server, the program the start command runs, is a program for amd64, but the image is for linux/arm64");

        var amd64 = await ImagePublisher.PublishAsync(RunPlan(_temp.Combine("app-amd64"), baseLayout, server, Platform.LinuxAmd64), RecordingLog.Clean(),
            CancellationToken.None);
        amd64.Report.ManifestDigest.ShouldNotBeNull("the same file in an amd64 image is no error");
    }

    /// <summary>A base for both platforms with what the standard needs; its programs are placeholders no header check can place.</summary>
    private async Task<string> PublishBase()
    {
        var folder = _temp.Combine("base");
        PlannedFile Inline(string path, string content, string? mode = null) =>
            new(path, null, content, null, path, PermissionMode.Parse(mode, path), null, SourceLocation.Unknown);
        var plan = TestPlans.In(folder, _temp.Combine("cache"), "arch/base", platforms: [Platform.LinuxAmd64, Arm64]) with
        {
            Files =
            [
                Inline("/etc/passwd", "root:x:0:0:root:/root:/bin/bash\n"),
                Inline("/etc/group", "root:x:0:\nshadow:x:42:\n"),
                .. new[] { "/bin/sh", "/bin/bash", "/usr/bin/python3" }.Select(p => Inline(p, "\u007fELF", Executable)),
                .. new[] { "/usr/bin/supervisord", "/usr/bin/supervisorctl" }.Select(p => Inline(p, "#!/usr/bin/python3\n", Executable)),
            ],
            Config = new ConfigChanges { Environment = [new("PATH", "/usr/local/bin:/usr/bin:/bin")] },
        };
        var result = await ImagePublisher.PublishAsync(plan, RecordingLog.Clean(), CancellationToken.None);
        return result.Report.LayoutPath;
    }

    private ImagePlan RunPlan(string folder, string baseLayout, string server, params Platform[] platforms) =>
        TestPlans.In(folder, _temp.Combine("cache"), "arch/app", BaseImageSource.Parse($"oci-layout:{baseLayout}:v1", folder), platforms) with
        {
            Files = [new PlannedFile("server", server, null, "/opt/app/", "server", PermissionMode.Parse(Executable, "server"), null, SourceLocation.Unknown)],
            Contract = new ContractPlan { Kind = ImageKind.Run, StartCommand = StartSpec.FromCommand("/opt/app/server --port 8080") },
        };
}
