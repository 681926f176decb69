using Modulus.Storage;
using Modulus.Tests.TestSupport;

namespace Modulus.Tests.Debian;

/// <summary>
/// A test class whose every test gets a temp folder, a blob store in it, and an empty
/// <see cref="FakeMirror"/> whose InRelease the keyring at <see cref="Keyring"/> verifies; the
/// class adds its packages in a [SetUp] of its own, which runs after this one.
/// </summary>
public abstract class SignedMirrorTest
{
    protected abstract string FolderPrefix { get; }

    protected TempDirectory Temp { get; private set; } = null!;

    protected BlobStore Store { get; private set; } = null!;

    protected FakeMirror Mirror { get; private set; } = null!;

    protected string Keyring { get; private set; } = null!;

    [SetUp]
    public void NewMirror()
    {
        Temp = new TempDirectory(FolderPrefix);
        Store = new BlobStore(Temp.Combine("store"));
        Keyring = Temp.Combine("archive.gpg");
        FakeMirror.WriteKeyring(Keyring, FakeMirror.Key);
        Mirror = new FakeMirror();
    }

    [TearDown]
    public void RemoveFolder() => Temp.Dispose();
}
