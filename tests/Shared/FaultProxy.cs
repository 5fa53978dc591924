using System.Net;
using System.Net.Sockets;
using System.Text;

namespace IOLink.Tests.Remote;

/// <summary>What the proxy does to a request.</summary>
internal enum Fault
{
    /// <summary>Passes it to nginx and the answer back.</summary>
    None,

    /// <summary>Answers 500 Internal Server Error itself.</summary>
    ServerError,

    /// <summary>Passes the answer's headers and half its body, then closes the connection.</summary>
    Truncate,

    /// <summary>Answers 200 with the whole file for a ranged request (a server that ignores Range).</summary>
    IgnoreRange,

    /// <summary>Holds the request without answering for <see cref="FaultProxy.Delay"/>.</summary>
    Stall,
}

/// <summary>
/// A loopback HTTP/1.1 proxy in front of a real nginx that injects faults by request number (a 500 on every third
/// request, a cut body, an answer that never comes): what a flaky network or server does, reproducibly.
/// </summary>
internal sealed class FaultProxy : IDisposable
{
    private readonly TcpListener _listener;
    private readonly int _target;
    private readonly CancellationTokenSource _stop = new();
    private int _count;

    public FaultProxy(int targetPort, Func<int, Fault> plan)
    {
        _target = targetPort;
        Plan = plan;
        _listener = new TcpListener(IPAddress.Loopback, 0);
        _listener.Start();
        Port = ((IPEndPoint)_listener.LocalEndpoint).Port;
        _ = Task.Run(AcceptAsync);
    }

    /// <summary>Which fault request number n (from 1) gets.</summary>
    public Func<int, Fault> Plan { get; set; }

    public TimeSpan Delay { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>Whether a path whose last request got a 500 passes the next time (so that retries, however they interleave, get through).</summary>
    public bool OncePerPath { get; set; }

    private readonly System.Collections.Concurrent.ConcurrentDictionary<string, bool> _failed = new();

    public int Port { get; }

    public int Count => Volatile.Read(ref _count);

    public string Url(string relative) => $"http://127.0.0.1:{Port}/{relative.TrimStart('/')}";

    public void Dispose()
    {
        _stop.Cancel();
        _listener.Stop();
    }

    private async Task AcceptAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            TcpClient client;
            try
            {
                client = await _listener.AcceptTcpClientAsync(_stop.Token);
            }
            catch (Exception ex) when (ex is OperationCanceledException or SocketException or ObjectDisposedException)
            {
                return;
            }

            _ = Task.Run(() => ServeAsync(client));
        }
    }

    private async Task ServeAsync(TcpClient client)
    {
        using (client)
        {
            try
            {
                var stream = client.GetStream();
                while (!_stop.IsCancellationRequested)
                {
                    var head = await ReadHeadAsync(stream);
                    if (head is null)
                    {
                        return;
                    }

                    var fault = Plan(Interlocked.Increment(ref _count));
                    var target = head.Split(' ', 3)[1];
                    if (fault == Fault.ServerError && OncePerPath)
                    {
                        // A request whose last attempt was failed here passes: each is failed at most once in a row.
                        fault = _failed.TryRemove(target, out _) ? Fault.None : Fault.ServerError;
                        if (fault == Fault.ServerError)
                        {
                            _failed[target] = true;
                        }
                    }

                    switch (fault)
                    {
                        case Fault.ServerError:
                            await stream.WriteAsync("HTTP/1.1 500 Internal Server Error\r\nContent-Length: 0\r\n\r\n"u8.ToArray());
                            continue;
                        case Fault.Stall:
                            await Task.Delay(Delay, _stop.Token);
                            return;
                    }

                    if (fault == Fault.IgnoreRange)
                    {
                        head = string.Join("\r\n", head.Split("\r\n").Where(l => !l.StartsWith("Range:", StringComparison.OrdinalIgnoreCase)));
                    }

                    if (!await ForwardAsync(head, stream, fault == Fault.Truncate))
                    {
                        return;
                    }
                }
            }
            catch (Exception ex) when (ex is IOException or SocketException or OperationCanceledException or ObjectDisposedException)
            {
            }
        }
    }

    /// <summary>Sends the request to nginx on a connection of its own and relays the answer; false when the connection is to be closed.</summary>
    private async Task<bool> ForwardAsync(string head, NetworkStream client, bool truncate)
    {
        using var upstream = new TcpClient();
        await upstream.ConnectAsync(IPAddress.Loopback, _target);
        var server = upstream.GetStream();
        await server.WriteAsync(Encoding.ASCII.GetBytes(head.TrimEnd() + "\r\nConnection: close\r\n\r\n"));
        var answer = await ReadHeadAsync(server) ?? throw new IOException("nginx closed the connection");
        var length = 0L;
        foreach (var line in answer.Split("\r\n"))
        {
            if (line.StartsWith("Content-Length:", StringComparison.OrdinalIgnoreCase))
            {
                length = long.Parse(line[15..].Trim(), System.Globalization.CultureInfo.InvariantCulture);
            }
        }

        var headers = string.Join("\r\n", answer.Split("\r\n").Where(l => !l.StartsWith("Connection:", StringComparison.OrdinalIgnoreCase)));
        await client.WriteAsync(Encoding.ASCII.GetBytes(headers.TrimEnd() + "\r\n\r\n"));
        var send = truncate ? length / 2 : length;
        var buffer = new byte[81920];
        while (send > 0)
        {
            var n = await server.ReadAsync(buffer.AsMemory(0, (int)Math.Min(buffer.Length, send)));
            if (n == 0)
            {
                break;
            }

            await client.WriteAsync(buffer.AsMemory(0, n));
            send -= n;
        }

        return !truncate;
    }

    /// <summary>Reads a request's or answer's head (to the empty line), byte by byte so nothing after it is consumed; null at the end of the stream.</summary>
    private static async Task<string?> ReadHeadAsync(NetworkStream stream)
    {
        var bytes = new List<byte>();
        var one = new byte[1];
        while (true)
        {
            var n = await stream.ReadAsync(one);
            if (n == 0)
            {
                return bytes.Count == 0 ? null : throw new IOException("the connection closed inside a head");
            }

            bytes.Add(one[0]);
            if (bytes.Count >= 4 && bytes[^1] == '\n' && bytes[^2] == '\r' && bytes[^3] == '\n' && bytes[^4] == '\r')
            {
                return Encoding.ASCII.GetString([.. bytes]);
            }
        }
    }
}
