using Modulus.Contract;
using Modulus.Images;
using Modulus.Layers;
using Modulus.Oci;
using Modulus.Registry;
using Modulus.Sources;
using Modulus.Storage;

namespace Modulus.Bench;

/// <summary>The in-process side of the rows bench/run.sh times: each prints its phases and peak memory to stderr.</summary>
public static class Rows
{
    /// <summary>Row 1: a folder as one gzip tar layer, with its digest and diffID.</summary>
    public static int Layer(string folder, string output)
    {
        var phases = new Phases();
        var entries = HostTree.Entries(folder);
        phases.End($"scan ({entries.Count} entries)");
        LayerDigests digests;
        using (var file = File.Create(output))
            digests = LayerWriter.Write(entries, file, LayerWriterOptions.Default);
        phases.End("tar+gzip+digests");
        Console.WriteLine($"{digests.Digest} {digests.DiffId} {digests.Size}");
        phases.Print(Console.Error);
        return 0;
    }

    /// <summary>
    /// Row 3: an image pushed to a plain-HTTP registry from <paramref name="storeFolder"/>, the blob
    /// store a build leaves it in. The first run copies the layout's blobs into the store (and
    /// notes their diffIDs); later runs find them there, as a push after a build does.
    /// </summary>
    public static async Task<int> PushAsync(string layout, string target, string storeFolder)
    {
        var phases = new Phases();
        var store = new BlobStore(storeFolder);
        var image = BaseImageLoader.Load($"oci-layout:{Path.GetFullPath(layout)}:latest", Environment.CurrentDirectory, Platform.LinuxAmd64, store);
        phases.End("read layout");
        var reference = ImageReference.Parse(target);
        var options = RegistryOptions.Default with { InsecureRegistries = [reference.Registry] };
        var summary = await RegistryPusher.PushAsync(image, reference, [], store, options);
        phases.End($"push ({summary.Uploaded.Count} uploaded, {summary.Mounted.Count} mounted, {summary.AlreadyPresent.Count} present)");
        Console.WriteLine(summary.ManifestDigest);
        phases.Print(Console.Error);
        return 0;
    }

    /// <summary>
    /// Row 5: every layer's headers read and the run-image rules checked, on the image as a build
    /// leaves it in <paramref name="storeFolder"/> (the first run copies the layout's blobs there).
    /// </summary>
    public static int Validate(string layout, string storeFolder)
    {
        var phases = new Phases();
        var store = new BlobStore(storeFolder);
        var image = BaseImageLoader.Load($"oci-layout:{Path.GetFullPath(layout)}:latest", Environment.CurrentDirectory, Platform.LinuxAmd64, store);
        phases.End("read layout");
        var fs = ImageFileSystem.Read(image.Layers);
        phases.End("read layers");
        var diagnostics = ContractValidator.Validate(fs, image.Config, RunImageStandard.Default);
        phases.End("check rules");
        Console.WriteLine($"{diagnostics.Count} diagnostics");
        phases.Print(Console.Error);
        return 0;
    }

    /// <summary>
    /// The scaling row: one gzip layer (as <see cref="Layer"/> wrote it, with the digests it
    /// printed) read as an image's only layer, header by header, and checked against the
    /// run-image standard. Reading is what grows with the entry count: the rules' verdicts on a
    /// tree that is no run image do not matter here.
    /// </summary>
    public static int Check(string blob, string digest, string diffId, long size)
    {
        var phases = new Phases();
        var layer = new BlobLayer(Path.GetFullPath(blob), MediaTypes.OciLayerGzip, Digest.Parse(digest), Digest.Parse(diffId), size);
        var fs = ImageFileSystem.Read([layer]);
        phases.End("read layer");
        var diagnostics = ContractValidator.Validate(fs, ImageConfig.Empty(Platform.LinuxAmd64), RunImageStandard.Default);
        phases.End("check rules");
        Console.WriteLine($"{diagnostics.Count} diagnostics");
        phases.Print(Console.Error);
        return 0;
    }
}
