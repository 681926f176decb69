namespace Modulus.Tests.Sdk;

/// <summary>One workspace for every test of this folder.</summary>
[SetUpFixture]
public sealed class SdkPackage
{
    private static SdkWorkspace? _workspace;

    internal static SdkWorkspace Workspace => _workspace ?? throw new InvalidOperationException("the SDK is packed in OneTimeSetUp");

    [OneTimeSetUp]
    public void Pack() => _workspace = new SdkWorkspace();

    [OneTimeTearDown]
    public void Remove() => _workspace?.Dispose();
}
