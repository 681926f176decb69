using Modulus.Registry;

namespace Modulus.Tests.Registry;

public class AuthChallengeTests
{
    [Test]
    public void A_bearer_challenge_gives_realm_service_scope_and_error()
    {
        var challenge = AuthChallenge.Parse("Bearer",
            "realm=\"https://auth.example.com/token\",service=\"registry.example.com\",scope=\"repository:team/app:pull,push\",error=\"insufficient_scope\"");

        challenge.IsBearer.ShouldBeTrue();
        challenge.Realm.ShouldBe("https://auth.example.com/token");
        challenge.Service.ShouldBe("registry.example.com");
        challenge.Parameters["scope"].ShouldBe("repository:team/app:pull,push", "commas inside quotes belong to the value");
        challenge.Error.ShouldBe("insufficient_scope");
    }

    [Test]
    public void Unquoted_values_and_spaces_after_commas_are_read()
    {
        var challenge = AuthChallenge.Parse("Basic", "realm=registry, charset=\"UTF-8\"");

        challenge.IsBasic.ShouldBeTrue();
        challenge.Realm.ShouldBe("registry");
        challenge.Parameters["charset"].ShouldBe("UTF-8");
    }
}
