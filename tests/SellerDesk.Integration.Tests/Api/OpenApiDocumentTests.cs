using System.Net;
using System.Text.Json;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;

namespace SellerDesk.Integration.Tests.Api;

/// <summary>The API's description (issue 9, point 5): /openapi/v1.json and the reference page at /api/docs.</summary>
public sealed partial class OpenApiDocumentTests(ApiHost host) : IClassFixture<ApiHost>
{
    [Fact]
    public async Task Every_mapped_api_route_is_in_the_document_with_its_parameters_body_answers_and_problem_details()
    {
        var paths = (await DocumentAsync()).GetProperty("paths");
        var routes = ApiRoutes();
        var problems = new List<string>();

        foreach (var (method, pattern) in routes)
        {
            var path = Constraint().Replace(pattern, "{$1}");
            if (!paths.TryGetProperty(path, out var item) || !item.TryGetProperty(method.ToLowerInvariant(), out var operation))
            {
                problems.Add($"{method} {pattern}: not in the document");
                continue;
            }

            var where = $"{method} {path}";
            if (Text(operation, "operationId") is null)
            {
                problems.Add($"{where}: no operationId");
            }

            if (Text(operation, "summary") is null)
            {
                problems.Add($"{where}: no summary");
            }

            foreach (var name in Constraint().Matches(pattern).Select(m => m.Groups[1].Value))
            {
                var declared = operation.TryGetProperty("parameters", out var parameters)
                    && parameters.EnumerateArray().Any(p => Text(p, "name") == name && Text(p, "in") == "path" && p.GetProperty("required").GetBoolean());
                if (!declared)
                {
                    problems.Add($"{where}: path parameter '{name}' not described");
                }
            }

            if (method is "POST" or "PUT" && !(operation.TryGetProperty("requestBody", out var body) && body.GetProperty("content").EnumerateObject().Any()))
            {
                problems.Add($"{where}: no request body");
            }

            var responses = operation.GetProperty("responses").EnumerateObject().ToDictionary(r => r.Name, r => r.Value);
            if (!responses.Keys.Any(code => code.StartsWith('2')))
            {
                problems.Add($"{where}: no success answer");
            }

            foreach (var code in new[] { "401", "503" }.Where(c => !responses.ContainsKey(c)))
            {
                problems.Add($"{where}: answer {code} not described");
            }

            foreach (var (code, response) in responses.Where(r => r.Key[0] is '4' or '5'))
            {
                if (!(response.TryGetProperty("content", out var content) && content.TryGetProperty("application/problem+json", out _)))
                {
                    problems.Add($"{where}: answer {code} is not described as problem details");
                }
            }
        }

        routes.Should().HaveCountGreaterThanOrEqualTo(13, "reports, imports, connections and pulls are mapped");
        problems.Should().BeEmpty();
    }

    [Fact]
    public async Task Parameters_the_handlers_read_themselves_are_described_too()
    {
        var paths = (await DocumentAsync()).GetProperty("paths");

        var channels = paths.GetProperty("/api/v1/reports/channels").GetProperty("get");
        var from = Parameter(channels, "from");
        from.GetProperty("required").GetBoolean().Should().BeTrue();
        from.GetProperty("schema").GetProperty("format").GetString().Should().Be("date");
        (Parameter(channels, "as_of").TryGetProperty("required", out var asOfRequired) && asOfRequired.GetBoolean()).Should().BeFalse("as_of may be left out");

        var cohorts = paths.GetProperty("/api/v1/reports/cohorts").GetProperty("get");
        Values(Parameter(cohorts, "format")).Should().Equal("json", "csv", "xlsx");
        cohorts.GetProperty("responses").GetProperty("200").GetProperty("content").EnumerateObject().Select(c => c.Name)
            .Should().Contain(["application/json", "text/csv", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"]);

        var pnl = paths.GetProperty("/api/v1/reports/pnl").GetProperty("get");
        Values(Parameter(pnl, "format")).Should().Equal("json", "csv", "xlsx");
        Values(Parameter(pnl, "dialect")).Should().Equal("comma", "semicolon");
        Values(Parameter(cohorts, "lang")).Should().Equal("en", "ru");
        Parameter(pnl, "marketplace").GetProperty("in").GetString().Should().Be("query");
        pnl.GetProperty("responses").GetProperty("200").GetProperty("content").EnumerateObject().Select(c => c.Name)
            .Should().Contain(["application/json", "text/csv", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"]);

        var import = paths.GetProperty("/api/v1/imports/{kind}").GetProperty("post");
        Values(Parameter(import, "kind")).Should().Equal("sales", "returns", "ad_spend", "fees", "costs", "attribution");
        import.GetProperty("requestBody").GetProperty("content").EnumerateObject().Select(c => c.Name).Should().BeEquivalentTo("text/csv", "multipart/form-data");
        import.GetProperty("responses").GetProperty("422").GetProperty("content").GetProperty("application/problem+json").GetRawText()
            .Should().Contain("ImportRejection", "a rejected file lists its problems by line");

        var schedule = paths.GetProperty("/api/v1/connections/{id}/schedule").GetProperty("put");
        schedule.GetProperty("responses").GetProperty("400").GetProperty("content").GetProperty("application/problem+json").GetRawText()
            .Should().Contain("HttpValidationProblemDetails");
    }

    [Fact]
    public async Task The_document_and_the_reference_page_are_public_and_say_every_operation_needs_a_bearer_token()
    {
        using var anonymous = host.CreateClient(token: null);
        var document = await DocumentAsync();
        document.GetProperty("info").GetProperty("title").GetString().Should().Be("SellerDesk API");
        document.GetProperty("components").GetProperty("securitySchemes").GetProperty("Bearer").GetProperty("scheme").GetString().Should().Be("bearer");
        document.GetProperty("security").EnumerateArray().Single().TryGetProperty("Bearer", out _).Should().BeTrue();

        using var page = await anonymous.GetAsync(new Uri("/api/docs", UriKind.Relative));
        var html = await page.Content.ReadAsStringAsync();
        page.StatusCode.Should().Be(HttpStatusCode.OK, html);
        page.Content.Headers.ContentType!.MediaType.Should().Be("text/html");
        html.Should().Contain("openapi/v1.json").And.Contain("SellerDesk API");

        // Its script comes from the app itself, not from a CDN the machine may not reach.
        var scripts = ScriptSource().Matches(html).Select(m => m.Groups[1].Value).ToList();
        scripts.Should().NotBeEmpty();
        foreach (var script in scripts)
        {
            script.Should().NotStartWith("http", "the reference page loads nothing from elsewhere");
            var url = new Uri(new Uri(anonymous.BaseAddress!, "/api/docs/"), script);
            using var asset = await anonymous.GetAsync(url);
            asset.StatusCode.Should().Be(HttpStatusCode.OK, url.ToString());
        }

        using var api = await anonymous.GetAsync(new Uri("/api/v1/connections", UriKind.Relative));
        api.StatusCode.Should().Be(HttpStatusCode.Unauthorized, "the API itself still needs a token");
    }

    private async Task<JsonElement> DocumentAsync()
    {
        using var anonymous = host.CreateClient(token: null);
        using var response = await anonymous.GetAsync(new Uri("/openapi/v1.json", UriKind.Relative));
        var raw = await response.Content.ReadAsStringAsync();
        response.StatusCode.Should().Be(HttpStatusCode.OK, raw);
        return JsonDocument.Parse(raw).RootElement.Clone();
    }

    /// <summary>Every (method, route) the app maps under /api, from its endpoint data source; the reference page aside.</summary>
    private List<(string Method, string Pattern)> ApiRoutes() =>
    [
        .. host.Services.GetRequiredService<EndpointDataSource>().Endpoints
            .OfType<RouteEndpoint>()
            .Where(e => e.RoutePattern.RawText is { } raw
                && raw.StartsWith("/api/", StringComparison.OrdinalIgnoreCase)
                && !raw.StartsWith("/api/docs", StringComparison.OrdinalIgnoreCase))
            .SelectMany(e => (e.Metadata.GetMetadata<IHttpMethodMetadata>()?.HttpMethods ?? ["(any method)"]).Select(m => (m, e.RoutePattern.RawText!)))
            .Distinct(),
    ];

    private static JsonElement Parameter(JsonElement operation, string name) =>
        operation.GetProperty("parameters").EnumerateArray().Single(p => Text(p, "name") == name);

    private static List<string?> Values(JsonElement parameter) =>
        [.. parameter.GetProperty("schema").GetProperty("enum").EnumerateArray().Select(v => v.GetString())];

    private static string? Text(JsonElement element, string property) =>
        element.TryGetProperty(property, out var value) && value.ValueKind == JsonValueKind.String && value.GetString() is { Length: > 0 } text ? text : null;

    [GeneratedRegex(@"\{([A-Za-z_]+)(?::[^}]*)?\}")]
    private static partial Regex Constraint();

    [GeneratedRegex("<script[^>]*\\ssrc=\"([^\"]+)\"")]
    private static partial Regex ScriptSource();
}
