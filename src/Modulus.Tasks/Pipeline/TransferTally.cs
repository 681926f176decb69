using Modulus.Diagnostics;
using Modulus.Oci;
using Modulus.Registry;

namespace Modulus.Pipeline;

/// <summary>
/// Adds up the per-blob reports of a pull or push (several blobs move at once) into one
/// activity: blobs done of those seen, bytes moved of their sizes. Says nothing when no blob
/// had to move.
/// </summary>
internal sealed class TransferTally(ActivityProgress activity) : IProgress<TransferProgress>
{
    private readonly Dictionary<Digest, long> _moved = [];

    public void Report(TransferProgress value)
    {
        long delta;
        lock (_moved)
        {
            if (!_moved.TryGetValue(value.Digest, out var before))
            {
                before = 0;
                activity.Expect(1, value.TotalBytes);
            }
            delta = Math.Max(0, value.BytesTransferred - before);
            _moved[value.Digest] = Math.Max(before, value.BytesTransferred);
        }
        activity.Add(delta, value.Completed ? 1 : 0);
    }

    /// <summary>The activity's last line, when anything moved.</summary>
    public void End()
    {
        bool any;
        lock (_moved) any = _moved.Count > 0;
        if (any) activity.End();
    }
}
