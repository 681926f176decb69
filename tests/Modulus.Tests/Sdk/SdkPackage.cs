namespace Modulus.Tests.Sdk;

/// <summary>Packs Modulus.Sdk once for every test of this folder: packing takes longer than most tests.</summary>
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
