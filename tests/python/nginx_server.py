"""A real nginx serving a temporary folder on a free loopback port, for the remote-data tests and benchmarks."""

import os
import shutil
import socket
import subprocess
import tempfile
import time

BINARIES = ("/usr/sbin/nginx", "/usr/local/sbin/nginx")


def binary():
    """nginx's path, or None when it is not installed."""
    return next((p for p in BINARIES if os.path.exists(p)), None)


class Nginx:
    """Started on entry (its folder `root` served at `url`), killed and removed on exit; `requests()` reads its access
    log: (method, path, status, range header, bytes sent) per request."""

    def __init__(self):
        self.folder = tempfile.mkdtemp(prefix="iolink-nginx-")
        self.root = os.path.join(self.folder, "www")
        os.makedirs(self.root)
        os.makedirs(os.path.join(self.folder, "tmp"))
        with socket.socket() as s:
            s.bind(("127.0.0.1", 0))
            self.port = s.getsockname()[1]
        self.url = "http://127.0.0.1:%d/" % self.port
        self._process = None

    def __enter__(self):
        path = binary()
        if path is None:
            raise RuntimeError("nginx is not installed (Debian's nginx-light; ./build.sh packages lists it)")
        temps = " ".join("%s_temp_path %s/tmp/%s;" % (k, self.folder, k) for k in ("client_body", "proxy", "fastcgi", "uwsgi", "scgi"))
        with open(os.path.join(self.folder, "nginx.conf"), "w") as f:
            f.write("""daemon off; master_process off; worker_processes 1; pid %(d)s/nginx.pid; error_log %(d)s/error.log warn;
events { worker_connections 1024; }
http { log_format ranges '$request_method $uri $status "$http_range" $body_bytes_sent';
  access_log %(d)s/access.log ranges; default_type application/octet-stream; keepalive_requests 100000; %(t)s
  server { listen 127.0.0.1:%(p)d; root %(r)s; location / { } } }
""" % dict(d=self.folder, t=temps, p=self.port, r=self.root))
        self._process = subprocess.Popen([path, "-p", self.folder, "-c", os.path.join(self.folder, "nginx.conf"),
                                          "-e", os.path.join(self.folder, "error.log")],
                                         stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
        for _ in range(400):
            if self._process.poll() is not None:
                raise RuntimeError("nginx exited: %s" % self._process.stderr.read().decode())
            try:
                socket.create_connection(("127.0.0.1", self.port), timeout=0.1).close()
                return self
            except OSError:
                time.sleep(0.05)
        raise RuntimeError("nginx did not start listening within 20 s")

    def __exit__(self, *exc):
        if self._process is not None:
            self._process.kill()
            self._process.wait()
        shutil.rmtree(self.folder, ignore_errors=True)

    def clear_log(self):
        log = os.path.join(self.folder, "access.log")
        if os.path.exists(log):
            open(log, "w").close()

    def requests(self):
        log = os.path.join(self.folder, "access.log")
        if not os.path.exists(log):
            return []
        result = []
        with open(log) as f:
            for line in f:
                head, rng, sent = line[:line.index('"')].split(), line.split('"')[1], line.rsplit(" ", 1)[1]
                result.append((head[0], head[1], int(head[2]), rng, int(sent)))
        return result
