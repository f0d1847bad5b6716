using System.Text;
using SellerDesk.Ingestion.Files;

namespace SellerDesk.Ingestion.Tests.Files;

public sealed class CsvRecordReaderTests
{
    private static async Task<List<(int Line, string[] Fields, string? Problem)>> ReadAllAsync(string text, bool byteOrderMark = false)
    {
        await using var stream = LedgerTestFiles.Utf8(text, byteOrderMark);
        using var reader = await CsvRecordReader.OpenAsync(stream);
        var records = new List<(int, string[], string?)>();
        while (await reader.ReadAsync())
        {
            var fields = new string[reader.FieldCount];
            for (var i = 0; i < fields.Length; i++)
            {
                fields[i] = reader.GetField(i).ToString();
            }

            records.Add((reader.LineNumber, fields, reader.RecordProblem));
        }

        return records;
    }

    [Fact]
    public async Task Reads_quoted_fields_with_delimiters_doubled_quotes_and_line_breaks()
    {
        var records = await ReadAllAsync("a,b,c\n\"x, y\",\"say \"\"hi\"\"\",\"two\nlines\"\nplain,\"\",last\n");

        records.Select(r => r.Fields).Should().BeEquivalentTo(
            new[]
            {
                new[] { "a", "b", "c" },
                new[] { "x, y", "say \"hi\"", "two\nlines" },
                new[] { "plain", "", "last" },
            },
            o => o.WithStrictOrdering());
        records.Should().OnlyContain(r => r.Problem == null);
    }

    [Fact]
    public async Task Numbers_records_by_the_physical_line_they_start_on()
    {
        var records = await ReadAllAsync("h1,h2\r\n\"multi\r\nline\",1\r\n\r\nnext,2\r\nlast,3");

        records.Select(r => r.Line).Should().Equal(1, 2, 5, 6);
        records[^1].Fields.Should().Equal("last", "3");
    }

    [Fact]
    public async Task Detects_the_semicolon_delimiter_from_the_header()
    {
        await using var stream = LedgerTestFiles.Utf8("sku;valid_from;unit_cost\nMUG-01;01.01.2025;200,50\n");
        using var reader = await CsvRecordReader.OpenAsync(stream);

        reader.Delimiter.Should().Be(';');
        (await reader.ReadAsync()).Should().BeTrue();
        (await reader.ReadAsync()).Should().BeTrue();
        reader.GetField(2).ToString().Should().Be("200,50");
    }

    [Fact]
    public async Task Skips_a_utf8_byte_order_mark()
    {
        var records = await ReadAllAsync("sku,unit_cost\nÄ-1,1\n", byteOrderMark: true);

        records[0].Fields[0].Should().Be("sku");
        records[1].Fields[0].Should().Be("Ä-1");
    }

    [Fact]
    public async Task Skips_lines_whose_fields_are_all_empty()
    {
        var records = await ReadAllAsync("a,b\n\n,\n1,2\n\n");

        records.Should().HaveCount(2);
        records[1].Line.Should().Be(4);
    }

    [Fact]
    public async Task Reports_an_unclosed_quote()
    {
        var records = await ReadAllAsync("a,b\n1,\"never closed\n2,3\n");

        records.Should().HaveCount(2);
        records[1].Problem.Should().Be("a quoted value is not closed");
        records[1].Line.Should().Be(2);
    }

    [Fact]
    public async Task Reports_text_after_a_closing_quote()
    {
        var records = await ReadAllAsync("a,b\n\"x\"y,2\n");

        records[1].Problem.Should().Be("unexpected text after a closing quote");
        records[1].Fields.Should().Equal("x", "2");
    }

    [Fact]
    public async Task Reads_records_across_many_read_windows_including_one_longer_than_a_window()
    {
        var text = new StringBuilder("id,text\n");
        for (var i = 0; i < 20_000; i++)
        {
            text.Append(i).Append(",\"row ").Append(i).Append(", with \"\"quotes\"\"\"\n");
        }

        var huge = new string('x', 200_000);
        text.Append("huge,\"").Append(huge).Append("\"\n");
        text.Append("end,\"a\r\nb\"");

        var records = await ReadAllAsync(text.ToString());

        records.Should().HaveCount(20_003);
        records[12_345].Fields.Should().Equal("12344", "row 12344, with \"quotes\"");
        records[12_345].Line.Should().Be(12_346);
        records[^2].Fields[1].Should().Be(huge);
        records[^1].Fields.Should().Equal("end", "a\r\nb");
        records[^1].Line.Should().Be(20_003);
    }
}
