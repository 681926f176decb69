using Modulus.Images;
using Modulus.Oci;
using Modulus.Sinks;
using Modulus.Sources;
using Modulus.Storage;
using Modulus.Tests.TestSupport;

namespace Modulus.Tests.Sources;

/// <summary>
/// A test class that builds images into a store of their own and loads them back through
/// <see cref="BaseImageLoader"/> into <see cref="StoreTest.Store"/>, so a load never finds a blob
/// only because the build left it there. Specs are relative to <see cref="StoreTest.Temp"/>.
/// </summary>
public abstract class ImageSourceTest : StoreTest
{
    /// <summary>Where a test writes the images it then saves as a layout or an archive.</summary>
    protected BlobStore BuildStore => new(Temp.Combine("build"));

    /// <summary>Writes a one-layer image saying "hi" in /hello.txt as the OCI layout <paramref name="folder"/> of the temp folder, tagged <paramref name="tags"/>.</summary>
    protected Image SavedAsLayout(string folder, params string[] tags)
    {
        var image = TestImages.Hello(BuildStore, "hi");
        OciLayoutWriter.Write(image, Temp.Combine(folder), [.. tags]);
        return image;
    }

    /// <summary>Writes a one-layer image saying "hi" in /hello.txt as the docker-archive image.tar of the temp folder, named example/hello:v1.</summary>
    protected Image SavedAsDockerArchive()
    {
        var image = TestImages.Hello(BuildStore, "hi");
        DockerArchiveWriter.Write(image, Temp.Combine("image.tar"), ["example/hello:v1"]);
        return image;
    }

    /// <summary>Loads the linux/amd64 image of <paramref name="spec"/> (e.g. "oci-layout:out:v1") into <see cref="StoreTest.Store"/>.</summary>
    protected Image Load(string spec) => BaseImageLoader.Load(spec, Temp.Path, Platform.LinuxAmd64, Store);
}
