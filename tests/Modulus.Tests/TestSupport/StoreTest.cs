using Modulus.Storage;

namespace Modulus.Tests.TestSupport;

/// <summary>A test class whose every test gets a fresh temp folder with a blob store in it.</summary>
public abstract class StoreTest
{
    /// <summary>The temp folder's name prefix, to tell the classes' folders apart.</summary>
    protected abstract string FolderPrefix { get; }

    protected TempDirectory Temp { get; private set; } = null!;

    protected BlobStore Store { get; private set; } = null!;

    [SetUp]
    public void NewStore()
    {
        Temp = new TempDirectory(FolderPrefix);
        Store = new BlobStore(Temp.Combine("store"));
    }

    [TearDown]
    public void RemoveStore() => Temp.Dispose();
}
