using System.Formats.Tar;
using System.IO.Compression;
using System.Text.Json;
using Modulus.Tests.Sdk;

namespace Modulus.Tests.Npm;

/// <summary>
/// `dotnet publish` of a project with ModulusNpmPackage items, against the npm registry of this
/// machine's npm configuration (the project names none).
/// </summary>
[NonParallelizable]
[Category("Network")]
public class SdkNpmTests
{
    private SdkWorkspace _workspace = null!;

    [OneTimeSetUp]
    public void Pack() => _workspace = new SdkWorkspace();

    [OneTimeTearDown]
    public void Remove() => _workspace.Dispose();

    [Test]
    public void A_published_image_holds_the_package_in_a_layer_of_its_own_and_publishes_again_up_to_date()
    {
        var sample = _workspace.NewProject("""
            <Project Sdk="Modulus.Sdk">
              <PropertyGroup><ModulusImageKind>plain</ModulusImageKind></PropertyGroup>
              <PropertyGroup>
                <ContainerRepository>tests/npm</ContainerRepository>
              </PropertyGroup>
              <ItemGroup>
                <ModulusNpmPackage Include="is-number" Version="^7.0.0" Destination="/app/node_modules/is-number" />
                <ModulusFile Include="/app/index.js" Content="require('is-number')" />
              </ItemGroup>
            </Project>
            """);

        var result = sample.Publish();

        result.ExitCode.ShouldBe(0, result.ToString());
        var layers = ReadLayers(sample);
        layers.Count.ShouldBe(2, result.ToString());
        layers[0].ShouldContain(("app/node_modules/is-number", 0b111_101_101, 0, 0), result.ToString());
        layers[0].ShouldContain(("app/node_modules/is-number/index.js", 0b110_100_100, 0, 0), result.ToString());
        layers[0].ShouldContain(("app/node_modules/is-number/package.json", 0b110_100_100, 0, 0), result.ToString());
        layers[1].ShouldContain(("app/index.js", 0b110_100_100, 0, 0), result.ToString());

        var again = sample.Publish();
        again.ExitCode.ShouldBe(0, again.ToString());
        again.Log.ShouldContain("is up to date", Case.Sensitive, again.ToString());
    }

    [Test]
    public void A_package_without_destination_fails_at_its_line()
    {
        var sample = _workspace.NewProject("""
            <Project Sdk="Modulus.Sdk">
              <PropertyGroup><ModulusImageKind>plain</ModulusImageKind></PropertyGroup>
              <ItemGroup>
                <ModulusNpmPackage Include="is-number" Version="7.0.0" />
              </ItemGroup>
            </Project>
            """);

        var result = sample.Publish();

        result.ExitCode.ShouldNotBe(0, result.ToString());
        result.Output.ShouldContain($"{sample.ProjectPath}({sample.LineOf("ModulusNpmPackage")}", Case.Sensitive, result.ToString());
        result.Output.ShouldContain("error MOD3114:", Case.Sensitive, result.ToString());
    }

    /// <summary>Each layer of the published image, bottom first: entry name, mode, uid, gid.</summary>
    private static List<List<(string Name, int Mode, int Uid, int Gid)>> ReadLayers(SampleProject sample)
    {
        string BlobPath(string digest) => Path.Combine(sample.LayoutPath, "blobs", "sha256", digest["sha256:".Length..]);
        using var index = JsonDocument.Parse(File.ReadAllText(Path.Combine(sample.LayoutPath, "index.json")));
        using var manifest = JsonDocument.Parse(File.ReadAllText(BlobPath(index.RootElement.GetProperty("manifests")[0].GetProperty("digest").GetString()!)));
        var layers = new List<List<(string, int, int, int)>>();
        foreach (var layer in manifest.RootElement.GetProperty("layers").EnumerateArray())
        {
            using var gzip = new GZipStream(File.OpenRead(BlobPath(layer.GetProperty("digest").GetString()!)), CompressionMode.Decompress);
            using var tar = new TarReader(gzip);
            var entries = new List<(string, int, int, int)>();
            while (tar.GetNextEntry() is { } entry) entries.Add((entry.Name.TrimEnd('/'), (int)entry.Mode, entry.Uid, entry.Gid));
            layers.Add(entries);
        }
        return layers;
    }
}
