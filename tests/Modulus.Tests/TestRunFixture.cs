using Modulus.Tests.Sdk;

namespace Modulus.Tests;

/// <summary>What the whole test run shares, removed when it ends.</summary>
[SetUpFixture]
public sealed class TestRunFixture
{
    [OneTimeTearDown]
    public void RemoveShared() => SdkFeed.Remove();
}
