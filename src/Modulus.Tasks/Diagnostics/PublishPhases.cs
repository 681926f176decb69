using System.Globalization;

namespace Modulus.Diagnostics;

/// <summary>The phases a publish's summary times, in the order a publish runs them.</summary>
public enum PublishPhase
{
    /// <summary>Where the base image stands and which Debian packages to install.</summary>
    Resolve,

    /// <summary>Base image blobs, Debian packages, Node.js and npm tarballs.</summary>
    Download,

    /// <summary>Loading the base image and writing the new layers.</summary>
    Layers,

    /// <summary>Checking the image against the run-image standard.</summary>
    Validate,

    /// <summary>The OCI layout, image.tar, the SBOM and modulus-image.json.</summary>
    Outputs,

    /// <summary>Sending the image to ContainerRegistry.</summary>
    Push,
}

/// <summary>
/// The time a publish spends in each phase. One phase runs at a time: entering one pauses the
/// phase around it (a download inside the Debian step is download time, not layer time), and
/// leaving it resumes that phase.
/// </summary>
public sealed class PublishPhases(TimeProvider time)
{
    private readonly Dictionary<PublishPhase, TimeSpan> _spent = [];
    private readonly Stack<PublishPhase> _running = new();
    private long _since = time.GetTimestamp();

    /// <summary>Starts <paramref name="phase"/>; disposing the result ends it and resumes the phase it interrupted.</summary>
    public IDisposable Enter(PublishPhase phase)
    {
        Switch();
        _running.Push(phase);
        _spent.TryAdd(phase, TimeSpan.Zero);
        return new Leave(this);
    }

    /// <summary>
    /// Adds the times of a part that ran beside others (<see cref="PublishProgress.Part"/>): each
    /// phase's time is then the sum over the parts, which can exceed the publish's time in all.
    /// </summary>
    public void Add(PublishPhases part)
    {
        foreach (var (phase, spent) in part._spent)
            _spent[phase] = _spent.GetValueOrDefault(phase) + spent;
    }

    /// <summary>The time spent in <paramref name="phase"/> so far; null when it never ran.</summary>
    public TimeSpan? this[PublishPhase phase] => _spent.TryGetValue(phase, out var spent) ? spent : null;

    /// <summary>"resolve 0.3 s, download 4.1 s, ...": the phases that ran, in publish order.</summary>
    public override string ToString() => string.Join(", ", Enum.GetValues<PublishPhase>()
        .Where(_spent.ContainsKey)
        .Select(p => string.Create(CultureInfo.InvariantCulture, $"{p.ToString().ToLowerInvariant()} {_spent[p].TotalSeconds:0.0} s")));

    /// <summary>Gives the time since the last switch to the phase that was running.</summary>
    private void Switch()
    {
        var now = time.GetTimestamp();
        if (_running.TryPeek(out var current)) _spent[current] += time.GetElapsedTime(_since, now);
        _since = now;
    }

    private sealed class Leave(PublishPhases phases) : IDisposable
    {
        private bool _left;

        public void Dispose()
        {
            if (_left) return;
            _left = true;
            phases.Switch();
            phases._running.Pop();
        }
    }
}
