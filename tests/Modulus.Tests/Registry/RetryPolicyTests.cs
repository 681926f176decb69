using System.Net;
using Modulus.Registry;

namespace Modulus.Tests.Registry;

public class RetryPolicyTests
{
    private static readonly RegistryOptions Options = new() { RetryBaseDelay = TimeSpan.FromSeconds(1), RetryMaxDelay = TimeSpan.FromSeconds(10) };

    [TestCase(1, 1.0, 1.5)]
    [TestCase(2, 2.0, 3.0)]
    [TestCase(3, 4.0, 6.0)]
    [TestCase(9, 10.0, 10.0, Description = "capped at the maximum")]
    public void Delays_double_with_up_to_half_again_of_jitter(int attempt, double atLeast, double atMost)
    {
        var policy = new RetryPolicy(Options);
        for (var i = 0; i < 50; i++)
            policy.DelayAfter(attempt, null).TotalSeconds.ShouldBeInRange(atLeast, atMost);
    }

    [Test]
    public void Retry_After_is_honoured_up_to_the_maximum()
    {
        var policy = new RetryPolicy(Options);

        policy.DelayAfter(1, TimeSpan.FromSeconds(7)).ShouldBe(TimeSpan.FromSeconds(7));
        policy.DelayAfter(1, TimeSpan.FromMinutes(5)).ShouldBe(TimeSpan.FromSeconds(10));
    }

    [TestCase(HttpStatusCode.TooManyRequests, true)]
    [TestCase(HttpStatusCode.InternalServerError, true)]
    [TestCase(HttpStatusCode.BadGateway, true)]
    [TestCase(HttpStatusCode.ServiceUnavailable, true)]
    [TestCase(HttpStatusCode.GatewayTimeout, true)]
    [TestCase(HttpStatusCode.NotImplemented, false)]
    [TestCase(HttpStatusCode.BadRequest, false)]
    [TestCase(HttpStatusCode.NotFound, false)]
    public void Only_throttling_and_server_failures_are_retried(HttpStatusCode status, bool transient) =>
        RetryPolicy.IsTransient(status).ShouldBe(transient);

    [TestCase("127.0.0.1:5000", true)]
    [TestCase("localhost:5000", true)]
    [TestCase("[::1]:5000", true)]
    [TestCase("registry.example.com", false)]
    [TestCase("10.0.0.5:5000", false)]
    public void Loopback_registries_are_recognised(string registry, bool loopback) =>
        RegistryHosts.IsLoopback(registry).ShouldBe(loopback);

    [Test]
    public void Insecure_registries_come_from_both_variables_and_the_options()
    {
        var environment = new Dictionary<string, string>
        {
            ["MODULUS_INSECURE_REGISTRIES"] = "one.example.com, two.example.com:5000",
            ["DOTNET_CONTAINER_INSECURE_REGISTRIES"] = "three.example.com",
        };
        var options = new RegistryOptions { Environment = environment.GetValueOrDefault, InsecureRegistries = ["four.example.com"] };

        new[] { "one.example.com", "two.example.com:5000", "three.example.com", "four.example.com" }.ShouldAllBe(r => RegistryHosts.IsListedInsecure(r, options));
        RegistryHosts.IsListedInsecure("two.example.com", options).ShouldBeFalse("the port is part of the name");
    }
}
