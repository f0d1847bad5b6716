using System.Text.Json;

namespace SellerDesk.Ingestion.Connectors.Http;

/// <summary>Receives one element of a JSON array as UTF-8 bytes, valid only during the call.</summary>
public delegate void JsonElementHandler(ReadOnlySpan<byte> element);

/// <summary>
/// Streams the elements of a top-level JSON array (a 100 000-line report page) without building a DOM: each
/// <see cref="ReadAsync"/> reads one more chunk from the stream and hands every element completed by it to the
/// handler as raw UTF-8. A <c>null</c> body or an empty body is an empty array.
/// </summary>
public sealed class JsonArrayReader
{
    private readonly Stream _stream;
    private byte[] _buffer;
    private int _start;
    private int _end;
    private bool _endOfStream;
    private bool _started;
    private bool _done;
    private JsonReaderState _state;

    public JsonArrayReader(Stream stream, int bufferSize = 64 * 1024)
    {
        ArgumentNullException.ThrowIfNull(stream);
        ArgumentOutOfRangeException.ThrowIfLessThan(bufferSize, 16);
        _stream = stream;
        _buffer = new byte[bufferSize];
        _state = new JsonReaderState(new JsonReaderOptions { CommentHandling = JsonCommentHandling.Skip });
    }

    /// <summary>Elements handed over so far.</summary>
    public long Elements { get; private set; }

    /// <summary>
    /// Reads one more chunk and hands over the elements it completes. False once the array (or the body) has ended.
    /// Throws <see cref="JsonException"/> when the body is not a JSON array or stops in the middle of it, and the
    /// stream's own exceptions (<see cref="IOException"/>, <see cref="HttpRequestException"/>) when the connection drops.
    /// </summary>
    public async ValueTask<bool> ReadAsync(JsonElementHandler handler, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(handler);
        if (_done)
        {
            return false;
        }

        MakeRoom();
        var read = await _stream.ReadAsync(_buffer.AsMemory(_end), cancellationToken);
        if (read == 0)
        {
            _endOfStream = true;
        }

        _end += read;
        Drain(handler);
        if (_endOfStream && !_done)
        {
            if (_started)
            {
                throw new JsonException("the JSON array stops before its end");
            }

            _done = true;
        }

        return !_done;
    }

    private void MakeRoom()
    {
        if (_end < _buffer.Length)
        {
            return;
        }

        if (_start > 0)
        {
            Buffer.BlockCopy(_buffer, _start, _buffer, 0, _end - _start);
            _end -= _start;
            _start = 0;
            return;
        }

        Array.Resize(ref _buffer, _buffer.Length * 2);
    }

    private void Drain(JsonElementHandler handler)
    {
        var span = _buffer.AsSpan(_start, _end - _start);
        if (!_started && _endOfStream && span.Trim(" \t\r\n"u8).IsEmpty)
        {
            return;
        }

        var reader = new Utf8JsonReader(span, _endOfStream, _state);
        var consumed = 0L;
        var state = _state;
        while (!_done)
        {
            var markConsumed = reader.BytesConsumed;
            var markState = reader.CurrentState;
            if (!reader.Read())
            {
                break;
            }

            if (!_started)
            {
                if (reader.TokenType == JsonTokenType.Null)
                {
                    _done = true;
                }
                else if (reader.TokenType == JsonTokenType.StartArray)
                {
                    _started = true;
                }
                else
                {
                    throw new JsonException("the body is not a JSON array");
                }
            }
            else if (reader.TokenType == JsonTokenType.EndArray)
            {
                _done = true;
            }
            else
            {
                var elementStart = reader.TokenStartIndex;
                if (!reader.TrySkip())
                {
                    // The element is not all here yet: come back to its start when more has arrived.
                    consumed = markConsumed;
                    state = markState;
                    break;
                }

                handler(span[(int)elementStart..(int)reader.BytesConsumed]);
                Elements++;
            }

            consumed = reader.BytesConsumed;
            state = reader.CurrentState;
        }

        _start += (int)consumed;
        _state = state;
    }
}
