using Modulus.Images;
using Modulus.Layers;
using Modulus.Oci;
using Modulus.Sinks;
using Modulus.Storage;
using Modulus.Tests.TestSupport;

namespace Modulus.Tests.Sdk;

/// <summary>
/// The smallest base a run image can stand on, written as an OCI layout with the library: root in
/// /etc/passwd and /etc/group, and placeholder executables for the shells, python3 and supervisor
/// (the validator checks that they are there, not what they do).
/// </summary>
internal static class ContractBaseImage
{
    /// <summary>The standard's programs, and dotnet for the tests' start command (`dotnet App.dll`), which the build proves.</summary>
    public static readonly string[] Programs = ["/bin/sh", "/bin/bash", "/usr/bin/python3", "/usr/bin/supervisord", "/usr/bin/supervisorctl", "/usr/bin/dotnet"];

    /// <summary>Writes the base, without the programs in <paramref name="omit"/>, and returns its ModulusBaseImage spec.</summary>
    public static string Write(TempDirectory folder, string name, params string[] omit)
    {
        var store = new BlobStore(folder.Combine("blobs"));
        List<LayerEntry> entries =
        [
            new DirectoryEntry(UnixPath.Parse("/bin")),
            new DirectoryEntry(UnixPath.Parse("/etc")),
            new DirectoryEntry(UnixPath.Parse("/usr")),
            new DirectoryEntry(UnixPath.Parse("/usr/bin")),
            new FileEntry(UnixPath.Parse("/etc/passwd"), FileContent.FromText("root:x:0:0:root:/root:/bin/bash\n")),
            new FileEntry(UnixPath.Parse("/etc/group"), FileContent.FromText("root:x:0:\n")),
        ];
        entries.AddRange(Programs.Except(omit).Select(p =>
            new FileEntry(UnixPath.Parse(p), FileContent.FromText("#!/bin/sh\nexit 0\n"), Mode: LayerEntry.DefaultExecutableMode)));
        var layer = store.WriteLayer(entries, LayerWriterOptions.Default);
        var image = ImageBuilder.Build(Image.Scratch(Platform.LinuxAmd64), [new AppendedLayer(layer, "test: run base")],
            new ConfigChanges { Environment = [new("PATH", "/usr/local/bin:/usr/bin:/bin")] }, LayerWriterOptions.DefaultTimestamp);
        var layout = folder.Combine(name);
        OciLayoutWriter.Write(image, layout, ["latest"]);
        return $"oci-layout:{layout}";
    }
}
