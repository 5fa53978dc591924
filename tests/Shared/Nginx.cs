using System.Diagnostics;
using System.Net;
using System.Net.Sockets;

namespace IOLink.Tests.Remote;

/// <summary>
/// A real nginx (Debian's nginx-light) serving a temporary folder on a loopback port, with a config of the test's
/// own and an access log of each request's method, path, status, Range header and bytes sent, so a test can prove
/// which bytes a read fetched. Stopped, and its folder removed, on dispose.
/// </summary>
internal sealed class Nginx : IDisposable
{
    private static readonly string[] Binaries = ["/usr/sbin/nginx", "/usr/local/sbin/nginx"];
    private Process? _process;

    public Nginx(string? extraLocations = null)
    {
        var binary = Binaries.FirstOrDefault(File.Exists)
            ?? throw new InvalidOperationException("nginx is not installed; install Debian's nginx-light (./build.sh packages lists it), which the remote-data tests serve files with.");
        Folder = Directory.CreateTempSubdirectory("iolink-nginx-").FullName;
        Root = Path.Combine(Folder, "www");
        Directory.CreateDirectory(Root);
        Directory.CreateDirectory(Path.Combine(Folder, "tmp"));
        Port = FreePort();
        File.WriteAllText(Path.Combine(Folder, "nginx.conf"), $$"""
            daemon off;
            master_process off;
            worker_processes 1;
            pid {{Folder}}/nginx.pid;
            error_log {{Folder}}/error.log warn;
            events { worker_connections 512; }
            http {
                log_format ranges '$request_method $uri $status "$http_range" $body_bytes_sent';
                access_log {{Folder}}/access.log ranges;
                client_body_temp_path {{Folder}}/tmp/body;
                proxy_temp_path {{Folder}}/tmp/proxy;
                fastcgi_temp_path {{Folder}}/tmp/fastcgi;
                uwsgi_temp_path {{Folder}}/tmp/uwsgi;
                scgi_temp_path {{Folder}}/tmp/scgi;
                default_type application/octet-stream;
                keepalive_requests 100000;
                server {
                    listen 127.0.0.1:{{Port}};
                    root {{Root}};
                    location / { }
                    {{extraLocations ?? ""}}
                }
            }
            """);
        Start(binary);
    }

    /// <summary>The temporary folder holding the config, logs and served files.</summary>
    public string Folder { get; }

    /// <summary>The folder served at the root address.</summary>
    public string Root { get; }

    public int Port { get; }

    /// <summary>The root address, ending with '/'.</summary>
    public string Address => $"http://127.0.0.1:{Port}/";

    /// <summary>The address of <paramref name="relative"/> below the served folder.</summary>
    public string Url(string relative) => Address + relative.TrimStart('/');

    /// <summary>The requests logged so far: method, path, status, Range header ("-" for none) and body bytes sent.</summary>
    public IReadOnlyList<LoggedRequest> Requests()
    {
        var log = Path.Combine(Folder, "access.log");
        if (!File.Exists(log))
        {
            return [];
        }

        using var stream = new FileStream(log, FileMode.Open, FileAccess.Read, FileShare.ReadWrite);
        using var reader = new StreamReader(stream);
        var requests = new List<LoggedRequest>();
        while (reader.ReadLine() is { } line)
        {
            var quote = line.IndexOf('"');
            var head = line[..quote].Split(' ', StringSplitOptions.RemoveEmptyEntries);
            var close = line.IndexOf('"', quote + 1);
            var range = line[(quote + 1)..close];
            var sent = long.Parse(line[(close + 1)..].Trim(), System.Globalization.CultureInfo.InvariantCulture);
            requests.Add(new LoggedRequest(head[0], head[1], int.Parse(head[2], System.Globalization.CultureInfo.InvariantCulture), range, sent));
        }

        return requests;
    }

    /// <summary>Empties the access log, so that the next requests are counted alone.</summary>
    public void ClearLog()
    {
        var log = Path.Combine(Folder, "access.log");
        if (File.Exists(log))
        {
            using var stream = new FileStream(log, FileMode.Open, FileAccess.Write, FileShare.ReadWrite);
            stream.SetLength(0);
        }
    }

    /// <summary>Stops the server (the test of a server gone mid-read).</summary>
    public void Stop()
    {
        if (_process is { HasExited: false } p)
        {
            p.Kill(entireProcessTree: true);
            p.WaitForExit();
        }
    }

    public void Dispose()
    {
        Stop();
        _process?.Dispose();
        try
        {
            Directory.Delete(Folder, recursive: true);
        }
        catch (IOException)
        {
        }
    }

    private void Start(string binary)
    {
        var start = new ProcessStartInfo(binary) { RedirectStandardError = true, RedirectStandardOutput = true };
        foreach (var argument in new[] { "-p", Folder, "-c", Path.Combine(Folder, "nginx.conf"), "-e", Path.Combine(Folder, "error.log") })
        {
            start.ArgumentList.Add(argument);
        }

        _process = Process.Start(start)!;
        var deadline = Stopwatch.StartNew();
        while (deadline.Elapsed < TimeSpan.FromSeconds(20))
        {
            if (_process.HasExited)
            {
                var log = Path.Combine(Folder, "error.log");
                throw new InvalidOperationException($"nginx exited at start ({_process.ExitCode}): {_process.StandardError.ReadToEnd()} {(File.Exists(log) ? File.ReadAllText(log) : "")}");
            }

            try
            {
                using var probe = new TcpClient();
                probe.Connect(IPAddress.Loopback, Port);
                return;
            }
            catch (SocketException)
            {
                Thread.Sleep(50);
            }
        }

        throw new TimeoutException("nginx did not start listening within 20 s.");
    }

    internal static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}

/// <summary>One request as nginx logged it.</summary>
internal readonly record struct LoggedRequest(string Method, string Path, int Status, string Range, long BytesSent)
{
    /// <summary>The first and last byte asked for (null without a "bytes=a-b" Range).</summary>
    public (long First, long Last)? Bytes
    {
        get
        {
            if (!Range.StartsWith("bytes=", StringComparison.Ordinal) || Range.Contains(','))
            {
                return null;
            }

            var parts = Range[6..].Split('-');
            return parts[0].Length == 0 || parts[1].Length == 0
                ? null
                : (long.Parse(parts[0], System.Globalization.CultureInfo.InvariantCulture), long.Parse(parts[1], System.Globalization.CultureInfo.InvariantCulture));
        }
    }
}
