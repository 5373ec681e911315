"""A small HTTP test server on 127.0.0.1 for the transfer layer's HTTP client.

Routes: /echo (method, headers, body back as JSON), /busy/N (429 with Retry-After: 1 for
the first N requests, then 200), /down (500 every time, counting), /count (how many
requests /down and /busy saw), /slow (sleeps 5 s). Prints "port N" once listening.
"""
import json
import sys
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

hits = {}


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def log_message(self, *args):
        pass

    def reply(self, status, body, headers=()):
        data = body if isinstance(body, bytes) else json.dumps(body).encode()
        self.send_response(status)
        for name, value in headers:
            self.send_header(name, value)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def handle_any(self):
        length = int(self.headers.get("Content-Length") or 0)
        body = self.rfile.read(length) if length else b""
        path = self.path.split("?")[0]
        if path == "/echo":
            self.reply(200, {"method": self.command, "path": self.path,
                             "headers": {k.lower(): v for k, v in self.headers.items()},
                             "body": body.decode("utf-8", "replace")})
        elif path.startswith("/busy/"):
            hits["busy"] = hits.get("busy", 0) + 1
            if hits["busy"] <= int(path.rsplit("/", 1)[1]):
                self.reply(429, {"message": "Too many requests"}, [("Retry-After", "1")])
            else:
                self.reply(200, {"ok": True, "attempts": hits["busy"]})
        elif path == "/down":
            hits["down"] = hits.get("down", 0) + 1
            self.reply(500, {"message": "boom"})
        elif path == "/count":
            self.reply(200, hits)
        elif path == "/slow":
            time.sleep(5)
            self.reply(200, {"ok": True})
        else:
            self.reply(404, {"message": "not found"})

    do_GET = do_POST = do_PUT = do_PATCH = do_DELETE = handle_any


server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
print("port %d" % server.server_address[1], flush=True)
server.serve_forever()
