using Modulus.DotNet;

namespace Modulus.Tests.DotNet;

/// <summary>
/// Which runtime packs restore downloads: one runtime identifier per platform of the image, by the
/// same precedence a publish picks its platforms with. Sdk.targets asks the library through the
/// ModulusRuntimeIdentifiers task, so this table is the only one.
/// </summary>
public class RuntimeIdentifierTests
{
    [TestCase(null, "linux/amd64;linux/arm64", null, "linux/amd64", "linux-x64;linux-arm64")]
    [TestCase(null, " linux/arm64/v8 ; linux/amd64 ;", null, "linux/amd64", "linux-arm64;linux-x64")]
    [TestCase("linux-arm64", "linux/amd64;linux/arm64", "linux-x64;linux-arm64", "linux/amd64", "linux-arm64")]
    [TestCase(null, null, "linux-x64;linux-arm64", "linux/amd64", "linux-x64;linux-arm64")]
    [TestCase(null, "linux/arm64", "linux-x64;linux-arm64", "linux/amd64", "linux-arm64")]
    [TestCase(null, null, null, "linux/arm64", "linux-arm64")]
    [TestCase(null, null, null, "linux/amd64", "linux-x64")]
    public void Each_platform_of_the_image_gives_its_runtime_identifier(string? rid, string? platforms, string? rids, string? platform, string expected) =>
        string.Join(";", DotnetRuntimeRequest.RuntimeIdentifiersFor(rid, platforms, rids, platform)).ShouldBe(expected);

    [TestCase("linux/amd64;linux/s390x", "linux-x64")]
    [TestCase("linux/amd64;not-a-platform", "linux-x64")]
    [TestCase("windows/amd64", "")]
    public void A_platform_without_runtime_packs_adds_none_for_the_publish_to_name(string platforms, string expected) =>
        string.Join(";", DotnetRuntimeRequest.RuntimeIdentifiersFor(null, platforms, null, "linux/amd64")).ShouldBe(expected);

    [Test]
    public void Restore_downloads_each_pack_once_with_every_version_for_the_platforms_each_runtime_is_for()
    {
        var packs = DotnetRuntimeRequest.PackDownloads(
            [
                ("Microsoft.AspNetCore.App", "10.0.12", null),
                ("Microsoft.NETCore.App", "10.0.12", null),
                ("Microsoft.AspNetCore.App", "11.0.0", "linux/amd64"),
            ],
            ["linux-x64", "linux-arm64"]);

        packs.Select(p => $"{p.PackId} {string.Join(",", p.Versions)}").ShouldBe(
        [
            "Microsoft.AspNetCore.App.Runtime.linux-arm64 10.0.12",
            "Microsoft.AspNetCore.App.Runtime.linux-x64 10.0.12,11.0.0",
            "Microsoft.NETCore.App.Runtime.linux-arm64 10.0.12",
            "Microsoft.NETCore.App.Runtime.linux-x64 10.0.12,11.0.0",
        ]);
    }

    [TestCase("Microsoft.WindowsDesktop.App", "10.0.12", null)]
    [TestCase("Microsoft.NETCore.App", "10", null)]
    [TestCase("Microsoft.NETCore.App", "10.0.12", "linux/amd46")]
    public void A_runtime_the_publish_will_refuse_downloads_nothing(string framework, string version, string? platforms) =>
        DotnetRuntimeRequest.PackDownloads([(framework, version, platforms)], ["linux-x64"]).ShouldBeEmpty();

    [Test]
    public void Platforms_of_a_runtime_read_as_oci_names_and_refuse_one_without_runtime_packs()
    {
        DotnetRuntimeRequest.ParsePlatforms("Microsoft.NETCore.App", " ").ShouldBeNull();
        DotnetRuntimeRequest.ParsePlatforms("Microsoft.NETCore.App", "linux/arm64; linux/amd64")!.Select(p => p.ToString()).ShouldBe(["linux/arm64", "linux/amd64"]);
        Should.Throw<Modulus.Diagnostics.ModulusException>(() => DotnetRuntimeRequest.ParsePlatforms("Microsoft.NETCore.App", "linux/s390x"))
            .Message.ShouldContain("MOD3207");
    }
}
