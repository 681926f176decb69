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

    [TearDown]
    public void DisposeKit() => Kit.Dispose();
}
