using System.Formats.Tar;
using System.Text.Json.Nodes;
using Modulus.Contract;
using Modulus.Images;
using Modulus.Layers;
using Modulus.Oci;
using Modulus.Tests.TestSupport;

namespace Modulus.Tests.Contract;

/// <summary>
/// The build image Modulus makes of <see cref="RunImageFixture"/>'s Debian-like base: the build
/// contract layer on top plus its config changes, as ImageBuilder applies them. Tests change one
/// thing and validate.
/// </summary>
public sealed class BuildImageFixture
{
    private readonly RunImageFixture _base = new();

    public BuildImageStandard Standard { get; init; } = BuildImageStandard.Default;

    public BuildSpec Build { get; set; } = BuildSpec.Generic;

    public List<TarEntry> BaseEntries => _base.BaseEntries;

    /// <summary>Entries of a layer above the contract layer, as a project's own files would be.</summary>
    public List<TarEntry> TopEntries { get; } = [];

    private Func<ConfigChanges, ConfigChanges> _editConfig = c => c;

    public void Configure(Func<ConfigChanges, ConfigChanges> edit) => _editConfig = edit;

    public IReadOnlyList<LayerEntry> Generate() => BuildContractLayer.Generate(Standard, Build, ImageFileSystem.Read([_base.BaseLayer]));

    public Image Image()
    {
        var config = ImageConfig.Empty(Platform.LinuxAmd64).With(r => r["config"]!["Env"] = new JsonArray("PATH=/usr/local/bin:/usr/bin:/bin"));
        var baseImage = new Image(config, [_base.BaseLayer]);
        List<AppendedLayer> layers = [new(_base.Write(Generate()), "Modulus: build-image contract")];
        if (TopEntries.Count > 0) layers.Add(new(TarLayer.Of([.. TopEntries]), "test: top layer"));
        var changes = _editConfig(BuildContractLayer.ConfigChanges(Standard, baseImage.Config));
        return ImageBuilder.Build(baseImage, layers, changes, DateTimeOffset.UnixEpoch);
    }

    public IReadOnlyList<ContractDiagnostic> Validate()
    {
        var image = Image();
        return ContractValidator.Validate(ImageFileSystem.Read(image.Layers), image.Config, Standard);
    }

    public void RemoveBase(string name) => _base.RemoveBase(name);

    public void ReplaceBase(TarEntry entry) => _base.ReplaceBase(entry);
}
