using System.Text;
using System.Text.Json;
using SellerDesk.Ingestion.Connectors.Http;

namespace SellerDesk.Ingestion.Tests.Connectors.Http;

public sealed class JsonArrayReaderTests
{
    [Fact]
    public async Task Elements_split_across_many_small_reads_arrive_whole_and_in_order()
    {
        var json = """[ {"a":1,"s":"Продажа, \"в кавычках\""}, {"b":[1,2,{"c":null}]}, 7, "x", {"d":{}} ]""";

        var elements = await ReadAllAsync(json, bufferSize: 16, chunk: 3);

        elements.Should().Equal(
            """{"a":1,"s":"Продажа, \"в кавычках\""}""", """{"b":[1,2,{"c":null}]}""", "7", "\"x\"", """{"d":{}}""");
    }

    [Theory]
    [InlineData("")]
    [InlineData("  \n")]
    [InlineData("null")]
    [InlineData("[]")]
    public async Task An_empty_or_null_body_is_an_empty_array(string json)
    {
        (await ReadAllAsync(json)).Should().BeEmpty();
    }

    [Theory]
    [InlineData("""{"data":[]}""")]
    [InlineData("""[{"a":1},{"b":""")]
    [InlineData("""[{"a":1}""")]
    public async Task A_body_that_is_not_a_whole_array_is_a_json_error(string json)
    {
        var read = () => ReadAllAsync(json);

        await read.Should().ThrowAsync<JsonException>();
    }

    private static async Task<List<string>> ReadAllAsync(string json, int bufferSize = 64, int chunk = int.MaxValue)
    {
        await using var stream = new TrickleStream(Encoding.UTF8.GetBytes(json), chunk);
        var reader = new JsonArrayReader(stream, bufferSize);
        var elements = new List<string>();
        while (await reader.ReadAsync(e => elements.Add(Encoding.UTF8.GetString(e)), CancellationToken.None))
        {
        }

        reader.Elements.Should().Be(elements.Count);
        return elements;
    }

    /// <summary>Hands out at most <c>chunk</c> bytes per read, like a slow network.</summary>
    private sealed class TrickleStream(byte[] bytes, int chunk) : MemoryStream(bytes)
    {
        public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default) =>
            base.ReadAsync(buffer[..Math.Min(buffer.Length, chunk)], cancellationToken);
    }
}
