using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using SellerDesk.Data;
using SellerDesk.Data.Accounts;
using SellerDesk.Integration.Tests.Api;
using SellerDesk.Testing;
using SellerDesk.Web.Auth;

namespace SellerDesk.Integration.Tests.Auth;

/// <summary>
/// The two-step sign-in key and the recovery codes are stored encrypted (issue 10: a database dump must not give away
/// account secrets), and still work through Identity: the key verifies a code, a recovery code is taken once. Values
/// stored in clear before keep working and are encrypted on their next write.
/// </summary>
public sealed class AccountSecretsTests(ApiHost host) : IClassFixture<ApiHost>
{
    [Fact]
    public async Task Authenticator_key_and_recovery_codes_are_not_in_the_database_in_clear_and_still_work()
    {
        using var scope = host.Services.CreateScope();
        var users = scope.ServiceProvider.GetRequiredService<UserManager<SellerDeskUser>>();
        var user = new SellerDeskUser { UserName = "secrets@example.test", Email = "secrets@example.test" };
        (await users.CreateAsync(user, "secrets password 1")).Succeeded.Should().BeTrue();

        (await users.ResetAuthenticatorKeyAsync(user)).Succeeded.Should().BeTrue();
        var key = await users.GetAuthenticatorKeyAsync(user);
        key.Should().NotBeNullOrEmpty();
        var codes = (await users.GenerateNewTwoFactorRecoveryCodesAsync(user, 10))!.ToList();
        codes.Should().HaveCount(10);

        var stored = await StoredAsync(user.Id);
        stored["AuthenticatorKey"].Should().StartWith(ProtectedSecretsUserStore.Prefix).And.NotContain(key!);
        foreach (var code in codes)
        {
            stored["RecoveryCodes"].Should().NotContain(code);
        }

        (await users.VerifyTwoFactorTokenAsync(user, TokenOptions.DefaultAuthenticatorProvider, Totp.Code(key!, DateTimeOffset.UtcNow)))
            .Should().BeTrue("the decrypted key verifies an authenticator's code");
        (await users.VerifyTwoFactorTokenAsync(user, TokenOptions.DefaultAuthenticatorProvider, Totp.WrongCode(key!)))
            .Should().BeFalse();
        (await users.CountRecoveryCodesAsync(user)).Should().Be(10);
        (await users.RedeemTwoFactorRecoveryCodeAsync(user, codes[3])).Succeeded.Should().BeTrue();
        (await users.RedeemTwoFactorRecoveryCodeAsync(user, codes[3])).Succeeded.Should().BeFalse("a recovery code works once");
        (await users.CountRecoveryCodesAsync(user)).Should().Be(9);
        (await StoredAsync(user.Id))["RecoveryCodes"].Should().StartWith(ProtectedSecretsUserStore.Prefix);
    }

    [Fact]
    public async Task Secrets_stored_in_clear_before_are_read_and_encrypted_when_next_written()
    {
        using var scope = host.Services.CreateScope();
        var users = scope.ServiceProvider.GetRequiredService<UserManager<SellerDeskUser>>();
        var user = new SellerDeskUser { UserName = "legacy@example.test", Email = "legacy@example.test" };
        (await users.CreateAsync(user, "legacy password 1")).Succeeded.Should().BeTrue();
        const string clearKey = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP";
        await using (var connection = new NpgsqlConnection(host.Database.ConnectionString))
        {
            await connection.OpenAsync();
            await using var insert = new NpgsqlCommand(
                """
                INSERT INTO user_tokens (user_id, login_provider, name, value)
                VALUES ($1, '[AspNetUserStore]', 'AuthenticatorKey', $2), ($1, '[AspNetUserStore]', 'RecoveryCodes', 'aaaa-1111;bbbb-2222')
                """,
                connection);
            insert.Parameters.Add(new NpgsqlParameter { Value = user.Id });
            insert.Parameters.Add(new NpgsqlParameter { Value = clearKey });
            await insert.ExecuteNonQueryAsync();
        }

        (await users.GetAuthenticatorKeyAsync(user)).Should().Be(clearKey);
        (await users.VerifyTwoFactorTokenAsync(user, TokenOptions.DefaultAuthenticatorProvider, Totp.Code(clearKey, DateTimeOffset.UtcNow))).Should().BeTrue();
        (await users.RedeemTwoFactorRecoveryCodeAsync(user, "aaaa-1111")).Succeeded.Should().BeTrue();
        var stored = await StoredAsync(user.Id);
        stored["RecoveryCodes"].Should().StartWith(ProtectedSecretsUserStore.Prefix).And.NotContain("bbbb-2222");
        (await users.CountRecoveryCodesAsync(user)).Should().Be(1);
    }

    private async Task<Dictionary<string, string>> StoredAsync(Guid userId)
    {
        var contexts = host.Services.GetRequiredService<IDbContextFactory<SellerDeskDbContext>>();
        await using var db = await contexts.CreateDbContextAsync();
        return await db.Set<IdentityUserToken<Guid>>()
            .Where(t => t.UserId == userId && t.LoginProvider == ProtectedSecretsUserStore.InternalLoginProvider)
            .ToDictionaryAsync(t => t.Name, t => t.Value ?? string.Empty);
    }
}
