using System.Globalization;
using System.Net;

namespace SellerDesk.Integration.Tests.Hardening;

/// <summary>
/// Reports and exports take as_of no later than today (the workspace's) and periods of at most ten years
/// (import-and-api.md): as_of=9999-12-31 on the cohort export once built ~96,000 columns and took 4 GB.
/// </summary>
public sealed class ReportBoundsTests(HardeningHost host) : IClassFixture<HardeningHost>
{
    private static readonly string Tomorrow = DateTime.UtcNow.AddDays(2).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

    [Theory]
    [InlineData("/api/v1/reports/channels")]
    [InlineData("/api/v1/reports/marketplaces")]
    [InlineData("/api/v1/reports/cohorts")]
    public async Task A_report_as_of_a_day_after_today_is_a_400_that_says_so_in_both_languages(string report)
    {
        using var response = await host.Client.GetAsync(new Uri($"{report}?from=2026-01-01&to=2026-03-31&as_of={Tomorrow}", UriKind.Relative));

        response.StatusCode.Should().Be(HttpStatusCode.BadRequest);
        var problem = await Problems.ReadAsync(response);
        var (en, ru) = Problems.Error(problem, "as_of");
        en.Should().Contain("after today").And.Contain(Tomorrow);
        ru.Should().Contain("позже сегодняшнего дня");
        Problems.Title(problem).Ru.Should().NotBeNullOrWhiteSpace();
        problem.GetProperty("errors").GetProperty("as_of")[0].GetString().Should().Be(en);
    }

    [Fact]
    public async Task The_cohort_export_as_of_year_9999_is_refused_at_once()
    {
        var clock = System.Diagnostics.Stopwatch.StartNew();
        using var response = await host.Client.GetAsync(new Uri("/api/v1/reports/cohorts?from=2020-01-01&to=2026-03-31&as_of=9999-12-31&format=csv", UriKind.Relative));

        response.StatusCode.Should().Be(HttpStatusCode.BadRequest);
        Problems.Error(await Problems.ReadAsync(response), "as_of").En.Should().Contain("9999-12-31");
        clock.Elapsed.Should().BeLessThan(TimeSpan.FromSeconds(5));
    }

    [Fact]
    public async Task A_period_longer_than_ten_years_is_refused_and_exactly_ten_years_is_computed()
    {
        using (var tooLong = await host.Client.GetAsync(new Uri("/api/v1/reports/channels?from=2000-01-01&to=2010-01-01&as_of=2020-01-01", UriKind.Relative)))
        {
            tooLong.StatusCode.Should().Be(HttpStatusCode.BadRequest);
            var (en, ru) = Problems.Error(await Problems.ReadAsync(tooLong), "to");
            en.Should().Contain("longer than 10 years");
            ru.Should().Contain("длиннее 10 лет");
        }

        using var tenYears = await host.Client.GetAsync(new Uri("/api/v1/reports/channels?from=2000-01-01&to=2009-12-31&as_of=2020-01-01", UriKind.Relative));
        tenYears.StatusCode.Should().Be(HttpStatusCode.OK, await tenYears.Content.ReadAsStringAsync());

        using var farFuture = await host.Client.GetAsync(new Uri("/api/v1/reports/channels?from=9995-01-01&to=9999-12-31", UriKind.Relative));
        farFuture.StatusCode.Should().Be(HttpStatusCode.OK, "a period near the calendar's end is no crash: " + await farFuture.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task The_browser_export_of_cohorts_keeps_the_same_bounds()
    {
        using var client = host.CreateOwnerClient();

        using var future = await client.GetAsync(new Uri($"/export/cohorts?from=2026-01-01&to=2026-03-31&as_of={Tomorrow}&format=xlsx", UriKind.Relative));
        future.StatusCode.Should().Be(HttpStatusCode.BadRequest);
        Problems.Error(await Problems.ReadAsync(future), "as_of").Ru.Should().Contain("позже сегодняшнего дня");

        using var tooLong = await client.GetAsync(new Uri("/export/cohorts?from=1990-01-01&to=2026-03-31&as_of=2026-04-01", UriKind.Relative));
        tooLong.StatusCode.Should().Be(HttpStatusCode.BadRequest);
        Problems.Error(await Problems.ReadAsync(tooLong), "to").En.Should().Contain("longer than 10 years");
    }
}
