using Modulus.Contract;
using Modulus.Debian;
using Modulus.Diagnostics;
using Modulus.Images;
using Modulus.Layers;
using Modulus.Oci;
using Modulus.Plan;
using Modulus.Sinks;
using Modulus.Sources;
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

    /// <summary>
    /// A two-layer Debian-like base as an OCI layout (its layers written to <paramref name="baseStore"/>),
    /// and a run image on it with the mirror's package "hello" and one file of the group mop, cached in
    /// <paramref name="cacheDirectory"/>.
    /// </summary>
    protected (ImagePlan Plan, IReadOnlyList<ILayer> BaseLayers) DebianRunImagePlan(BlobStore baseStore, string cacheDirectory, ImageRepository repository)
    {
        var executable = LayerEntry.DefaultExecutableMode;
        var system = baseStore.WriteLayer(
        [
            new SymlinkEntry(UnixPath.Parse("/bin"), "usr/bin"),
            new FileEntry(UnixPath.Parse("/etc/passwd"), FileContent.FromText("root:x:0:0:root:/root:/bin/bash\n")),
            new FileEntry(UnixPath.Parse("/etc/group"), FileContent.FromText("root:x:0:\nshadow:x:42:\n")),
            new FileEntry(UnixPath.Parse("/etc/shadow"), FileContent.FromText("root:*:19000:0:99999:7:::\n"), 0, 42, 0b110_100_000),
            new FileEntry(UnixPath.Parse("/var/lib/dpkg/status"), FileContent.FromText("Package: base-files\nStatus: install ok installed\nVersion: 12\nArchitecture: amd64\n")),
            new DirectoryEntry(UnixPath.Parse("/tmp")),
            new DirectoryEntry(UnixPath.Parse("/mnt")),
        ], LayerWriterOptions.Default);
        var programs = baseStore.WriteLayer(
            new[] { "/usr/bin/sh", "/usr/bin/bash", "/usr/bin/python3", "/usr/bin/supervisord", "/usr/bin/supervisorctl" }
                .Select(p => (LayerEntry)new FileEntry(UnixPath.Parse(p), FileContent.FromText("\u007fELF"), Mode: executable)).ToList(),
            LayerWriterOptions.Default);
        var baseImage = ImageBuilder.Build(Image.Scratch(Platform.LinuxAmd64), [new AppendedLayer(system, "test: system"), new AppendedLayer(programs, "test: programs")],
            new ConfigChanges { Environment = [new("PATH", "/usr/local/bin:/usr/bin:/bin")] }, LayerWriterOptions.DefaultTimestamp);
        var layout = Temp.Combine("base");
        OciLayoutWriter.Write(baseImage, layout, ["latest"]);

        var project = Temp.Combine("project");
        Directory.CreateDirectory(project);
        var plan = new ImagePlan
        {
            BaseImage = BaseImageSource.Parse($"oci-layout:{layout}", project),
            ProjectDirectory = project,
            Platform = Platform.LinuxAmd64,
            Files = [new PlannedFile("/srv/app/settings", null, "mode=test\n", null, "/srv/app/settings", PermissionMode.Parse("0640", "/srv/app/settings"), OwnerSpec.Parse("root:mop", "/srv/app/settings"), SourceLocation.Unknown)],
            Contract = new ContractPlan { Kind = ImageKind.Run },
            Debian = new PlannedDebian(new DebianRequest { Packages = ["hello"], Mirror = FakeMirror.Root, KeyringPath = Keyring, MinimalSystem = false },
                [SourceLocation.Unknown]),
            Repository = repository,
            Tags = ["v1"],
            Timestamp = DateTimeOffset.FromUnixTimeSeconds(1_700_000_000),
            OutputDirectory = Path.Combine(project, "publish"),
            IntermediateDirectory = Path.Combine(project, "obj"),
            BlobCacheDirectory = cacheDirectory,
        };
        return (plan, baseImage.Layers);
    }
}
