using System.Net;
using System.Text;

namespace SellerDesk.Integration.Tests.Hardening;

/// <summary>Under /api, a body that is not JSON, an unknown address and a wrong method answer problem details, not empty bodies.</summary>
public sealed class ApiProblemTests(HardeningHost host) : IClassFixture<HardeningHost>
{
    [Fact]
    public async Task Malformed_json_is_a_400_problem_in_both_languages()
    {
        using var body = new StringContent("{\"marketplace\": \"sandbox\", \"name\": ", Encoding.UTF8, "application/json");
        using var response = await host.Client.PostAsync(new Uri("/api/v1/connections", UriKind.Relative), body);

        response.StatusCode.Should().Be(HttpStatusCode.BadRequest);
        var problem = await Problems.ReadAsync(response);
        problem.GetProperty("status").GetInt32().Should().Be(400);
        var (en, ru) = Problems.Title(problem);
        en.Should().Contain("valid JSON");
        ru.Should().Contain("корректным JSON");
    }

    [Fact]
    public async Task An_unknown_api_address_is_a_404_problem_in_both_languages()
    {
        using var response = await host.Client.GetAsync(new Uri("/api/v1/no-such-thing", UriKind.Relative));

        response.StatusCode.Should().Be(HttpStatusCode.NotFound);
        var (en, ru) = Problems.Title(await Problems.ReadAsync(response));
        en.Should().Contain("no such API address");
        ru.Should().Contain("Такого адреса в API нет");
    }

    [Fact]
    public async Task A_wrong_method_is_a_405_problem_that_keeps_the_allow_header()
    {
        using var response = await host.Client.DeleteAsync(new Uri("/api/v1/reports/channels", UriKind.Relative));

        response.StatusCode.Should().Be(HttpStatusCode.MethodNotAllowed);
        response.Content.Headers.Allow.Should().Contain("GET");
        var (en, ru) = Problems.Title(await Problems.ReadAsync(response));
        en.Should().Contain("does not take this HTTP method");
        ru.Should().Contain("не принимает такой HTTP-метод");
    }

    [Fact]
    public async Task Answers_that_already_have_a_body_are_left_as_they_are()
    {
        using var response = await host.Client.PostAsync(new Uri("/api/v1/imports/no-such-kind", UriKind.Relative), new StringContent("x", Encoding.UTF8, "text/csv"));

        response.StatusCode.Should().Be(HttpStatusCode.NotFound);
        (await Problems.ReadAsync(response)).GetProperty("title").GetString().Should().Contain("is not a ledger file kind");
    }
}
