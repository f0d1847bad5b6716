using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Components.Authorization;
using Microsoft.AspNetCore.Identity;
using SellerDesk.Data;
using SellerDesk.Data.Accounts;

namespace SellerDesk.Web.Auth;

/// <summary>
/// Accounts (ASP.NET Core Identity over the app's own DbContext) and the two ways in: the Identity cookie for pages,
/// <c>/export/*</c> and the account endpoints, a bearer token under <c>/api</c>. The fallback policy asks for a
/// signed-in user wherever nothing more specific (or <c>AllowAnonymous</c>) is said. See docs/decisions/0015-accounts.md.
/// </summary>
internal static class AuthExtensions
{
    /// <summary>The default scheme: the token under /api, the cookie elsewhere.</summary>
    public const string SelectorScheme = "SellerDesk";

    /// <summary>The API group's policy: a valid token (what it may do is said by the endpoint's own policy).</summary>
    public const string ApiPolicy = "api";

    public const string SignInPath = "/account/signin";
    public const string DeniedPath = "/account/denied";

    public static IServiceCollection AddSellerDeskAuth(this IServiceCollection services)
    {
        services.AddHttpContextAccessor();
        services.AddAuthentication(options =>
            {
                options.DefaultScheme = SelectorScheme;
                options.DefaultChallengeScheme = SelectorScheme;
                options.DefaultForbidScheme = SelectorScheme;
            })
            .AddPolicyScheme(SelectorScheme, "SellerDesk", options => options.ForwardDefaultSelector = context =>
                context.Request.Path.StartsWithSegments("/api", StringComparison.OrdinalIgnoreCase)
                    ? ApiTokenAuthenticationHandler.SchemeName
                    : IdentityConstants.ApplicationScheme)
            .AddScheme<AuthenticationSchemeOptions, ApiTokenAuthenticationHandler>(ApiTokenAuthenticationHandler.SchemeName, null)
            .AddIdentityCookies();

        services.AddIdentityCore<SellerDeskUser>(options =>
            {
                options.User.RequireUniqueEmail = true;

                // Length over composition rules (NIST SP 800-63B): at least 10 characters, any of them.
                options.Password.RequiredLength = 10;
                options.Password.RequireDigit = false;
                options.Password.RequireLowercase = false;
                options.Password.RequireUppercase = false;
                options.Password.RequireNonAlphanumeric = false;
                options.Password.RequiredUniqueChars = 4;
                options.Lockout.AllowedForNewUsers = true;
                options.Lockout.MaxFailedAccessAttempts = 5;
                options.Lockout.DefaultLockoutTimeSpan = TimeSpan.FromMinutes(15);
                options.SignIn.RequireConfirmedAccount = false;
            })
            .AddEntityFrameworkStores<SellerDeskDbContext>()
            .AddSignInManager()
            .AddDefaultTokenProviders()
            .AddErrorDescriber<LocalizedIdentityErrors>();

        // The two-step key and recovery codes encrypted at rest (Identity's store keeps them in clear).
        services.AddScoped<IUserStore<SellerDeskUser>, ProtectedSecretsUserStore>();

        services.ConfigureApplicationCookie(options =>
        {
            options.Cookie.Name = ".SellerDesk.Session";
            options.Cookie.HttpOnly = true;
            options.Cookie.SameSite = SameSiteMode.Lax;
            options.Cookie.SecurePolicy = CookieSecurePolicy.SameAsRequest;
            options.LoginPath = SignInPath;
            options.LogoutPath = "/account/signout";
            options.AccessDeniedPath = DeniedPath;
            options.ReturnUrlParameter = "returnUrl";
            options.ExpireTimeSpan = TimeSpan.FromHours(12);
            options.SlidingExpiration = true;
        });

        // Every request checks the cookie's security stamp: a member removed (or a password changed) is signed out
        // at the next request, not half an hour later.
        services.Configure<SecurityStampValidatorOptions>(o => o.ValidationInterval = TimeSpan.Zero);

        services.AddScoped<IClaimsTransformation, WorkspaceSelection>();
        services.AddScoped<AuthenticationStateProvider, MembershipRevalidation>();
        services.AddCascadingAuthenticationState();

        var authorization = services.AddAuthorizationBuilder()
            .AddPolicy(ApiPolicy, policy => policy.RequireAuthenticatedUser())
            .AddPolicy(Policies.SignedIn, policy => policy.RequireAuthenticatedUser())
            .SetFallbackPolicy(new AuthorizationPolicyBuilder().RequireAuthenticatedUser().Build());
        foreach (var (name, roles) in Policies.Roles)
        {
            authorization.AddPolicy(name, policy => policy
                .RequireAuthenticatedUser()
                .RequireClaim(WorkspaceClaims.Id)
                .RequireRole(roles));
        }

        // Password reset (docs/decisions/0018-password-reset-and-2fa.md): Identity's reset token lasts a day and, holding
        // the security stamp the reset renews, works once; mails go through the configured SMTP server in the background.
        services.Configure<DataProtectionTokenProviderOptions>(o => o.TokenLifespan = TimeSpan.FromHours(24));
        services.AddOptions<SmtpOptions>().BindConfiguration(SmtpOptions.Section);
        services.AddSingleton<PasswordResets>();
        services.AddSingleton<ResetMailer>();
        services.AddHostedService(provider => provider.GetRequiredService<ResetMailer>());

        services.AddSingleton<AccountService>();
        services.AddSingleton<AuditLog>();
        services.AddSingleton<AuditedActions>();
        return services;
    }

    public static WebApplication UseSellerDeskAuth(this WebApplication app)
    {
        app.UseAuthentication();
        app.UseAuthorization();
        return app;
    }
}
