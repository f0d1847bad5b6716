using Microsoft.Playwright;
using SellerDesk.EndToEnd.Tests.Infrastructure;
using SellerDesk.EndToEnd.Tests.Pages;

namespace SellerDesk.EndToEnd.Tests;

/// <summary>
/// The Content Security Policy (issue 10, hardening) lets Blazor Server and MudBlazor work: pages become interactive,
/// menus open, the language switch works, and the browser reports no violation of the policy on the way.
/// </summary>
[Collection(BrowserTests.Name)]
public sealed class SecurityPolicyTests(SellerDeskApp app)
{
    private const string ViolationRecorder =
        "window.__cspViolations = [];" +
        "document.addEventListener('securitypolicyviolation', e => window.__cspViolations.push(e.violatedDirective + ' ' + e.blockedURI + ' ' + (e.sample || '')));";

    [Fact]
    public async Task Pages_are_interactive_under_the_policy_and_the_browser_reports_no_violation()
    {
        var page = await app.NewPageAsync(locale: "en-US");
        var console = new List<string>();
        page.Console += (_, message) => console.Add(message.Type + ": " + message.Text);
        await page.Context.AddInitScriptAsync(ViolationRecorder);

        var document = await page.GotoAsync("cohorts?" + TestLedger.Query + "&marketplace=ozon");
        var headers = await document!.AllHeadersAsync();
        headers.Should().ContainKey("content-security-policy");
        headers["content-security-policy"].Should().Contain("script-src 'self' 'nonce-");
        headers.Should().NotContainKey("server");
        headers["x-content-type-options"].Should().Be("nosniff");

        // A MudBlazor select (a popover moved by MudBlazor's script) and Blazor's event round trip over the circuit.
        var cohorts = new CohortsPage(page);
        await cohorts.WaitUntilInteractiveAsync();
        await cohorts.Table.WaitForAsync();
        await cohorts.ChooseMetricAsync("LTV по выручке", "revenue");
        await cohorts.ChooseChannelAsync("ozon_ads", "ozon_ads");
        (await cohorts.MetricAsync()).Should().Be("revenue");

        // Navigation inside the app (enhanced navigation) and a full reload through the language switch.
        await cohorts.NavigateAsync("channels");
        await page.Locator("h1", new() { HasText = "Каналы привлечения" }).WaitForAsync();
        await cohorts.SwitchLanguageAsync("en-US");
        (await cohorts.Heading.InnerTextAsync()).Should().Be("Acquisition channels");
        await Screenshots.SaveAsync(page, "csp-channels-en");

        var violations = await page.EvaluateAsync<string[]>("window.__cspViolations");
        violations.Should().BeEmpty();
        console.Should().NotContain(m => m.Contains("Content Security Policy", StringComparison.OrdinalIgnoreCase)
            || m.Contains("Refused to", StringComparison.OrdinalIgnoreCase));
        console.Should().NotContain(m => m.StartsWith("error", StringComparison.Ordinal), "the page logs no error: " + string.Join("\n", console));
        await page.Context.CloseAsync();
    }

    [Fact]
    public async Task The_sign_in_page_loads_without_a_violation_and_the_api_reference_works_under_its_own_policy()
    {
        var page = await app.NewPageAsync(locale: "en-US", signedIn: false);
        var console = new List<string>();
        page.Console += (_, message) => console.Add(message.Type + ": " + message.Text);
        await page.Context.AddInitScriptAsync(ViolationRecorder);

        await page.GotoAsync("account/signin");
        await page.Locator("[data-testid=signin-form]").WaitForAsync();
        (await page.EvaluateAsync<string[]>("window.__cspViolations")).Should().BeEmpty();

        // Scalar's reference page runs an inline start-up script and eval: it gets a policy of its own (no data there).
        var reference = await page.GotoAsync("api/docs", new() { WaitUntil = WaitUntilState.DOMContentLoaded });
        (await reference!.AllHeadersAsync())["content-security-policy"].Should().Contain("'unsafe-eval'").And.Contain("frame-ancestors 'none'");
        await Screenshots.SaveAsync(page, "csp-api-docs");
        await page.GetByText("Channel report: revenue, margin").First.WaitForAsync();
        (await page.EvaluateAsync<string[]>("window.__cspViolations")).Should().BeEmpty();
        console.Should().NotContain(m => m.Contains("Content Security Policy", StringComparison.OrdinalIgnoreCase));
        await page.Context.CloseAsync();
    }
}
