"""An HTTP webhook receiver on 127.0.0.1 that records every POST it accepts.

    python3 webhook_sink.py [--port N]

Binds port 0 unless told otherwise and prints `port N` once listening. `POST` on any path
(outside `/_sim/`) is recorded as `{"method", "path", "query", "headers", "body", "time"}`
— headers with lower-case names, every one of them (Authorization and signatures
included), `body` the parsed JSON when the body is JSON, else its text ("" when empty) —
and answered 204. Other methods get 405 `{"error"}`.

Control routes (sim_common.py): `/_sim/fail` (the next matching POSTs get that status,
`{"error"}`, and are not recorded), `/_sim/die-after`, `/_sim/hang`, `/_sim/requests`,
`/_sim/reset` (also forgets what was received), plus `GET /_sim/received` (the recorded
POSTs, oldest first).
"""
import json
import socket
import sys
import time

sys.dont_write_bytecode = True  # no __pycache__ beside the sources when importing the shared modules

import sim_common  # noqa: E402


class WebhookState(sim_common.SimState):
    def __init__(self):
        super().__init__()
        self.received = []

    def record(self, entry):
        with self.lock:
            self.received.append(entry)

    def reset(self):
        super().reset()
        with self.lock:
            self.received.clear()


class WebhookHandler(sim_common.SimHandler):

    def setup(self):
        super().setup()
        # Headers and body leave in two writes: without this, Nagle's algorithm and the
        # client's delayed ACK hold every small reply for about 40 ms.
        self.connection.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)

    def fault_reply(self, status, retry_after):
        headers = [("Retry-After", str(retry_after))] if status in (429, 503) else []
        self.send_json(status, {"error": self.responses.get(status, ("Error",))[0]}, headers)

    def route(self, method, path, params, body):
        if method != "POST":
            self.send_json(405, {"error": "only POST is accepted"}, [("Allow", "POST")])
            return
        text = body.decode("utf-8", "replace")
        try:
            parsed = json.loads(text) if text.strip() else text
        except ValueError:
            parsed = text
        query = self.path.split("?", 1)[1] if "?" in self.path else ""
        self.state.record({"method": method, "path": path, "query": query,
                           "headers": {name.lower(): value for name, value in self.headers.items()},
                           "body": parsed, "time": time.time()})
        self.send_empty(204)

    def control(self, method, name, body):
        if method == "GET" and name == "received":
            with self.state.lock:
                self.send_json(200, list(self.state.received))
            return True
        return super().control(method, name, body)


def main():
    args = sim_common.argument_parser("Webhook sink: records every POST, answers 204.").parse_args()
    sim_common.serve(WebhookHandler, WebhookState, args.port)


if __name__ == "__main__":
    main()
