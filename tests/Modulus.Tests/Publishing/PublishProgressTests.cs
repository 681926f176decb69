using Modulus.Diagnostics;
using Modulus.Oci;
using Modulus.Pipeline;
using Modulus.Registry;
using Modulus.Tests.TestSupport;

namespace Modulus.Tests.Publishing;

/// <summary>Progress lines and phase times, on a clock the test moves: what a build log shows, with no waiting.</summary>
public class PublishProgressTests
{
    /// <summary>A clock that moves only when told to.</summary>
    private sealed class ManualClock : TimeProvider
    {
        private long _ticks;

        public override long TimestampFrequency => TimeSpan.TicksPerSecond;

        public override long GetTimestamp() => _ticks;

        public void Advance(double seconds) => _ticks += TimeSpan.FromSeconds(seconds).Ticks;
    }

    private ManualClock _clock = null!;
    private RecordingLog _log = null!;

    [SetUp]
    public void NewClockAndLog() => (_clock, _log) = (new ManualClock(), new RecordingLog());

    [Test]
    public void An_activity_says_a_line_at_most_every_two_seconds_and_a_last_line_with_totals()
    {
        var activity = new ActivityProgress(_log, "Downloading Debian packages", "packages", totalItems: 3, totalBytes: 3 << 20, _clock);

        for (var i = 0; i < 10; i++)
        {
            _clock.Advance(0.5);
            activity.Report(100 << 10);
        }
        activity.ItemDone();
        var elapsed = activity.End();
        activity.Report(1);
        activity.End();

        _log.Progresses.ShouldBe([
            "Downloading Debian packages: 0 of 3 packages, 400.0 KiB of 3.0 MiB at 200.0 KiB/s",
            "Downloading Debian packages: 0 of 3 packages, 800.0 KiB of 3.0 MiB at 200.0 KiB/s",
            "Downloading Debian packages: done, 1 packages, 1000.0 KiB in 5.0 s at 200.0 KiB/s",
        ], "5 s of counts every half second: lines at 2 s and 4 s, then the last, and nothing after it");
        elapsed.ShouldBe(TimeSpan.FromSeconds(5));
    }

    [Test]
    public void Items_not_known_yet_leave_only_the_bytes_until_the_last_line()
    {
        var activity = new ActivityProgress(_log, "Resolving Debian packages from bookworm", "packages", time: _clock);

        _clock.Advance(2);
        activity.Report(2 << 20);
        activity.Add(0, 88);
        activity.End();

        _log.Progresses.ShouldBe([
            "Resolving Debian packages from bookworm: 2.0 MiB at 1.0 MiB/s",
            "Resolving Debian packages from bookworm: done, 88 packages, 2.0 MiB in 2.0 s at 1.0 MiB/s",
        ]);
    }

    [Test]
    public void A_fast_activity_says_only_its_last_line()
    {
        var activity = new ActivityProgress(_log, "Writing layer 'Modulus: files of the project'", time: _clock);

        activity.Report(512);
        activity.Report(512);
        _clock.Advance(0.5);
        activity.End();

        _log.Progresses.ShouldBe(["Writing layer 'Modulus: files of the project': done, 1.0 KiB in 0.5 s at 2.0 KiB/s"]);
    }

    [Test]
    public void Transfers_of_several_blobs_add_up_to_one_activity_and_a_retry_is_not_counted_twice()
    {
        var activity = new ActivityProgress(_log, "Pushing registry/app", "blobs", time: _clock);
        var tally = new TransferTally(activity);
        var (a, b) = (Digest.Compute("a"u8), Digest.Compute("b"u8));

        tally.Report(new TransferProgress(TransferDirection.Push, a, 0, 4 << 20, 0, Completed: false));
        tally.Report(new TransferProgress(TransferDirection.Push, b, 0, 4 << 20, 0, Completed: false));
        _clock.Advance(2);
        tally.Report(new TransferProgress(TransferDirection.Push, a, 2 << 20, 4 << 20, 0, Completed: false));
        tally.Report(new TransferProgress(TransferDirection.Push, a, 1 << 20, 4 << 20, 0, Completed: false)); // a retry starts again
        _clock.Advance(2);
        tally.Report(new TransferProgress(TransferDirection.Push, a, 4 << 20, 4 << 20, 0, Completed: true));
        tally.Report(new TransferProgress(TransferDirection.Push, b, 4 << 20, 4 << 20, 0, Completed: true));
        tally.End();

        _log.Progresses.ShouldBe([
            "Pushing registry/app: 0 of 2 blobs, 2.0 MiB of 8.0 MiB at 1.0 MiB/s",
            "Pushing registry/app: 1 of 2 blobs, 4.0 MiB of 8.0 MiB at 1.0 MiB/s",
            "Pushing registry/app: done, 2 blobs, 8.0 MiB in 4.0 s at 2.0 MiB/s",
        ]);
    }

    [Test]
    public void A_pull_with_every_blob_stored_says_nothing()
    {
        var tally = new TransferTally(new ActivityProgress(_log, "Downloading base image x", "blobs", time: _clock));

        tally.End();

        _log.Progresses.ShouldBeEmpty();
    }

    [Test]
    public void A_phase_entered_inside_another_takes_its_own_time_and_the_outer_one_resumes()
    {
        var phases = new PublishPhases(_clock);

        using (phases.Enter(PublishPhase.Resolve)) _clock.Advance(0.5);
        using (phases.Enter(PublishPhase.Layers))
        {
            _clock.Advance(1);
            using (phases.Enter(PublishPhase.Download)) _clock.Advance(4);
            _clock.Advance(2);
        }
        _clock.Advance(10); // between phases: nobody's time
        using (phases.Enter(PublishPhase.Push)) _clock.Advance(1.5);

        phases.ToString().ShouldBe("resolve 0.5 s, download 4.0 s, layers 3.0 s, push 1.5 s");
        phases[PublishPhase.Validate].ShouldBeNull("a phase that never ran is not in the summary");
    }

    [Test]
    public void Parts_that_ran_beside_each_other_add_their_phase_times_each_timed_on_its_own()
    {
        var progress = new PublishProgress(_log, _clock);
        using (progress.Phase(PublishPhase.Resolve)) _clock.Advance(0.5);
        var (amd64, arm64) = (progress.Part(), progress.Part());

        // Both parts are in a phase at once: each part's own phase stack times its own.
        var amd64Layers = amd64.Phase(PublishPhase.Layers);
        var arm64Download = arm64.Phase(PublishPhase.Download);
        _clock.Advance(3);
        arm64Download.Dispose();
        var arm64Layers = arm64.Phase(PublishPhase.Layers);
        _clock.Advance(1);
        amd64Layers.Dispose();
        arm64Layers.Dispose();
        progress.Phases.Add(amd64.Phases);
        progress.Phases.Add(arm64.Phases);

        progress.Phases.ToString().ShouldBe("resolve 0.5 s, download 3.0 s, layers 5.0 s");
    }
}
