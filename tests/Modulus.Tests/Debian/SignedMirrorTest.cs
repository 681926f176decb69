using Modulus.Debian;
using Modulus.Images;
using Modulus.Oci;
using Modulus.Storage;
using Modulus.Tests.TestSupport;

namespace Modulus.Tests.Debian;

/// <summary>
/// A test class whose every test gets, beside the temp folder and blob store of
/// <see cref="StoreTest"/>, an empty <see cref="FakeMirror"/> whose InRelease the keyring at
/// <see cref="Keyring"/> verifies; the class adds its packages in a [SetUp] of its own, which runs
/// after this one.
/// </summary>
public abstract class SignedMirrorTest : StoreTest
{
    protected FakeMirror Mirror { get; private set; } = null!;

    protected string Keyring { get; private set; } = null!;

    [SetUp]
    public void NewMirror()
    {
        Keyring = Temp.Combine("archive.gpg");
        FakeMirror.WriteKeyring(Keyring, FakeMirror.Key);
        Mirror = new FakeMirror();
    }

    /// <summary><paramref name="request"/> for this class's mirror, trusted through <see cref="Keyring"/>, without Debian's minimal system.</summary>
    protected DebianRequest FromMirror(DebianRequest request) =>
        request with { Mirror = FakeMirror.Root, KeyringPath = Keyring, MinimalSystem = false };

    /// <summary>
    /// Plans <paramref name="request"/> (see <see cref="FromMirror"/>) on <paramref name="baseImage"/>
    /// (scratch unless given) into <paramref name="store"/> (<see cref="Store"/> unless given),
    /// fetching through <paramref name="mirror"/> (<see cref="Mirror"/> unless given).
    /// </summary>
    protected Task<DebianInstallation> Install(DebianRequest request, Image? baseImage = null, BlobStore? store = null, HttpMessageHandler? mirror = null) =>
        DebianInstaller.PlanAsync(FromMirror(request), baseImage ?? Image.Scratch(Platform.LinuxAmd64), store ?? Store, new HttpClient(mirror ?? Mirror));
}
