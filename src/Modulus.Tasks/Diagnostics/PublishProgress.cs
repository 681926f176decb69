namespace Modulus.Diagnostics;

/// <summary>
/// What a publish tells about itself while it runs, beside its diagnostics: the phase it is in
/// (timed for the summary) and the progress of its long activities. Everything is said through
/// the one <see cref="IBuildLog"/>; this only keeps the clock.
/// </summary>
public sealed class PublishProgress
{
    private readonly TimeProvider _time;
    private readonly long _started;

    public PublishProgress(IBuildLog log, TimeProvider? time = null)
    {
        Log = log;
        _time = time ?? TimeProvider.System;
        _started = _time.GetTimestamp();
        Phases = new PublishPhases(_time);
    }

    public IBuildLog Log { get; }

    public PublishPhases Phases { get; }

    /// <summary>The time since the publish started.</summary>
    public TimeSpan Elapsed => _time.GetElapsedTime(_started);

    /// <summary>
    /// The progress of one part of a publish that runs beside others (a platform of a
    /// multi-platform image): the same log and clock, phases of its own, since one phase runs at a
    /// time only within a part. <see cref="PublishPhases.Add"/> brings its times back.
    /// </summary>
    public PublishProgress Part() => new(Log, _time);

    /// <summary>Starts <paramref name="phase"/> until the result is disposed.</summary>
    public IDisposable Phase(PublishPhase phase) => Phases.Enter(phase);

    /// <summary>Starts an activity whose progress is told at most every two seconds and when it ends (see <see cref="ActivityProgress"/>).</summary>
    public ActivityProgress Activity(string what, string unit = "", int totalItems = 0, long totalBytes = 0) =>
        new(Log, what, unit, totalItems, totalBytes, _time);
}
