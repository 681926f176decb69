using System.Formats.Tar;
using System.IO.Compression;
using System.Text.Json;
using Modulus.Tests.TestSupport;

namespace Modulus.Tests.Sdk;

/// <summary>
/// `dotnet publish` of projects that declare ModulusDebianPackage items, installed from the mirror
/// this machine's apt is configured with, through the cache all Debian tests share.
/// </summary>
[NonParallelizable]
public class SdkDebianTests
{
    private static SampleProject NewProject(string items) => SdkPackage.Workspace.NewProject($"""
        <Project Sdk="Modulus.Sdk">
          <PropertyGroup>
            <ContainerRepository>tests/debian</ContainerRepository>
            <ModulusImageKind>plain</ModulusImageKind>
            <ModulusBlobCache>{DebianCache.Folder}</ModulusBlobCache>
          </PropertyGroup>
          <ItemGroup>
            {items}
          </ItemGroup>
        </Project>
        """);

    [SetUp]
    public void RequireMirror() => DebianCache.RequireConfiguredMirror();

    [Test]
    public void Bash_and_coreutils_install_below_the_projects_files_with_a_lock_and_an_sbom_and_republish_up_to_date()
    {
        var sample = NewProject("""
            <ModulusDebianPackage Include="bash" />
            <ModulusDebianPackage Include="coreutils" />
            <ModulusFile Include="/srv/motd" Content="hello" Owner="nobody:nogroup" />
            """);

        var first = sample.Publish();

        first.ExitCode.ShouldBe(0, first.ToString());
        var layers = ReadLayers(sample);
        layers.Count.ShouldBe(2, first.ToString());
        layers[0].ShouldContainKey("usr/bin/bash");
        layers[0]["var/lib/dpkg/status"].ShouldContain("Package: bash\n");
        layers[0]["var/lib/dpkg/status"].ShouldContain("Package: coreutils\n");
        layers[0].ShouldContainKey("usr/share/doc/bash/copyright");
        layers[0].Keys.ShouldNotContain("usr/share/man/man1/bash.1.gz", "ModulusDebianSlim is on by default");
        layers[0]["etc/dpkg/dpkg.cfg.d/docker"].ShouldContain("path-exclude /usr/share/man/*\n");
        sample.ReadTopLayer().ShouldContain(("srv/motd", 0b110_100_100, 65534, 65534), "nobody comes from base-passwd in the Debian layer");
        File.Exists(Path.Combine(sample.Folder, "packages.lock.debian.json")).ShouldBeTrue(first.ToString());
        var sbomPath = Path.Combine(sample.PublishFolder, "sbom.spdx.json");
        using (var sbom = JsonDocument.Parse(File.ReadAllText(sbomPath)))
        {
            sbom.RootElement.GetProperty("spdxVersion").GetString().ShouldBe("SPDX-2.3");
            sbom.RootElement.GetProperty("packages").EnumerateArray().Select(p => p.GetProperty("name").GetString()).ShouldContain("bash");
        }
        File.ReadAllText(sample.ReportPath).ShouldContain(sbomPath);

        var second = sample.Publish();

        second.ExitCode.ShouldBe(0, second.ToString());
        second.Log.ShouldContain("is up to date", Case.Sensitive, second.ToString());
        second.Log.ShouldNotContain("Installing Debian packages", Case.Sensitive, second.ToString());
        second.PropertyValue.ShouldBe(first.PropertyValue, second.ToString());
    }

    [Test]
    public void Unverified_signatures_warn_with_their_code_on_every_publish()
    {
        var sample = NewProject("""<ModulusDebianPackage Include="bash" />""");
        sample.WriteProject(File.ReadAllText(sample.ProjectPath).Replace("</PropertyGroup>",
            "<ModulusDebianVerifySignatures>false</ModulusDebianVerifySignatures><ModulusDebianMinimalSystem>false</ModulusDebianMinimalSystem></PropertyGroup>"));

        var first = sample.Publish();
        var second = sample.Publish();

        first.ExitCode.ShouldBe(0, first.ToString());
        first.Output.ShouldContain($"{sample.ProjectPath} : warning MOD3017:", Case.Sensitive, first.ToString());
        second.Log.ShouldContain("is up to date", Case.Sensitive, second.ToString());
        second.Output.ShouldContain("warning MOD3017:", Case.Sensitive, second.ToString());
    }

    [Test]
    public void An_unknown_package_fails_with_MOD3008_at_its_item()
    {
        var sample = NewProject("""
            <ModulusDebianPackage Include="bash" />
            <ModulusDebianPackage Include="no-such-package-in-debian" />
            """);
        var line = sample.LineOf("no-such-package-in-debian");

        var result = sample.Publish();

        result.ExitCode.ShouldNotBe(0, result.ToString());
        result.Output.ShouldContain($"{sample.ProjectPath}({line}", Case.Sensitive, result.ToString());
        result.Output.ShouldContain("error MOD3008:", Case.Sensitive, result.ToString());
    }

    [TestCase("usr/share/man/man1/%2A", "MOD3120", Description = "a relative pattern")]
    [TestCase("/usr/share/man/man1/*", "MOD3121", Description = "a '*' MSBuild would match against the build machine's files")]
    public void A_bad_path_pattern_fails_at_its_item(string include, string code)
    {
        var sample = NewProject($"""
            <ModulusDebianPackage Include="bash" />
            <ModulusDebianPathExclude Include="/usr/share/zoneinfo/right/%2A" />
            <ModulusDebianPathInclude Include="{include}" />
            """);
        var line = sample.LineOf(include);

        var result = sample.Publish();

        result.ExitCode.ShouldNotBe(0, result.ToString());
        result.Output.ShouldContain($"{sample.ProjectPath}({line}", Case.Sensitive, result.ToString());
        result.Output.ShouldContain($"error {code}:", Case.Sensitive, result.ToString());
    }

    /// <summary>Each layer of the published image, bottom first: entry name to text (empty for anything but small files).</summary>
    private static IReadOnlyList<Dictionary<string, string>> ReadLayers(SampleProject sample)
    {
        string BlobPath(string digest) => Path.Combine(sample.LayoutPath, "blobs", "sha256", digest["sha256:".Length..]);
        using var index = JsonDocument.Parse(File.ReadAllText(Path.Combine(sample.LayoutPath, "index.json")));
        using var manifest = JsonDocument.Parse(File.ReadAllText(BlobPath(index.RootElement.GetProperty("manifests")[0].GetProperty("digest").GetString()!)));
        var layers = new List<Dictionary<string, string>>();
        foreach (var layer in manifest.RootElement.GetProperty("layers").EnumerateArray())
        {
            using var gzip = new GZipStream(File.OpenRead(BlobPath(layer.GetProperty("digest").GetString()!)), CompressionMode.Decompress);
            using var tar = new TarReader(gzip);
            var entries = new Dictionary<string, string>(StringComparer.Ordinal);
            while (tar.GetNextEntry() is { } entry)
            {
                var text = entry is { EntryType: TarEntryType.RegularFile, DataStream: { } data, Length: < 4 << 20 } ? new StreamReader(data).ReadToEnd() : string.Empty;
                entries[entry.Name.TrimEnd('/')] = text;
            }
            layers.Add(entries);
        }
        return layers;
    }
}
