using Modulus.Debian;
using Modulus.Diagnostics;
using Modulus.Images;
using Modulus.Oci;
using Modulus.Storage;
using Modulus.Tests.TestSupport;

namespace Modulus.Tests.Debian;

public class AptSourcesTests
{
    [Test]
    public void Deb822_and_one_line_sources_are_read_and_filtered_by_suite()
    {
        using var apt = new TempDirectory("apt");
        apt.WriteFile("sources.list", """
            # a comment
            deb [arch=amd64 signed-by=/etc/apt/keyrings/one.gpg] http://one.invalid/debian bookworm main contrib
            deb-src http://one.invalid/debian bookworm main
            deb http://one.invalid/debian bullseye main
            """);
        apt.WriteFile("sources.list.d/two.sources", """
            Types: deb deb-src
            URIs: http://two.invalid/debian
            Suites: bookworm bookworm-updates
            Components: main
            Signed-By: /usr/share/keyrings/two.gpg

            Types: deb
            URIs: http://two.invalid/debian-security
            Suites: bookworm-security
            Components: main

            Enabled: no
            Types: deb
            URIs: http://disabled.invalid/debian
            Suites: bookworm
            Components: main
            """);
        apt.WriteFile("sources.list.d/three.list.disabled", "deb http://three.invalid/debian bookworm main\n");

        var sources = AptSources.ForSuite(AptSources.Read(apt.Path), "bookworm");

        sources.Select(s => $"{s.BaseUri} {s.Suite} {string.Join(',', s.Components)} {s.SignedBy}").ShouldBe([
            "http://one.invalid/debian bookworm main,contrib /etc/apt/keyrings/one.gpg",
            "http://two.invalid/debian bookworm main /usr/share/keyrings/two.gpg",
            "http://two.invalid/debian bookworm-updates main /usr/share/keyrings/two.gpg",
            "http://two.invalid/debian-security bookworm-security main ",
        ]);
    }

    [Test]
    public async Task Without_a_mirror_or_apt_sources_the_build_says_how_to_set_one()
    {
        using var apt = new TempDirectory("apt");
        var request = new DebianRequest { Packages = ["bash"], AptConfigurationRoot = apt.Path };
        var error = await Should.ThrowAsync<ModulusException>(() =>
            DebianInstaller.PlanAsync(request, Image.Scratch(Platform.LinuxAmd64), new BlobStore(apt.Combine("store")), new HttpClient()));

        error.Code.ShouldBe("MOD3001");
        error.Message.ShouldContain("ModulusDebianMirror");
    }

    [TestCase("linux/amd64", "amd64")]
    [TestCase("linux/arm64/v8", "arm64")]
    [TestCase("linux/arm/v7", "armhf")]
    [TestCase("linux/arm/v6", "armel")]
    [TestCase("linux/386", "i386")]
    [TestCase("linux/ppc64le", "ppc64el")]
    public void Image_platforms_map_to_Debian_architectures(string platform, string architecture) =>
        DebianRequest.ArchitectureOf(Platform.Parse(platform)).ShouldBe(architecture);

    [Test]
    public void An_unknown_platform_is_refused_with_a_code() =>
        Should.Throw<ModulusException>(() => DebianRequest.ArchitectureOf(Platform.Parse("linux/wasm"))).Code.ShouldBe("MOD3016");

    [TestCase("bash", null, "bash")]
    [TestCase("bash", ">= 5.2", "bash (>= 5.2)")]
    [TestCase("bash", ">>5", "bash (>> 5)")]
    [TestCase("bash", "5.2.15-2+b7", "bash (= 5.2.15-2+b7)")]
    public void A_project_item_name_and_version_become_a_relation(string name, string? version, string expected) =>
        DebianRequest.Declare(name, version).ToString().ShouldBe(expected);

    [Test]
    public void A_malformed_package_request_is_refused_with_a_code() =>
        Should.Throw<ModulusException>(() => new DebianRequest { Packages = ["curl (>= )"] }).Code.ShouldBe("MOD3011");
}
