namespace Modulus.Diagnostics;

/// <summary>
/// The errors found while reading a project's inputs, kept so a build reports every one of them at
/// once instead of stopping at the first. A reader tries to make each value; a value that cannot be
/// made is recorded at its declaration and replaced by a placeholder the reading goes on with. The
/// placeholder is never published: whoever reads the inputs stops when <see cref="Any"/> is true.
/// </summary>
public sealed class InputErrors
{
    private readonly List<Diagnostic> _errors = [];

    /// <summary>The errors in the order they were found; the same error found twice (one property read by two readers) once.</summary>
    public IReadOnlyList<Diagnostic> All => _errors;

    public bool Any => _errors.Count > 0;

    /// <summary>
    /// Makes a value with <paramref name="make"/>; when it fails with a <see cref="ModulusException"/>,
    /// records the error (at <paramref name="location"/> unless it names its own) and returns
    /// <paramref name="placeholder"/>.
    /// </summary>
    public T Try<T>(SourceLocation location, Func<T> make, T placeholder)
    {
        try
        {
            return make();
        }
        catch (ModulusException e)
        {
            Record(e.File is null ? e.At(location.File, location.Line) : e);
            return placeholder;
        }
    }

    /// <summary>Runs a check that may fail; when it does, records its error (at <paramref name="location"/> unless it names its own).</summary>
    public void Check(SourceLocation location, Action check) =>
        Try(location, () =>
        {
            check();
            return true;
        }, placeholder: false);

    public void Record(ModulusException error)
    {
        var diagnostic = Diagnostic.Of(error);
        if (!_errors.Contains(diagnostic)) _errors.Add(diagnostic);
    }

    /// <summary>Reports every recorded error to <paramref name="log"/>.</summary>
    public void ReportTo(IBuildLog log)
    {
        foreach (var error in _errors) log.Report(error);
    }
}
