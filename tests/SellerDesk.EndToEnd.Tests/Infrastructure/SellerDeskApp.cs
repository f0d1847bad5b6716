using System.Net;
using System.Net.Http.Headers;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Playwright;
using SellerDesk.Testing;

namespace SellerDesk.EndToEnd.Tests.Infrastructure;

/// <summary>All browser tests share one app, one database and one browser; they run one after another.</summary>
[CollectionDefinition(Name)]
public sealed class BrowserTests : ICollectionFixture<SellerDeskApp>
{
    public const string Name = "browser";
}

/// <summary>
/// SellerDesk on real Kestrel at 127.0.0.1 (a free port) over a fresh database, with the test ledger loaded
/// through the API, and Debian's Chromium driven by Playwright.
/// </summary>
public sealed class SellerDeskApp : IAsyncLifetime
{
    private WebApplicationFactory<Program> _factory = null!;
    private IPlaywright _playwright = null!;

    public string Token { get; } = "e2e-" + Guid.NewGuid().ToString("N");

    /// <summary>The Owner account made at start-up from Bootstrap:OwnerEmail/OwnerPassword.</summary>
    public const string OwnerEmail = "owner@e2e.test";

    public const string OwnerPassword = "e2e owner password 1";

    /// <summary>The Owner's signed-in browser state (cookies), signed in once through the sign-in page.</summary>
    public string OwnerState { get; private set; } = string.Empty;

    public TestDatabase Database { get; } = new();

    public Uri BaseAddress { get; private set; } = null!;

    /// <summary>The API with the workspace's Owner token.</summary>
    public HttpClient Api { get; private set; } = null!;

    public ReportApi Reports { get; private set; } = null!;

    public IBrowser Browser { get; private set; } = null!;

    /// <summary>The app's services, for arranging accounts and workspaces a test starts from.</summary>
    public IServiceProvider Services => _factory.Services;

    public async Task InitializeAsync()
    {
        await Database.InitializeAsync();
        (_factory, BaseAddress) = await AppHost.StartAsync(Database.ConnectionString, Token);
        Api = new HttpClient { BaseAddress = BaseAddress, Timeout = TimeSpan.FromSeconds(60) };
        Api.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", Token);
        Reports = new ReportApi(Api);
        await TestLedger.LoadAsync(Api);

        _playwright = await Playwright.CreateAsync();
        Browser = await _playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = "/usr/bin/chromium",
            Headless = true,
            Args = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run"],
        });
        OwnerState = await SignInStateAsync(OwnerEmail, OwnerPassword);
    }

    /// <summary>Signs in through the sign-in page in a context of its own and returns that context's cookies.</summary>
    public async Task<string> SignInStateAsync(string email, string password)
    {
        var page = await NewPageAsync(signedIn: false);
        try
        {
            await Pages.SignInPage.SignInAsync(page, email, password);
            return await page.Context.StorageStateAsync();
        }
        finally
        {
            await page.Context.CloseAsync();
        }
    }

    /// <summary>A laptop window.</summary>
    public static ViewportSize Desktop { get; } = new() { Width = 1440, Height = 900 };

    /// <summary>A phone held upright (iPhone 12 to 15 size).</summary>
    public static ViewportSize Phone { get; } = new() { Width = 390, Height = 844 };

    /// <summary>
    /// A fresh browser context (own cookies, so its own language and theme) with a page in it, signed in as the
    /// workspace's Owner unless <paramref name="signedIn"/> is false or another signed-in <paramref name="state"/> is given.
    /// </summary>
    public async Task<IPage> NewPageAsync(string locale = "ru-RU", ViewportSize? viewport = null, bool touch = false, bool signedIn = true, string? state = null)
    {
        var context = await Browser.NewContextAsync(new BrowserNewContextOptions
        {
            StorageState = state ?? (signedIn ? OwnerState : null),
            BaseURL = BaseAddress.ToString(),
            Locale = locale,
            ViewportSize = viewport ?? Desktop,
            HasTouch = touch,
            IsMobile = touch,
            AcceptDownloads = true,
        });
        // Generous for a shared 2-core machine under other builds: a passing step never waits this long, and the
        // assertions' own retries (Expect) get the same patience as the actions.
        context.SetDefaultTimeout(UiTimeoutMs);
        context.SetDefaultNavigationTimeout(UiTimeoutMs);
        Assertions.SetDefaultExpectTimeout(UiTimeoutMs);
        return await context.NewPageAsync();
    }

    private const float UiTimeoutMs = 30_000;

    public async Task DisposeAsync()
    {
        if (Browser is not null)
        {
            await Browser.CloseAsync();
        }

        _playwright?.Dispose();
        Api?.Dispose();
        if (_factory is not null)
        {
            await _factory.DisposeAsync();
        }

        await Database.DisposeAsync();
    }
}

/// <summary>Starts the app on Kestrel at 127.0.0.1 (on a free port unless one is given) and waits until it answers.</summary>
internal static class AppHost
{
    public static async Task<(WebApplicationFactory<Program> Factory, Uri Address)> StartAsync(
        string connectionString,
        string token,
        bool waitForHealthy = true,
        int port = 0,
        IReadOnlyDictionary<string, string>? settings = null)
    {
        var factory = new WebApplicationFactory<Program>().WithWebHostBuilder(builder =>
        {
            builder.UseSetting("ConnectionStrings:SellerDesk", connectionString);
            builder.UseSetting("Bootstrap:Workspace", "demo");
            builder.UseSetting("Bootstrap:ApiToken", token);
            builder.UseSetting("Bootstrap:OwnerEmail", SellerDeskApp.OwnerEmail);
            builder.UseSetting("Bootstrap:OwnerPassword", SellerDeskApp.OwnerPassword);
            foreach (var (key, value) in TestLedger.Settings.Concat(settings ?? new Dictionary<string, string>()))
            {
                builder.UseSetting(key, value);
            }

            builder.UseEnvironment("Production");

            // Open circuits (browser tabs) would otherwise hold a stopping host for the default 30 seconds.
            builder.ConfigureServices(services => services.Configure<HostOptions>(o => o.ShutdownTimeout = TimeSpan.FromSeconds(1)));
        });
        factory.UseKestrel(options => options.Listen(IPAddress.Loopback, port));
        factory.StartServer();
        var address = factory.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        var baseAddress = new Uri(address.EndsWith('/') ? address : address + "/");
        if (waitForHealthy)
        {
            await WaitUntilHealthyAsync(baseAddress);
        }

        return (factory, baseAddress);
    }

    private static async Task WaitUntilHealthyAsync(Uri baseAddress)
    {
        using var client = new HttpClient { BaseAddress = baseAddress };
        var deadline = DateTime.UtcNow.AddSeconds(60);
        while (true)
        {
            using var response = await client.GetAsync(new Uri("health", UriKind.Relative));
            if (response.IsSuccessStatusCode)
            {
                return;
            }

            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException("SellerDesk did not become healthy: " + await response.Content.ReadAsStringAsync());
            }

            await Task.Delay(200);
        }
    }
}
