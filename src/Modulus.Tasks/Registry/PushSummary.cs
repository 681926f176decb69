using Modulus.Oci;

namespace Modulus.Registry;

/// <summary>What a push did: the manifest digest the tags now name, and what happened to each blob.</summary>
public sealed record PushSummary(
    string Repository,
    Digest ManifestDigest,
    IReadOnlyList<string> Tags,
    IReadOnlyList<Descriptor> Uploaded,
    IReadOnlyList<Descriptor> Mounted,
    IReadOnlyList<Descriptor> AlreadyPresent,
    TimeSpan Elapsed)
{
    public long BytesUploaded => Uploaded.Sum(d => d.Size);

    /// <summary>registry/repository@digest: what a deployment should pin.</summary>
    public string PinnedReference => $"{Repository}@{ManifestDigest}";

    public override string ToString() =>
        $"Pushed {PinnedReference} as {(Tags.Count == 0 ? "(no tag)" : string.Join(", ", Tags))}: "
        + $"{Uploaded.Count} blob(s) uploaded ({TransferProgress.Bytes(BytesUploaded)}), {Mounted.Count} mounted, "
        + FormattableString.Invariant($"{AlreadyPresent.Count} already present, in {Elapsed.TotalSeconds:0.0}s.");
}
