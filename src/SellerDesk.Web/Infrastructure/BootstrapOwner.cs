using System.Security.Cryptography;
using SellerDesk.Web.Auth;

namespace SellerDesk.Web.Infrastructure;

/// <summary>
/// The first Owner account, made at start-up: from <c>Bootstrap:OwnerEmail</c>/<c>Bootstrap:OwnerPassword</c> for
/// scripts, or, when the demo is loaded into a database without any account, a demo Owner with a generated password
/// printed once on the console (never a fixed password, never the log).
/// </summary>
internal sealed class BootstrapOwner(IConfiguration configuration, AccountService accounts, ILogger<BootstrapOwner> logger)
{
    public const string DemoEmail = "owner@demo.sellerdesk";

    public async Task EnsureAsync(Guid workspaceId, CancellationToken cancellationToken)
    {
        var email = configuration["Bootstrap:OwnerEmail"];
        var password = configuration["Bootstrap:OwnerPassword"];
        if (!string.IsNullOrWhiteSpace(email) && !string.IsNullOrEmpty(password))
        {
            try
            {
                var created = await accounts.EnsureOwnerAsync(email, password, workspaceId, cancellationToken);
                if (created)
                {
                    logger.LogInformation("Created the Owner account {Email} from Bootstrap:OwnerEmail", email.Trim());
                }
                else
                {
                    logger.LogInformation("The account {Email} from Bootstrap:OwnerEmail is an Owner of the bootstrap workspace", email.Trim());
                }
            }
            catch (IdentityProblemException ex)
            {
                logger.LogError("Bootstrap:OwnerEmail/OwnerPassword were not accepted: {Problems}", string.Join(" ", ex.Errors));
            }

            return;
        }

        if (configuration.GetValue<bool>("Demo:Seed") && !await accounts.AnyUserAsync(cancellationToken))
        {
            var generated = GeneratePassword();
            await accounts.EnsureOwnerAsync(DemoEmail, generated, workspaceId, cancellationToken);
            logger.LogInformation("Created the demo Owner account {Email}; its password is printed on the console once", DemoEmail);
            Announcement = (DemoEmail, generated);
        }
    }

    /// <summary>The demo Owner made by this start, printed with the address once the server listens.</summary>
    public (string Email, string Password)? Announcement { get; private set; }

    /// <summary>16 characters from an alphabet without look-alikes (about 90 bits).</summary>
    internal static string GeneratePassword()
    {
        const string alphabet = "abcdefghijkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789";
        return string.Create(16, alphabet, (span, chars) =>
        {
            for (var i = 0; i < span.Length; i++)
            {
                span[i] = chars[RandomNumberGenerator.GetInt32(chars.Length)];
            }
        });
    }
}
