using Modulus.Oci;

namespace Modulus.Sources;

/// <summary>
/// The blobs of one image source, as seen from the blob store: <see cref="Fetch"/> makes sure a
/// blob the source holds is in the store (verified) and returns its path there.
/// </summary>
internal interface IBlobSource
{
    /// <summary>Names the source in errors, e.g. "the OCI layout '/x'".</summary>
    string Description { get; }

    /// <summary>
    /// The store path of <paramref name="digest"/>; MOD2206 when the source lacks it. A source that
    /// copies the blob now holds it to <paramref name="size"/>, when a descriptor declares one (MOD2230).
    /// </summary>
    string Fetch(Digest digest, long? size = null);
}
