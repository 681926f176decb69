using Modulus.Debian;
using Modulus.Contract;
using Modulus.Diagnostics;
using Modulus.Layers;
using Modulus.Oci;
using Modulus.Plan;
using Modulus.Publishing;
using Modulus.Tests.TestSupport;

namespace Modulus.Tests.Publishing;

public class PlanFingerprintTests
{
    private static ImagePlan Plan(TempDirectory temp, string source) => new()
    {
        BaseImage = Modulus.Sources.BaseImageSource.Scratch,
        ProjectDirectory = temp.Path,
        Platform = Platform.LinuxAmd64,
        Files = [new PlannedFile("a.txt", source, null, "/srv/", "a.txt", null, null, SourceLocation.Unknown)],
        Repository = "sample",
        Tags = ["latest"],
        OutputDirectory = temp.Combine("publish"),
        IntermediateDirectory = temp.Combine("obj"),
        BlobCacheDirectory = temp.Combine("cache"),
    };

    [Test]
    public void The_same_plan_and_files_give_the_same_fingerprint()
    {
        using var temp = new TempDirectory();
        var plan = Plan(temp, temp.WriteFile("a.txt", "a"));

        PlanFingerprint.Compute(plan).ShouldBe(PlanFingerprint.Compute(plan with { }));
    }

    [Test]
    public void A_changed_source_file_changes_the_fingerprint()
    {
        using var temp = new TempDirectory();
        var source = temp.WriteFile("a.txt", "a");
        var plan = Plan(temp, source);
        var before = PlanFingerprint.Compute(plan);

        File.SetLastWriteTimeUtc(source, File.GetLastWriteTimeUtc(source).AddSeconds(5));

        PlanFingerprint.Compute(plan).ShouldNotBe(before);
    }

    [Test]
    public void A_changed_setting_changes_the_fingerprint()
    {
        using var temp = new TempDirectory();
        var plan = Plan(temp, temp.WriteFile("a.txt", "a"));

        PlanFingerprint.Compute(plan with { Tags = ["v2"] }).ShouldNotBe(PlanFingerprint.Compute(plan));
        PlanFingerprint.Compute(plan with { Config = new() { User = "app" } }).ShouldNotBe(PlanFingerprint.Compute(plan));
    }

    [Test]
    public void A_changed_base_image_file_changes_the_fingerprint()
    {
        using var temp = new TempDirectory();
        var archive = temp.WriteFile("base.tar", "one");
        var plan = Plan(temp, temp.WriteFile("a.txt", "a")) with { BaseImage = Modulus.Sources.BaseImageSource.Parse("docker-archive:base.tar", temp.Path) };
        var before = PlanFingerprint.Compute(plan);

        File.WriteAllText(archive, "two, longer");

        PlanFingerprint.Compute(plan).ShouldNotBe(before);
    }

    [Test]
    public void Debian_packages_and_their_lock_files_content_are_in_the_fingerprint()
    {
        using var temp = new TempDirectory();
        var lockPath = temp.Combine("packages.lock.debian.json");
        PlannedDebian Debian(params string[] packages) => new(new DebianRequest { Packages = [.. packages], LockFilePath = lockPath }, []);
        var plan = Plan(temp, temp.WriteFile("a.txt", "a")) with { Debian = Debian("bash") };
        var withoutLock = PlanFingerprint.Compute(plan);

        PlanFingerprint.Compute(plan with { Debian = Debian("bash", "curl") }).ShouldNotBe(withoutLock);
        File.WriteAllText(lockPath, "{\"version\": 1}");
        var locked = PlanFingerprint.Compute(plan);
        locked.ShouldNotBe(withoutLock);
        File.WriteAllText(lockPath, "{\"version\": 2}");
        PlanFingerprint.Compute(plan).ShouldNotBe(locked);
    }

    [Test]
    public void Debian_path_rules_and_their_order_are_in_the_fingerprint()
    {
        using var temp = new TempDirectory();
        PlannedDebian Debian(bool slim, params DpkgPathRule[] rules) => new(new DebianRequest { Packages = ["bash"], Slim = slim, PathRules = rules }, []);
        var plan = Plan(temp, temp.WriteFile("a.txt", "a"));
        var (exclude, include) = (DpkgPathRule.Exclude("/usr/share/man/*"), DpkgPathRule.Include("/usr/share/man/man1/*"));
        var fingerprints = new[]
        {
            PlanFingerprint.Compute(plan with { Debian = Debian(slim: true) }),
            PlanFingerprint.Compute(plan with { Debian = Debian(slim: false) }),
            PlanFingerprint.Compute(plan with { Debian = Debian(true, exclude, include) }),
            PlanFingerprint.Compute(plan with { Debian = Debian(true, include, exclude) }),
        };

        fingerprints.Distinct().Count().ShouldBe(4);
        PlanFingerprint.Compute(plan with { Debian = Debian(true, exclude, include) }).ShouldBe(fingerprints[2]);
    }

    public static IEnumerable<TestCaseData> ContractChanges()
    {
        var run = new ContractPlan { Kind = ImageKind.Run };
        yield return new TestCaseData(ContractPlan.Plain).SetName("The image kind is part of the fingerprint");
        yield return new TestCaseData(run with { Standard = RunImageStandard.Default with { Uid = 2001 } }).SetName("The user id is part of the fingerprint");
        yield return new TestCaseData(run with { Standard = RunImageStandard.Default with { LogBackups = 3 } }).SetName("The log backups are part of the fingerprint");
        yield return new TestCaseData(run with { StartCommand = StartSpec.FromCommand("dotnet App.dll") }).SetName("The start command is part of the fingerprint");
    }

    [Test]
    public void The_start_working_directory_is_part_of_the_fingerprint()
    {
        using var temp = new TempDirectory();
        var plan = Plan(temp, temp.WriteFile("a.txt", "a")) with { Contract = new ContractPlan { Kind = ImageKind.Run, StartCommand = StartSpec.FromCommand("dotnet App.dll") } };

        var moved = plan with { Contract = plan.Contract with { StartCommand = StartSpec.FromCommand("dotnet App.dll", UnixPath.Parse("/srv")) } };

        PlanFingerprint.Compute(moved).ShouldNotBe(PlanFingerprint.Compute(plan));
    }

    [TestCaseSource(nameof(ContractChanges))]
    public void A_changed_contract_setting_changes_the_fingerprint(ContractPlan contract)
    {
        using var temp = new TempDirectory();
        var plan = Plan(temp, temp.WriteFile("a.txt", "a")) with { Contract = new ContractPlan { Kind = ImageKind.Run } };

        PlanFingerprint.Compute(plan with { Contract = contract }).ShouldNotBe(PlanFingerprint.Compute(plan));
    }

    [Test]
    public void A_changed_start_script_changes_the_fingerprint()
    {
        using var temp = new TempDirectory();
        var script = temp.WriteFile("start.sh", "#!/bin/sh\nexec app\n");
        var plan = Plan(temp, temp.WriteFile("a.txt", "a")) with { Contract = new ContractPlan { Kind = ImageKind.Run, StartScript = script } };
        var before = PlanFingerprint.Compute(plan);

        File.SetLastWriteTimeUtc(script, File.GetLastWriteTimeUtc(script).AddSeconds(5));

        PlanFingerprint.Compute(plan).ShouldNotBe(before);
    }
}
