using Modulus.Images;
using Modulus.Oci;
using Modulus.Registry;
using Modulus.Tests.TestSupport;

namespace Modulus.Tests.Registry;

/// <summary>
/// Tests against one real registry per class, started once, with a fresh
/// <see cref="RegistryTestKit"/> (store, Docker config, environment) for every test.
/// </summary>
public abstract class RegistryTest
{
    private TempDirectory _classFolder = null!;

    protected RegistryServer Registry { get; private set; } = null!;

    protected RegistryTestKit Kit { get; private set; } = null!;

    /// <summary>
    /// Starts this class's registry: plain HTTP without authentication unless a class says
    /// otherwise. Files it needs (certificates, password files) go into <paramref name="folder"/>.
    /// </summary>
    protected virtual RegistryServer StartRegistry(TempDirectory folder) => RegistryServer.Start();

    /// <summary>Stops what <see cref="StartRegistry"/> started besides the registry.</summary>
    protected virtual void StopServices()
    {
    }

    [OneTimeSetUp]
    public void StartClassRegistry()
    {
        _classFolder = new TempDirectory("registry");
        Registry = StartRegistry(_classFolder);
    }

    [OneTimeTearDown]
    public void StopClassRegistry()
    {
        Registry?.Dispose();
        StopServices();
        _classFolder.Dispose();
    }

    [SetUp]
    public void NewKit() => Kit = new RegistryTestKit();

    /// <summary>Pulls the linux/amd64 image of <paramref name="reference"/> into a store of its own, with <see cref="Kit"/>'s options.</summary>
    protected Task<Image> Pull(ImageReference reference) =>
        RegistryImageSource.PullAsync(reference, Platform.LinuxAmd64, Kit.NewStore(), Kit.Options);

    /// <summary>Pulls <paramref name="reference"/> as <see cref="Pull"/> does and checks it is the <paramref name="pushed"/> image.</summary>
    protected async Task ShouldPullBackAs(ImageReference reference, Image pushed) =>
        RegistryTestKit.ShouldBeTheSameImage(await Pull(reference), pushed);

    /// <summary>
    /// Pushes one new image to <paramref name="first"/>, then to <paramref name="second"/> (repositories
    /// of this class's registry, tag latest): the second push is the one that can mount blobs.
    /// </summary>
    protected async Task<(Image Image, PushSummary Second)> PushToTwoRepositories(string seed, string first, string second)
    {
        var store = Kit.NewStore();
        var image = TestImages.Unique(store, seed);
        await RegistryPusher.PushAsync(image, RegistryTestKit.Reference(Registry.Address, first), [], store, Kit.Options);
        return (image, await RegistryPusher.PushAsync(image, RegistryTestKit.Reference(Registry.Address, second), [], store, Kit.Options));
    }

    /// <summary>A new image that skopeo copies from an OCI layout to <paramref name="repository"/>:v1 of this class's registry.</summary>
    protected Image PushedBySkopeo(string seed, string repository, params string[] skopeoOptions)
    {
        var skopeo = Tools.Require("skopeo");
        var image = TestImages.Unique(Kit.NewStore(), seed);
        using var layout = new TempDirectory("layout");
        LayoutForSkopeo.Write(layout.Path, "single", image);
        Tools.RunChecked(skopeo, ["copy", "--dest-tls-verify=false", .. skopeoOptions, $"oci:{layout.Path}:single", $"docker://{Registry.Address}/{repository}:v1"]);
        return image;
    }

    [TearDown]
    public void DisposeKit() => Kit.Dispose();
}
