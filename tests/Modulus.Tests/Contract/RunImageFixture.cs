using System.Formats.Tar;
using System.IO.Compression;
using System.Text.Json.Nodes;
using Modulus.Contract;
using Modulus.Images;
using Modulus.Layers;
using Modulus.Oci;
using Modulus.Tests.TestSupport;

namespace Modulus.Tests.Contract;

/// <summary>
/// A synthetic Debian-like base (merged /usr, python3, bash, supervisor, root/daemon accounts, a
/// shadow group) and the run image Modulus makes of it: the contract layer on top plus the
/// config changes, as ImageBuilder applies them. Tests change one thing and validate.
/// </summary>
public sealed class RunImageFixture
{
    private const int Executable = 0b111_101_101;

    public RunImageStandard Standard { get; init; } = RunImageStandard.Default;

    public StartSpec Start { get; set; } = StartSpec.FromCommand("dotnet App.dll");

    /// <summary>The platform the image's config names.</summary>
    public Platform Platform { get; init; } = Platform.LinuxAmd64;

    /// <summary>The base layer's entries; tests add or replace some.</summary>
    public List<TarEntry> BaseEntries { get; } = DebianLikeBase();

    /// <summary>Entries of a layer above the contract layer, as a project's own files would be.</summary>
    public List<TarEntry> TopEntries { get; } = [];

    /// <summary>Applied to the generated config changes before the image is built.</summary>
    private Func<ConfigChanges, ConfigChanges> _editConfig = c => c;

    public void Configure(Func<ConfigChanges, ConfigChanges> edit) => _editConfig = edit;

    /// <summary>The base layer, written once: a TarEntry's data stream can be read only once.</summary>
    public TarLayer BaseLayer => _baseLayer ??= TarLayer.Of([.. BaseEntries]);

    private TarLayer? _baseLayer;

    /// <summary>The base as a view, for generating scripts without building the image.</summary>
    public ImageFileSystem BaseViewForScripts() => ImageFileSystem.Read([BaseLayer]);

    public IReadOnlyList<LayerEntry> Generate() => ContractLayer.Generate(Standard, Start, ImageFileSystem.Read([BaseLayer]));

    public Image Build()
    {
        var config = ImageConfig.Empty(Platform).With(r => r["config"]!["Env"] = new JsonArray("PATH=/usr/local/bin:/usr/bin:/bin"));
        var baseImage = new Image(config, [BaseLayer]);
        List<AppendedLayer> layers = [new(Write(Generate()), "Modulus: run-image contract")];
        if (TopEntries.Count > 0) layers.Add(new(TarLayer.Of([.. TopEntries]), "test: top layer"));
        var changes = _editConfig(ContractLayer.ConfigChanges(Standard, baseImage.Config));
        return ImageBuilder.Build(baseImage, layers, changes, DateTimeOffset.UnixEpoch);
    }

    public IReadOnlyList<ContractDiagnostic> Validate(RunImageStandard? standard = null)
    {
        var image = Build();
        return ContractValidator.Validate(ImageFileSystem.Read(image.Layers), image.Config, standard ?? Standard, Start);
    }

    public void RemoveBase(string name) => BaseEntries.RemoveAll(e => e.Name == name);

    public void ReplaceBase(TarEntry entry)
    {
        RemoveBase(entry.Name);
        BaseEntries.Add(entry);
    }

    public static string ReadText(LayerEntry entry)
    {
        using var stream = ((FileEntry)entry).Content.OpenRead();
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd();
    }

    /// <summary>
    /// The generated entries written by the layer writer, as the SDK writes them: folders the
    /// writer must imply keep the base's owner and mode.
    /// </summary>
    internal WrittenLayer Write(IReadOnlyList<LayerEntry> entries)
    {
        var view = ImageFileSystem.Read([BaseLayer]);
        var options = LayerWriterOptions.Default with
        {
            ImpliedParent = p => view.Get(p) is { Type: NodeType.Directory } d ? new DirectoryEntry(p, d.Uid, d.Gid, d.Mode) : null,
        };
        using var output = new MemoryStream();
        var digests = LayerWriter.Write(entries, output, options);
        return new WrittenLayer(output.ToArray(), digests);
    }

    internal sealed class WrittenLayer(byte[] blob, LayerDigests digests) : ILayer
    {
        public string MediaType => MediaTypes.OciLayerGzip;

        public Digest Digest => digests.Digest;

        public Digest DiffId => digests.DiffId;

        public long Size => digests.Size;

        public Stream OpenBlob() => new MemoryStream(blob, writable: false);

        public Stream OpenTar() => new GZipStream(OpenBlob(), CompressionMode.Decompress);
    }

    internal static List<TarEntry> DebianLikeBase() =>
    [
        TarLayer.Directory("etc"),
        TarLayer.File("etc/passwd", "root:x:0:0:root:/root:/bin/bash\ndaemon:x:1:1:daemon:/usr/sbin:/usr/sbin/nologin\n"),
        TarLayer.File("etc/group", "root:x:0:\ndaemon:x:1:\nshadow:x:42:\n"),
        TarLayer.File("etc/shadow", "root:*:19000:0:99999:7:::\ndaemon:*:19000:0:99999:7:::\n", 0b110_100_000, 0, 42),
        TarLayer.Directory("usr"),
        TarLayer.Directory("usr/bin"),
        TarLayer.Directory("usr/sbin"),
        TarLayer.Symlink("bin", "usr/bin"),
        TarLayer.Symlink("sbin", "usr/sbin"),
        TarLayer.File("usr/bin/bash", "\u007fELF bash", Executable),
        TarLayer.File("usr/bin/dash", "\u007fELF dash", Executable),
        TarLayer.Symlink("usr/bin/sh", "dash"),
        TarLayer.File("usr/bin/env", "\u007fELF env", Executable),
        TarLayer.File("usr/bin/python3.11", "\u007fELF python", Executable),
        TarLayer.Symlink("usr/bin/python3", "python3.11"),
        TarLayer.File("usr/bin/supervisord", "#!/usr/bin/python3\nimport supervisor\n", Executable),
        TarLayer.File("usr/bin/supervisorctl", "#!/usr/bin/python3\nimport supervisor\n", Executable),
        TarLayer.File("usr/bin/dotnet", "\u007fELF dotnet", Executable),
        TarLayer.Directory("mnt"),
        TarLayer.Directory("tmp"),
        TarLayer.Directory("var"),
        TarLayer.Directory("var/tmp"),
    ];
}
