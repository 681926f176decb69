using System.Text.Json;
using Modulus.Images;

namespace Modulus.BuildCache;

/// <summary>A step's layer taken from the build cache, its blob verified into the blob store, and what the step recorded beside it.</summary>
internal sealed record CachedLayer(BlobLayer Layer, JsonElement Data);
