using Modulus.Diagnostics;

namespace Modulus.Pipeline;

/// <summary>
/// Gives an error that has no location the location of the declaration being processed, and the
/// name of the step it came from: the one place a publish attaches them. An error that already
/// has a location keeps it, so the innermost declaration wins.
/// </summary>
public static class Located
{
    public static T Run<T>(SourceLocation location, Func<T> action) => Run(_ => location, action);

    public static void Run(SourceLocation location, Action action) => Run(_ => location, () => { action(); return 0; });

    public static Task<T> RunAsync<T>(SourceLocation location, Func<Task<T>> action) => RunAsync(_ => location, action);

    /// <summary>Runs <paramref name="action"/>; <paramref name="locate"/> says where an error it gives points.</summary>
    public static T Run<T>(Func<ModulusException, SourceLocation> locate, Func<T> action, string? step = null)
    {
        try
        {
            return action();
        }
        catch (ModulusException e) when (WithContext(e, locate, step) is var located && located != e)
        {
            throw located;
        }
    }

    /// <inheritdoc cref="Run{T}(Func{ModulusException, SourceLocation}, Func{T}, string?)"/>
    public static async Task<T> RunAsync<T>(Func<ModulusException, SourceLocation> locate, Func<Task<T>> action, string? step = null)
    {
        try
        {
            return await action();
        }
        catch (ModulusException e) when (WithContext(e, locate, step) is var located && located != e)
        {
            throw located;
        }
    }

    /// <summary>The error with the location and step it lacks; the same error when it lacks neither or nothing is known.</summary>
    private static ModulusException WithContext(ModulusException e, Func<ModulusException, SourceLocation> locate, string? step)
    {
        // An error that names its step was located by that step, when it could be: a later step's declaration is not its cause.
        if (e.File is null && e.Step is null && locate(e) is { File: { } file } location) e = e.At(file, location.Line);
        return step is not null && e.Step is null ? e.InStep(step) : e;
    }
}
