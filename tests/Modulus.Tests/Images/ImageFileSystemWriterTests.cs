using System.Text;
using Modulus.Images;
using Modulus.Layers;
using Modulus.Oci;
using Modulus.Tests.TestSupport;

namespace Modulus.Tests.Images;

/// <summary>The merged view reads the gzip layers Modulus itself writes.</summary>
public class ImageFileSystemWriterTests
{
    [Test]
    public void Layers_written_by_the_layer_writer_merge_as_declared()
    {
        using var temp = new TempDirectory("fs-writer");
        var lower = Write(temp, "lower",
        [
            new DirectoryEntry(P("/app"), 1000, 1000, 0b111_101_000),
            new FileEntry(P("/app/run"), FileContent.FromText("#!/bin/sh\n"), 1000, 1000, 0b111_101_101),
            new HardLinkEntry(P("/app/start"), P("/app/run")),
            new SymlinkEntry(P("/usr/local/bin/run"), "/app/run"),
            new FileEntry(P("/app/old.conf"), FileContent.FromText("old")),
        ]);
        var upper = Write(temp, "upper", [new WhiteoutEntry(P("/app/old.conf"))]);

        var fs = ImageFileSystem.Read([lower, upper]);

        fs.Get(P("/app/run")).ShouldBe(new FileSystemNode(P("/app/run"), NodeType.File, 1000, 1000, 0b111_101_101, 10, null, 0));
        Encoding.UTF8.GetString(fs.ReadFile(P("/usr/local/bin/run"))!).ShouldBe("#!/bin/sh\n");
        Encoding.UTF8.GetString(fs.ReadFile(P("/app/start"))!).ShouldBe("#!/bin/sh\n");
        fs.Exists(P("/app/old.conf")).ShouldBeFalse();
    }

    private static BlobLayer Write(TempDirectory temp, string name, LayerEntry[] entries)
    {
        var path = temp.Combine(name + ".tar.gz");
        LayerDigests digests;
        using (var output = File.Create(path)) digests = LayerWriter.Write(entries, output, LayerWriterOptions.Default);
        return new BlobLayer(path, MediaTypes.OciLayerGzip, digests.Digest, digests.DiffId, digests.Size);
    }

    private static UnixPath P(string path) => UnixPath.Parse(path);
}
