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
}
