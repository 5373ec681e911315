"""Plumbing shared by the HTTP simulators of this folder (akeneo_sim.py, mirakl_sim.py).

A simulator is a `SimHandler` subclass with a `route` method for the vendor's API and a
state object (a `SimState` subclass) attached to the server. This module gives them:

- the start contract of the test harness (`LocalServer.swift`): bind 127.0.0.1, port 0 by
  default, print `port N` on stdout (flushed) once listening — before loading data, so
  that a large catalog does not delay start-up; requests wait until the data is loaded;
- request bodies read from `Content-Length` or `Transfer-Encoding: chunked`;
- JSON, bytes and empty (204) replies on keep-alive HTTP/1.1 connections;
- a log of every API request (`GET /_sim/requests`), without the `Authorization` header;
- injected faults, matched by path prefix, applied before authentication and routing:
  `POST /_sim/fail` {"path_prefix", "status", "count", "retry_after", "query_contains"?}
  fails the next `count` matching requests with `status` (a 429 or 503 carries
  `Retry-After` unless the simulator's vendor does not send one); with `query_contains`,
  only requests whose query string contains that text match;
  `POST /_sim/die-after` {"path_prefix", "count"} closes the connection without any
  response (TCP reset) on the `count`-th matching request, once;
  `POST /_sim/hang` {"path_prefix", "seconds", "count"?} delays matching requests by
  `seconds` before answering them (every one until reset, or the next `count`);
  `POST /_sim/reset` clears faults and the request log (and whatever the simulator adds).

Control routes live under `/_sim/`, need no authentication and are not logged.
"""
import argparse
import json
import socket
import struct
import sys
import threading
import time
import traceback
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlsplit

CONTROL_PREFIX = "/_sim/"


class ControlError(Exception):
    """A bad control request: answered 400 with the message."""


class SimState:
    """What every simulator keeps: the request log and the injected faults (thread-safe)."""

    def __init__(self):
        self.lock = threading.RLock()
        self.requests = []
        self.fail_rules = []
        self.die_rules = []
        self.hang_rules = []

    # MARK: - Faults

    def add_fail(self, body):
        prefix = _prefix(body)
        status = _int(body, "status", None)
        if status is None or not 400 <= status <= 599:
            raise ControlError("status must be an HTTP error status (400-599)")
        count = _int(body, "count", 1)
        retry_after = _int(body, "retry_after", 1)
        query = body.get("query_contains")
        if query is not None and not isinstance(query, str):
            raise ControlError("query_contains must be a string")
        with self.lock:
            self.fail_rules.append({"prefix": prefix, "status": status, "remaining": count,
                                    "retry_after": retry_after, "query": query})

    def add_die(self, body):
        prefix = _prefix(body)
        count = _int(body, "count", 1)
        if count < 1:
            raise ControlError("count must be at least 1")
        with self.lock:
            self.die_rules.append({"prefix": prefix, "countdown": count})

    def add_hang(self, body):
        prefix = _prefix(body)
        seconds = body.get("seconds")
        if not isinstance(seconds, (int, float)) or isinstance(seconds, bool) or seconds < 0:
            raise ControlError("seconds must be a number >= 0")
        count = _int(body, "count", None)
        with self.lock:
            self.hang_rules.append({"prefix": prefix, "seconds": float(seconds), "remaining": count})

    def faults_for(self, path, query=""):
        """Consumes the faults that apply to one request to `path`.

        Returns (hang seconds, die now, (status, retry_after) or None).
        """
        hang = 0.0
        die = False
        fail = None
        with self.lock:
            for rule in self.hang_rules:
                if path.startswith(rule["prefix"]) and rule["remaining"] != 0:
                    hang = max(hang, rule["seconds"])
                    if rule["remaining"] is not None:
                        rule["remaining"] -= 1
            for rule in self.die_rules:
                if path.startswith(rule["prefix"]) and rule["countdown"] > 0:
                    rule["countdown"] -= 1
                    if rule["countdown"] == 0:
                        die = True
            if not die:
                for rule in self.fail_rules:
                    if (path.startswith(rule["prefix"]) and rule["remaining"] > 0
                            and (rule.get("query") is None or rule["query"] in query)):
                        rule["remaining"] -= 1
                        fail = (rule["status"], rule["retry_after"])
                        break
        return hang, die, fail

    # MARK: - Log and reset

    def log_request(self, entry):
        with self.lock:
            self.requests.append(entry)

    def request_log(self):
        with self.lock:
            return [dict(entry) for entry in self.requests]

    def reset(self):
        """Clears faults and the request log; simulators extend it to reset their data."""
        with self.lock:
            self.requests.clear()
            self.fail_rules.clear()
            self.die_rules.clear()
            self.hang_rules.clear()


def _prefix(body):
    prefix = body.get("path_prefix", "/")
    if not isinstance(prefix, str) or not prefix.startswith("/"):
        raise ControlError("path_prefix must be a path starting with /")
    return prefix


def _int(body, key, default):
    value = body.get(key, default)
    if value is None:
        return None
    if not isinstance(value, int) or isinstance(value, bool) or value < 0:
        raise ControlError("%s must be an integer >= 0" % key)
    return value


class SimHandler(BaseHTTPRequestHandler):
    """Base request handler: body reading, replies, the request log, faults, `/_sim/` routes.

    Subclasses implement `route(method, path, params, body)` for the API and may extend
    `control(method, name, body)` for their own control routes (calling super last) and
    `admit()` / `release()` to limit requests (an admitted request holds its place through
    injected hangs and failures). `self.state` is the server's `SimState`.
    """

    protocol_version = "HTTP/1.1"
    server_version = "syndic-sim"
    sys_version = ""

    def setup(self):
        super().setup()
        # Headers and body go out in two writes: without TCP_NODELAY, Nagle's algorithm
        # holds the body back until the client's delayed ACK (about 40 ms per reply).
        self.connection.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)

    def log_message(self, *args):
        pass

    @property
    def state(self):
        return self.server.state

    # MARK: - Reading

    def read_body(self):
        """The request body, from Content-Length or chunked transfer coding."""
        if "chunked" in (self.headers.get("Transfer-Encoding") or "").lower():
            chunks = []
            while True:
                size_line = self.rfile.readline(65537)
                size = int(size_line.split(b";", 1)[0].strip() or b"0", 16)
                if size == 0:
                    while self.rfile.readline(65537) not in (b"\r\n", b"\n", b""):
                        pass
                    break
                chunks.append(self.rfile.read(size))
                self.rfile.readline(65537)
            return b"".join(chunks)
        length = int(self.headers.get("Content-Length") or 0)
        return self.rfile.read(length) if length else b""

    def base_url(self):
        """`http://host:port` as the client addressed this server (for absolute links)."""
        host = self.headers.get("Host") or "127.0.0.1:%d" % self.server.server_address[1]
        return "http://" + host

    # MARK: - Replies

    def send_bytes(self, status, data, content_type="application/json", headers=()):
        # The status is logged before the reply leaves: a client that reads the request log as
        # soon as it has the answer sees it.
        self._log_status(status)
        self.send_response(status)
        for name, value in headers:
            self.send_header(name, value)
        if status not in (204, 304):
            self.send_header("Content-Type", content_type)
            self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        if status not in (204, 304) and self.command != "HEAD":
            self.wfile.write(data)

    def send_json(self, status, body, headers=(), content_type="application/json"):
        data = json.dumps(body, ensure_ascii=False, separators=(",", ":")).encode("utf-8")
        self.send_bytes(status, data, content_type, headers)

    def send_empty(self, status=204, headers=()):
        self.send_bytes(status, b"", headers=headers)

    def abort_connection(self):
        """Closes the connection at once, with a TCP reset and no response."""
        self.close_connection = True
        try:
            self.wfile.flush()
            self.connection.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
            self.connection.close()
        except OSError:
            pass
        self._log_status(None)

    def _log_status(self, status):
        entry = getattr(self, "_log_entry", None)
        if entry is not None:
            entry["status"] = status

    # MARK: - Errors a simulator answers in its vendor's format

    def fault_reply(self, status, retry_after):
        """The reply of an injected failure; simulators override it for their error format."""
        headers = [("Retry-After", str(retry_after))] if status in (429, 503) else []
        self.send_json(status, {"code": status, "message": self.responses.get(status, ("Error",))[0]}, headers)

    def internal_error(self, error):
        traceback.print_exc(file=sys.stderr)
        self.send_json(500, {"code": 500, "message": "simulator error: %s" % error})

    # MARK: - Dispatch

    def handle_any(self):
        url = urlsplit(self.path)
        path = url.path
        params = parse_qs(url.query, keep_blank_values=True)
        self._log_entry = None
        try:
            body = self.read_body()
        except ValueError:
            self.close_connection = True
            self.send_json(400, {"code": 400, "message": "malformed request body"})
            return
        try:
            if path.startswith(CONTROL_PREFIX):
                self.handle_control(path[len(CONTROL_PREFIX):], body)
                return
            self._log_entry = {
                "method": self.command, "path": path, "query": url.query,
                "params": {key: values[-1] for key, values in params.items()},
                "headers": {key.lower(): value for key, value in self.headers.items()
                            if key.lower() != "authorization"},
                "body_size": len(body), "status": None, "time": time.time(),
            }
            self.state.log_request(self._log_entry)
            if not self.admit():
                return
            try:
                hang, die, fail = self.state.faults_for(path, url.query)
                if hang:
                    time.sleep(hang)
                if die:
                    self.abort_connection()
                elif fail:
                    self.fault_reply(*fail)
                else:
                    self.route(self.command, path, params, body)
            finally:
                self.release()
        except (BrokenPipeError, ConnectionResetError):
            self.close_connection = True
        except Exception as error:  # the simulator's own bug: say so rather than hang up
            self.internal_error(error)

    def handle_control(self, name, raw):
        try:
            body = json.loads(raw) if raw.strip() else {}
        except ValueError:
            self.send_json(400, {"error": "the control body must be JSON"})
            return
        try:
            if not self.control(self.command, name, body):
                self.send_json(404, {"error": "unknown control route /_sim/%s" % name})
        except ControlError as error:
            self.send_json(400, {"error": str(error)})

    def control(self, method, name, body):
        """Answers a common control route; returns False when `name` is not one."""
        if method == "POST" and name in ("fail", "die-after", "hang"):
            if not isinstance(body, dict):
                raise ControlError("the body must be a JSON object")
            {"fail": self.state.add_fail, "die-after": self.state.add_die, "hang": self.state.add_hang}[name](body)
            self.send_json(200, {"ok": True})
        elif method == "GET" and name == "requests":
            self.send_json(200, self.state.request_log())
        elif method == "POST" and name == "reset":
            self.state.reset()
            self.send_json(200, {"ok": True})
        else:
            return False
        return True

    def admit(self):
        """Whether to serve an API request (a simulator's rate limits answer it otherwise)."""
        return True

    def release(self):
        """Called once an admitted request is answered."""

    def route(self, method, path, params, body):
        raise NotImplementedError

    do_GET = do_POST = do_PUT = do_PATCH = do_DELETE = do_HEAD = handle_any


class SimServer(ThreadingHTTPServer):
    """A threading HTTP server that keeps the simulator's state and stays quiet on errors."""

    daemon_threads = True
    allow_reuse_address = True
    request_queue_size = 128

    def __init__(self, port, handler, state):
        super().__init__(("127.0.0.1", port), handler)
        self.state = state

    def handle_error(self, request, client_address):
        pass


def argument_parser(description):
    """An argument parser with the common `--port` option."""
    parser = argparse.ArgumentParser(description=description)
    parser.add_argument("--port", type=int, default=0, help="port to bind on 127.0.0.1 (default: any free port)")
    return parser


def serve(handler, make_state, port=0):
    """Binds, prints `port N` once listening, builds the state and serves until killed.

    The port is printed before `make_state()` runs (a large catalog takes seconds to load):
    connections made meanwhile wait in the listen backlog and are served once it is built.
    """
    server = SimServer(port, handler, None)
    print("port %d" % server.server_address[1], flush=True)
    server.state = make_state()
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass
