using Modulus.Diagnostics;
using Modulus.Images;
using Modulus.Layers;
using Modulus.Storage;

namespace Modulus.Debian;

/// <summary>
/// What installing Debian packages produced: the entries of one layer (package files, merged-/usr
/// links on an empty base, dpkg's database, accounts and alternatives), the lock it followed
/// or wrote, the installed packages for the SBOM, and the warnings a build reports.
/// </summary>
public sealed record DebianInstallation(
    IReadOnlyList<LayerEntry> Entries,
    DebianLock Lock,
    IReadOnlyList<InstalledPackage> Packages,
    IReadOnlyList<Diagnostic> Warnings)
{
    /// <summary>
    /// Writes <see cref="Entries"/> as a layer into <paramref name="store"/>, with a history line
    /// naming the installed packages, ready for <see cref="ImageBuilder.Build"/>. On a base image,
    /// give <paramref name="options"/> an ImpliedParent from the base's folders, as for any layer.
    /// </summary>
    public AppendedLayer WriteLayer(BlobStore store, LayerWriterOptions options) => Appended(store.WriteLayer(Entries, options));

    /// <summary><paramref name="layer"/>, written from <see cref="Entries"/>, with the history line naming the installed packages.</summary>
    public AppendedLayer Appended(ILayer layer) =>
        new(layer, Pipeline.LayerHistory.DebianOf(Lock.Request), $"{Packages.Count} packages from {Lock.Suite}/{Lock.Architecture}");

    /// <summary>Writes an SPDX 2.3 JSON SBOM of <see cref="Packages"/> alone to <paramref name="path"/> (a publish writes the whole image's: <see cref="Sbom.ImageSbom"/>).</summary>
    public void WriteSbom(string path, string documentName, DateTimeOffset created) =>
        Sbom.SpdxDocument.Write(path, documentName, Sbom.DebianPackages.From(Packages), created);
}
