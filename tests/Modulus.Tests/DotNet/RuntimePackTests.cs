using Modulus.Diagnostics;
using Modulus.DotNet;
using Modulus.Layers;
using Modulus.Tests.TestSupport;

namespace Modulus.Tests.DotNet;

/// <summary>
/// Runtime packs read from a NuGet package folder and laid out as an installed .NET, with small
/// fake packages: what goes where, with which mode, and what is refused.
/// </summary>
public class RuntimePackTests
{
    private const string NetCore = "Microsoft.NETCore.App.Runtime.linux-x64";

    private TempDirectory _temp = null!;

    private string Packages => _temp.Combine("packages");

    private string Cache => _temp.Combine("cache");

    [SetUp]
    public void SetUp() => _temp = new TempDirectory("runtime-pack");

    [TearDown]
    public void TearDown() => _temp.Dispose();

    private RuntimePack Read(string id = NetCore, string version = "10.0.1") =>
        RuntimePack.Read(Packages, id, version, FakeRuntimePack.Rid, Cache);

    [Test]
    public void A_netcore_pack_is_laid_out_as_the_shared_framework_with_hostfxr_under_host_fxr()
    {
        FakeRuntimePack.Write(Packages, NetCore, "10.0.1", FakeRuntimePack.NetCoreEntries);

        var entries = DotnetLayout.Framework(DotnetRuntimeRequest.NetCore, "10.0.1", Read(), FakeRuntimePack.Rid)
            .ToDictionary(e => e.Path.Value, e => e.Mode);

        const string shared = "/usr/share/dotnet/shared/Microsoft.NETCore.App/10.0.1/";
        entries.ShouldBe(new Dictionary<string, int>
        {
            [shared + ".version"] = LayerEntry.DefaultFileMode,
            [shared + "Microsoft.NETCore.App.deps.json"] = LayerEntry.DefaultFileMode,
            [shared + "Microsoft.NETCore.App.runtimeconfig.json"] = LayerEntry.DefaultFileMode,
            [shared + "System.Private.CoreLib.dll"] = LayerEntry.DefaultFileMode,
            [shared + "libcoreclr.so"] = LayerEntry.DefaultExecutableMode,
            [shared + "libhostpolicy.so"] = LayerEntry.DefaultExecutableMode,
            [shared + "createdump"] = LayerEntry.DefaultExecutableMode,
            ["/usr/share/dotnet/host/fxr/10.0.1/libhostfxr.so"] = LayerEntry.DefaultExecutableMode,
        }, ignoreOrder: true);
    }

    [Test]
    public void The_version_file_is_the_packs_versions_txt()
    {
        FakeRuntimePack.Write(Packages, NetCore, "10.0.1", FakeRuntimePack.NetCoreEntries);

        var version = DotnetLayout.Framework(DotnetRuntimeRequest.NetCore, "10.0.1", Read(), FakeRuntimePack.Rid)
            .OfType<FileEntry>().Single(e => e.Path.Name == ".version");

        using var reader = new StreamReader(version.Content.OpenRead());
        reader.ReadToEnd().ShouldBe("Microsoft.NETCore.App.versions.txt");
    }

    [Test]
    public void A_pack_changed_after_restore_is_refused_and_nothing_is_extracted()
    {
        var nupkg = FakeRuntimePack.Write(Packages, NetCore, "10.0.1", FakeRuntimePack.NetCoreEntries);
        File.AppendAllText(nupkg, "tampered");

        var error = Should.Throw<ModulusException>(() => Read());

        error.Code.ShouldBe("MOD3204");
        error.Message.ShouldContain(nupkg);
        Directory.Exists(Path.Combine(Cache, "dotnet", "packs")).ShouldBeFalse();
    }

    [Test]
    public void A_pack_that_restore_did_not_download_names_the_package_folder()
    {
        var error = Should.Throw<ModulusException>(() => Read());

        error.Code.ShouldBe("MOD3203");
        error.Message.ShouldContain(NetCore);
        error.Message.ShouldContain(Packages);
    }

    public static IEnumerable<TestCaseData> HostileNames()
    {
        yield return new TestCaseData($"runtimes/{FakeRuntimePack.Rid}/lib/net10.0/../../../../../etc/passwd").SetName("An entry climbing out with .. is refused");
        yield return new TestCaseData("/etc/passwd").SetName("An absolute entry is refused");
        yield return new TestCaseData($"runtimes\\{FakeRuntimePack.Rid}\\native\\libcoreclr.so").SetName("An entry with backslashes is refused");
    }

    [TestCaseSource(nameof(HostileNames))]
    public void Hostile_entry_names_are_refused(string name)
    {
        FakeRuntimePack.Write(Packages, NetCore, "10.0.1", [.. FakeRuntimePack.NetCoreEntries, name]);

        var error = Should.Throw<ModulusException>(() => Read());

        error.Code.ShouldBe("MOD3205");
        error.Message.ShouldContain(name);
    }

    [Test]
    public void An_entry_that_a_zip_records_as_a_symlink_is_refused()
    {
        FakeRuntimePack.Write(Packages, NetCore, "10.0.1", FakeRuntimePack.NetCoreEntries, unixMode: 0xA1FF);

        Should.Throw<ModulusException>(() => Read()).Code.ShouldBe("MOD3205");
    }

    [Test]
    public void A_netcore_pack_without_hostfxr_is_incomplete()
    {
        FakeRuntimePack.Write(Packages, NetCore, "10.0.1", FakeRuntimePack.NetCoreEntries.Where(e => !e.EndsWith("libhostfxr.so", StringComparison.Ordinal)));

        var error = Should.Throw<ModulusException>(() => DotnetLayout.Framework(DotnetRuntimeRequest.NetCore, "10.0.1", Read(), FakeRuntimePack.Rid));

        error.Code.ShouldBe("MOD3206");
        error.Message.ShouldContain("libhostfxr.so");
    }

    [Test]
    public void A_pack_is_extracted_once_and_read_from_the_cache_afterwards()
    {
        var nupkg = FakeRuntimePack.Write(Packages, NetCore, "10.0.1", FakeRuntimePack.NetCoreEntries);
        var first = Read();
        File.Delete(nupkg);
        File.WriteAllText(nupkg, "the package folder was cleaned");

        // The cache folder is named by the hash restore recorded, which still names the verified copy.
        var second = Read();

        second.Folder.ShouldBe(first.Folder);
        second.Files.Keys.ShouldBe(first.Files.Keys, ignoreOrder: true);
    }

    public static IEnumerable<TestCaseData> Requests()
    {
        yield return new TestCaseData("Microsoft.WindowsDesktop.App", "10.0.1", "MOD3200").SetName("A framework other than NETCore and AspNetCore is refused");
        yield return new TestCaseData("Microsoft.AspNetCore.App", "10", "MOD3201").SetName("A version that is not exact is refused");
        yield return new TestCaseData("Microsoft.AspNetCore.App", "[10.0.1,)", "MOD3201").SetName("A NuGet range is refused");
    }

    [TestCaseSource(nameof(Requests))]
    public void Requests_are_validated_when_made(string framework, string version, string code) =>
        Should.Throw<ModulusException>(() => new DotnetRuntimeRequest(framework, version)).Code.ShouldBe(code);

    [Test]
    public void AspNetCore_brings_NETCore_of_the_same_version() =>
        new DotnetRuntimeRequest("microsoft.aspnetcore.app", "10.0.1").Frameworks()
            .ShouldBe([(DotnetRuntimeRequest.NetCore, "10.0.1"), (DotnetRuntimeRequest.AspNetCore, "10.0.1")]);
}
