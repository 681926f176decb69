namespace Modulus.Publishing;

/// <summary>Where the publisher reports progress; the MSBuild task forwards it to the build log.</summary>
public interface IPublishLog
{
    /// <summary>A step, shown at detailed verbosity.</summary>
    void Detail(string message);

    /// <summary>The outcome, shown at every verbosity.</summary>
    void Summary(string message);

    /// <summary>Something the user should fix though the publish goes on, with its MOD code.</summary>
    void Warning(string code, string message);
}
