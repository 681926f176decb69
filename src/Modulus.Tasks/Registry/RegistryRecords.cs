using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Modulus.Oci;
using Modulus.Storage;

namespace Modulus.Registry;

/// <summary>
/// What Modulus remembers about registries beside the blob store (in <c>ROOT/registry/</c>):
/// <list type="bullet">
/// <item><c>tags/HASH</c>: the digest a tag resolved to and when, so a rebuild within
/// <see cref="RegistryOptions.TagTimeToLive"/> needs no network;</item>
/// <item><c>sources/HEX</c>: the registry/repository names a blob was pulled from or pushed to, so a
/// push can mount it from there instead of uploading it.</item>
/// </list>
/// Both are hints: a missing or unreadable record only costs a request. Writes are atomic.
/// </summary>
internal sealed class RegistryRecords(BlobStore store, RegistryOptions options)
{
    private const int MaxSourcesPerBlob = 16;

    private string Folder => Path.Combine(store.Root, "registry");

    /// <summary>The digest <paramref name="reference"/>'s tag resolved to, while the record is fresh.</summary>
    public Digest? FreshTag(ImageReference reference) =>
        options.RefreshTags || LastTag(reference) is not { } last || options.Time.GetUtcNow() - last.Resolved >= options.TagTimeToLive
            ? null
            : last.Digest;

    /// <summary>The digest <paramref name="reference"/>'s tag last resolved to and when, however old.</summary>
    public (Digest Digest, DateTimeOffset Resolved)? LastTag(ImageReference reference)
    {
        if (reference.Tag is null) return null;
        var path = TagPath(reference);
        if (!File.Exists(path)) return null;
        var lines = File.ReadAllLines(path);
        if (lines.Length < 2 || !Digest.TryParse(lines[0], out var digest)) return null;
        if (!DateTimeOffset.TryParse(lines[1], CultureInfo.InvariantCulture, DateTimeStyles.RoundtripKind, out var resolved)) return null;
        return (digest, resolved);
    }

    public void RecordTag(ImageReference reference, Digest digest)
    {
        if (reference.Tag is null) return;
        AtomicFile.WriteAllText(TagPath(reference), $"{digest}\n{options.Time.GetUtcNow():O}\n{reference.Name}:{reference.Tag}\n");
    }

    /// <summary>Repositories of <paramref name="registry"/> known to hold <paramref name="digest"/>.</summary>
    public IReadOnlyList<string> SourcesOf(Digest digest, string registry)
    {
        var prefix = registry + "/";
        return ReadSources(digest).Where(s => s.StartsWith(prefix, StringComparison.Ordinal)).Select(s => s[prefix.Length..]).ToArray();
    }

    public void RecordSource(Digest digest, string registry, string repository)
    {
        var name = $"{registry}/{repository}";
        var known = ReadSources(digest);
        if (known.Contains(name)) return;
        var kept = known.Prepend(name).Take(MaxSourcesPerBlob);
        AtomicFile.WriteAllText(SourcePath(digest), string.Join('\n', kept) + "\n");
    }

    private List<string> ReadSources(Digest digest)
    {
        var path = SourcePath(digest);
        return File.Exists(path) ? File.ReadAllLines(path).Where(l => l.Length > 0).ToList() : [];
    }

    private string TagPath(ImageReference reference) =>
        Path.Combine(Folder, "tags", Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes($"{reference.Name}:{reference.Tag}"))));

    private string SourcePath(Digest digest) => Path.Combine(Folder, "sources", digest.Encoded);
}
