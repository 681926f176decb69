using System.Globalization;

namespace Modulus.Diagnostics;

/// <summary>
/// The progress of one long activity of a publish (a download, a pull, a push, a layer being
/// written), told to <see cref="BuildLog.Progress"/> as whole lines: at most one per
/// interval while it runs, and one when it ends. A slow step is then never silent for long, and a
/// fast one says one line. Counts may arrive from several threads (parallel blob transfers).
/// </summary>
public sealed class ActivityProgress : IProgress<long>
{
    /// <summary>Long enough that a log stays readable, short enough that a publish never looks stuck.</summary>
    public static readonly TimeSpan DefaultInterval = TimeSpan.FromSeconds(2);

    private readonly object _gate = new();
    private readonly IBuildLog _log;
    private readonly string _what;
    private readonly string _unit;
    private readonly TimeProvider _time;
    private readonly TimeSpan _interval;
    private readonly long _started;
    private long _lastLine;
    private int _items;
    private int _totalItems;
    private long _bytes;
    private long _totalBytes;
    private bool _ended;

    /// <param name="log">Where the lines go.</param>
    /// <param name="what">What is happening, as the line starts: "Downloading Debian packages".</param>
    /// <param name="unit">The plural name of the items counted ("packages"); empty when only bytes count.</param>
    /// <param name="totalItems">How many items there are to do; 0 when unknown.</param>
    /// <param name="totalBytes">How many bytes there are to move; 0 when unknown.</param>
    /// <param name="time">The clock; the system's unless a test gives its own.</param>
    /// <param name="interval">The least time between two lines while the activity runs; <see cref="DefaultInterval"/> by default.</param>
    public ActivityProgress(IBuildLog log, string what, string unit = "", int totalItems = 0, long totalBytes = 0,
        TimeProvider? time = null, TimeSpan? interval = null)
    {
        _log = log;
        _what = what;
        _unit = unit;
        _totalItems = totalItems;
        _totalBytes = totalBytes;
        _time = time ?? TimeProvider.System;
        _interval = interval ?? DefaultInterval;
        _started = _lastLine = _time.GetTimestamp();
    }

    /// <summary><paramref name="bytes"/> more bytes moved or written.</summary>
    public void Report(long bytes) => Add(bytes, 0);

    /// <summary>One more item done.</summary>
    public void ItemDone() => Add(0, 1);

    /// <summary>More work found once the activity runs (a blob a pull turns out to need).</summary>
    public void Expect(int items, long bytes)
    {
        lock (_gate)
        {
            _totalItems += items;
            _totalBytes += bytes;
        }
    }

    /// <summary>Counts work done and, when the interval has passed since the last line, says how far it has come.</summary>
    public void Add(long bytes, int items)
    {
        string? line = null;
        lock (_gate)
        {
            if (_ended) return;
            _bytes += bytes;
            _items += items;
            var now = _time.GetTimestamp();
            if (_time.GetElapsedTime(_lastLine, now) >= _interval)
            {
                _lastLine = now;
                line = Line(now, final: false);
            }
        }
        // Outside the lock: a log may be slow, and the counts need not wait for it.
        if (line is not null) _log.Progress(line);
    }

    /// <summary>Says the last line, with the totals and the time taken; later counts are ignored. Returns that time.</summary>
    public TimeSpan End()
    {
        string line;
        TimeSpan elapsed;
        lock (_gate)
        {
            var now = _time.GetTimestamp();
            elapsed = _time.GetElapsedTime(_started, now);
            if (_ended) return elapsed;
            _ended = true;
            line = Line(now, final: true);
        }
        _log.Progress(line);
        return elapsed;
    }

    private string Line(long now, bool final)
    {
        var elapsed = _time.GetElapsedTime(_started, now);
        var parts = new List<string>();
        // While items are not known yet (indexes still coming), the bytes alone say how far it has come.
        if (_unit.Length > 0 && (final || _items > 0 || _totalItems > 0))
            parts.Add(final || _totalItems == 0 ? $"{_items} {_unit}" : $"{_items} of {_totalItems} {_unit}");
        if (_bytes > 0 || _totalBytes > 0) parts.Add(final || _totalBytes == 0 ? Size(_bytes) : $"{Size(_bytes)} of {Size(_totalBytes)}");
        var seconds = elapsed.TotalSeconds;
        var rate = _bytes > 0 && seconds >= 0.001 ? $" at {Size((long)(_bytes / seconds))}/s" : string.Empty;
        var counts = string.Join(", ", parts);
        return final
            ? string.Create(CultureInfo.InvariantCulture, $"{_what}: done{(counts.Length > 0 ? ", " + counts : string.Empty)} in {seconds:0.0} s{rate}")
            : $"{_what}: {(counts.Length > 0 ? counts : "working")}{rate}";
    }

    /// <summary>Bytes as people read them: B, KiB, MiB or GiB with one decimal.</summary>
    public static string Size(long bytes) => bytes switch
    {
        >= 1L << 30 => string.Create(CultureInfo.InvariantCulture, $"{bytes / (double)(1L << 30):0.0} GiB"),
        >= 1L << 20 => string.Create(CultureInfo.InvariantCulture, $"{bytes / (double)(1L << 20):0.0} MiB"),
        >= 1L << 10 => string.Create(CultureInfo.InvariantCulture, $"{bytes / 1024.0:0.0} KiB"),
        _ => string.Create(CultureInfo.InvariantCulture, $"{bytes} B"),
    };
}
