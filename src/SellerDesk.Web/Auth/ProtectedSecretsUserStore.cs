using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Identity.EntityFrameworkCore;
using SellerDesk.Data;
using SellerDesk.Data.Accounts;
using SellerDesk.Ingestion.Connections;

namespace SellerDesk.Web.Auth;

/// <summary>
/// Identity's EF store, except that the two-step sign-in key and the recovery codes are stored encrypted (Identity
/// keeps both in clear in <c>AspNetUserTokens</c>): a database dump alone then neither gives the codes an
/// authenticator would show nor the codes that replace it. They are encrypted with the credentials' key ring, which the
/// certificate outside the database protects (docs/decisions/0019-hardening.md). Values stored in clear before this
/// are still read, and are encrypted when they are next written (a new key, or a used recovery code).
/// </summary>
public sealed class ProtectedSecretsUserStore(SellerDeskDbContext context, CredentialProtector protector, IdentityErrorDescriber? describer = null)
    : UserOnlyStore<SellerDeskUser, SellerDeskDbContext, Guid>(context, describer)
{
    /// <summary>Identity's own login provider name for the tokens it keeps for itself.</summary>
    public const string InternalLoginProvider = "[AspNetUserStore]";

    /// <summary>Marks a value this store encrypted (values without it were stored in clear before).</summary>
    public const string Prefix = "dp1:";

    private static readonly HashSet<string> SecretNames = ["AuthenticatorKey", "RecoveryCodes"];

    public override Task SetTokenAsync(SellerDeskUser user, string loginProvider, string name, string? value, CancellationToken cancellationToken) =>
        base.SetTokenAsync(user, loginProvider, name, IsSecret(loginProvider, name) && value is not null ? Prefix + protector.ProtectAccountSecret(value) : value, cancellationToken);

    public override async Task<string?> GetTokenAsync(SellerDeskUser user, string loginProvider, string name, CancellationToken cancellationToken)
    {
        var value = await base.GetTokenAsync(user, loginProvider, name, cancellationToken);
        return IsSecret(loginProvider, name) && value is not null && value.StartsWith(Prefix, StringComparison.Ordinal)
            ? protector.UnprotectAccountSecret(value[Prefix.Length..])
            : value;
    }

    private static bool IsSecret(string loginProvider, string name) =>
        loginProvider == InternalLoginProvider && SecretNames.Contains(name);
}
