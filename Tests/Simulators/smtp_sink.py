"""A minimal SMTP server on 127.0.0.1 that keeps every message it receives as a file.

    python3 smtp_sink.py --out DIR [--username U --password P] [--fail-rcpt CODE]
        [--starttls CERT KEY] [--trace] [--port N]

Binds port 0 unless told otherwise and prints `port N` once listening (the start contract
of the HTTP simulators). Speaks RFC 5321: EHLO / HELO, AUTH PLAIN and LOGIN (RFC 4954;
advertised and required before MAIL only with `--username` and `--password`), MAIL FROM,
RCPT TO, DATA (dot-unstuffing, ends at CRLF.CRLF), RSET, NOOP, QUIT, and STARTTLS (RFC
3207) only with `--starttls CERT KEY` (PEM files): advertised in EHLO, then 220 and a TLS
handshake, after which the session starts over (EHLO again, no sender, not authenticated).
Without `--starttls` the server offers no TLS at all: STARTTLS is not advertised and
answers 502. `--trace` prints `> VERB` for every command received (the verb only, never
its arguments, so no credentials), `> TLS` once a handshake completes and `> END` when a
session ends.

Replies: 220 greeting; 250 for EHLO/HELO, MAIL, RCPT, end of DATA, RSET, NOOP; 354 after
DATA; 221 for QUIT; 334 AUTH challenges, 235 authenticated, 535 bad credentials, 530 MAIL
before AUTH when it is required, 504 an unknown mechanism; 503 bad sequence (MAIL before
HELO, RCPT before MAIL, DATA before RCPT, AUTH twice or when not offered, STARTTLS twice);
501 bad arguments; 552 a declared SIZE too large; 500 an unknown command or a line too
long; 220 before the TLS handshake, 502 STARTTLS without `--starttls`.
`--fail-rcpt CODE` answers every RCPT with CODE (a 4xx or 5xx), so no message gets through.

Each message is written to DIR as `<n>.eml` (the data as received, after dot-unstuffing,
CRLF line ends kept) with a sidecar `<n>.json` {"mail_from", "rcpt_to": [...],
"auth_user": null or the user, "helo", "tls": whether the session had switched to TLS,
"time"}; n counts from 1 (after the highest number already in DIR). Both files are written
to a hidden temporary name and renamed, the sidecar first, so a reader never sees half a
file and finds the sidecar of every `.eml`.
"""
import argparse
import base64
import binascii
import io
import json
import os
import re
import socket
import socketserver
import ssl
import sys
import threading
import time

MAX_LINE = 4096           # SMTP allows 1000 octets a line; be lenient, but bounded
MAX_SIZE = 50 * 1024 * 1024
HOST = "127.0.0.1"
PATH = re.compile(r"^\s*<([^<>]*)>\s*(.*)$")


class Sink:
    """The configuration and the message counter shared by every session."""

    def __init__(self, args):
        self.out = args.out
        self.username, self.password = args.username, args.password
        self.fail_rcpt = args.fail_rcpt
        self.trace = args.trace
        self.tls = None
        if args.starttls:
            self.tls = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
            self.tls.load_cert_chain(args.starttls[0], args.starttls[1])
        self.lock = threading.Lock()
        os.makedirs(self.out, exist_ok=True)
        numbers = [int(name[:-4]) for name in os.listdir(self.out) if name.endswith(".eml") and name[:-4].isdigit()]
        self.next_number = max(numbers, default=0) + 1

    @property
    def auth_required(self):
        return self.username is not None and self.password is not None

    def save(self, data, envelope):
        with self.lock:
            number = self.next_number
            self.next_number += 1
        self.write(os.path.join(self.out, "%d.json" % number),
                   json.dumps(envelope, ensure_ascii=False, indent=1).encode("utf-8") + b"\n")
        self.write(os.path.join(self.out, "%d.eml" % number), data)
        return number

    @staticmethod
    def write(path, data):
        folder, name = os.path.split(path)
        temporary = os.path.join(folder, ".%s.%d.tmp" % (name, threading.get_ident()))
        with open(temporary, "wb") as file:
            file.write(data)
            file.flush()
            os.fsync(file.fileno())
        os.replace(temporary, path)


class SocketWriter(io.BufferedIOBase):
    """Writes straight to a socket (the TLS one after STARTTLS), as the handler's own wfile does."""

    def __init__(self, sock):
        self.sock = sock

    def writable(self):
        return True

    def write(self, data):
        self.sock.sendall(data)
        return len(data)


class Session(socketserver.StreamRequestHandler):
    """One SMTP connection."""

    timeout = 300

    def setup(self):
        super().setup()
        self.connection.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)

    def finish(self):
        super().finish()
        if self.connection is not self.request:  # the TLS socket STARTTLS made
            try:
                self.connection.close()
            except OSError:
                pass
        self.log("END")

    @property
    def sink(self):
        return self.server.sink

    def reply(self, code, text):
        lines = text if isinstance(text, list) else [text]
        out = "".join("%d%s%s\r\n" % (code, "-" if index < len(lines) - 1 else " ", line) for index, line in enumerate(lines))
        self.wfile.write(out.encode("utf-8"))
        self.wfile.flush()

    def read_line(self):
        """A line without its line end; None at end of connection; ValueError when too long."""
        line = self.rfile.readline(MAX_LINE + 1)
        if not line:
            return None
        if len(line) > MAX_LINE and not line.endswith(b"\n"):
            while line and not line.endswith(b"\n"):  # skip the rest of the line
                line = self.rfile.readline(MAX_LINE + 1)
            raise ValueError("line too long")
        return line.rstrip(b"\r\n").decode("utf-8", "replace")

    def reset_transaction(self):
        self.mail_from = None
        self.rcpt_to = []

    def log(self, text):
        if self.sink.trace:
            with self.sink.lock:
                print("> " + text, flush=True)

    def handle(self):
        self.helo = None
        self.auth_user = None
        self.tls = False
        self.reset_transaction()
        try:
            self.reply(220, "%s syndic smtp_sink ESMTP ready" % HOST)
            while True:
                try:
                    line = self.read_line()
                except ValueError:
                    self.reply(500, "5.5.2 Line too long")
                    continue
                if line is None:
                    return
                verb, _, argument = line.strip().partition(" ")
                if verb.isalpha():
                    self.log(verb.upper())
                handler = getattr(self, "smtp_" + verb.upper(), None) if verb.isalpha() else None
                if handler is None:
                    self.reply(500, "5.5.2 Command not recognized: %s" % (verb[:40] or "(empty line)"))
                    continue
                if handler(argument.strip()) == "quit":
                    return
        except (OSError, socket.timeout, ssl.SSLError):
            return

    # MARK: Commands

    def smtp_HELO(self, argument):
        if not argument:
            self.reply(501, "5.5.4 Syntax: HELO hostname")
            return
        self.helo = argument
        self.reset_transaction()
        self.reply(250, HOST)

    def smtp_EHLO(self, argument):
        if not argument:
            self.reply(501, "5.5.4 Syntax: EHLO hostname")
            return
        self.helo = argument
        self.reset_transaction()
        lines = ["%s greets %s" % (HOST, argument), "8BITMIME", "SIZE %d" % MAX_SIZE, "ENHANCEDSTATUSCODES"]
        if self.sink.tls is not None and not self.tls:
            lines.append("STARTTLS")
        if self.sink.auth_required:
            lines.append("AUTH PLAIN LOGIN")
        self.reply(250, lines)

    def smtp_STARTTLS(self, argument):
        if self.sink.tls is None:
            self.reply(502, "5.5.1 STARTTLS is not offered")
            return
        if self.tls:
            self.reply(503, "5.5.1 TLS is already active")
            return
        if argument:
            self.reply(501, "5.5.4 Syntax: STARTTLS")
            return
        self.reply(220, "2.0.0 Ready to start TLS")
        self.connection = self.sink.tls.wrap_socket(self.connection, server_side=True)
        self.rfile = self.connection.makefile("rb", self.rbufsize)
        self.wfile = SocketWriter(self.connection)
        self.tls = True
        self.log("TLS")
        # RFC 3207: the client starts over, knowing nothing from before the handshake.
        self.helo = None
        self.auth_user = None
        self.reset_transaction()

    def smtp_AUTH(self, argument):
        if not self.sink.auth_required:
            self.reply(503, "5.5.1 Authentication is not enabled")
            return
        if self.helo is None:
            self.reply(503, "5.5.1 Send EHLO first")
            return
        if self.auth_user is not None:
            self.reply(503, "5.5.1 Already authenticated")
            return
        if self.mail_from is not None:
            self.reply(503, "5.5.1 AUTH is not allowed during a mail transaction")
            return
        mechanism, _, initial = argument.partition(" ")
        mechanism, initial = mechanism.upper(), initial.strip()
        if mechanism == "PLAIN":
            response = initial if initial else self.challenge("")
            if response is None:
                return
            decoded = self.decode(response)
            if decoded is None:
                return
            parts = decoded.split("\0")
            if len(parts) != 3:
                self.reply(501, "5.5.2 Malformed PLAIN response")
                return
            user, password = parts[1], parts[2]
        elif mechanism == "LOGIN":
            if initial:
                user = self.decode(initial)
            else:
                answer = self.challenge("VXNlcm5hbWU6")  # "Username:"
                user = None if answer is None else self.decode(answer)
            if user is None:
                return
            answer = self.challenge("UGFzc3dvcmQ6")  # "Password:"
            password = None if answer is None else self.decode(answer)
            if password is None:
                return
        elif not mechanism:
            self.reply(501, "5.5.4 Syntax: AUTH mechanism [initial-response]")
            return
        else:
            self.reply(504, "5.5.4 Unrecognized authentication type %s" % mechanism[:40])
            return
        if user == self.sink.username and password == self.sink.password:
            self.auth_user = user
            self.reply(235, "2.7.0 Authentication successful")
        else:
            self.reply(535, "5.7.8 Authentication credentials invalid")

    def challenge(self, text):
        """Sends a 334 challenge and returns the client's answer, None if it cancelled ("*")."""
        self.reply(334, text)
        try:
            answer = self.read_line()
        except ValueError:
            answer = "*"
        if answer is None:
            raise OSError("connection closed during AUTH")
        if answer.strip() == "*":
            self.reply(501, "5.7.0 Authentication cancelled")
            return None
        return answer.strip()

    def decode(self, text):
        try:
            return base64.b64decode(text, validate=True).decode("utf-8")
        except (binascii.Error, ValueError):
            self.reply(501, "5.5.2 Cannot decode the base64 response")
            return None

    def smtp_MAIL(self, argument):
        if self.helo is None:
            self.reply(503, "5.5.1 Send EHLO or HELO first")
            return
        if self.sink.auth_required and self.auth_user is None:
            self.reply(530, "5.7.0 Authentication required")
            return
        if self.mail_from is not None:
            self.reply(503, "5.5.1 Sender already specified")
            return
        address, parameters = self.path(argument, "FROM:")
        if address is None:
            self.reply(501, "5.5.4 Syntax: MAIL FROM:<address>")
            return
        for parameter in parameters.split():
            name, _, value = parameter.partition("=")
            if name.upper() == "SIZE" and value.isdigit() and int(value) > MAX_SIZE:
                self.reply(552, "5.3.4 Message size exceeds the limit of %d bytes" % MAX_SIZE)
                return
        self.mail_from = address
        self.reply(250, "2.1.0 Ok")

    def smtp_RCPT(self, argument):
        if self.mail_from is None:
            self.reply(503, "5.5.1 Need MAIL before RCPT")
            return
        address, _ = self.path(argument, "TO:")
        if not address:
            self.reply(501, "5.5.4 Syntax: RCPT TO:<address>")
            return
        code = self.sink.fail_rcpt
        if code:
            self.reply(code, "%d.1.1 <%s>: Recipient address rejected" % (code // 100, address))
            return
        self.rcpt_to.append(address)
        self.reply(250, "2.1.5 Ok")

    def smtp_DATA(self, argument):
        if self.mail_from is None or not self.rcpt_to:
            self.reply(503, "5.5.1 Need RCPT before DATA" if self.mail_from is not None else "5.5.1 Need MAIL before DATA")
            return
        if argument:
            self.reply(501, "5.5.4 Syntax: DATA")
            return
        self.reply(354, "End data with <CR><LF>.<CR><LF>")
        chunks, size = [], 0
        while True:
            line = self.rfile.readline(65536)
            if not line:
                raise OSError("connection closed during DATA")
            if line in (b".\r\n", b".\n"):
                break
            if line.startswith(b"."):
                line = line[1:]
            size += len(line)
            if size <= MAX_SIZE:
                chunks.append(line)
        if size > MAX_SIZE:
            self.reply(552, "5.3.4 Message size exceeds the limit of %d bytes" % MAX_SIZE)
        else:
            envelope = {"mail_from": self.mail_from, "rcpt_to": list(self.rcpt_to), "auth_user": self.auth_user,
                        "helo": self.helo, "tls": self.tls, "time": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime())}
            number = self.sink.save(b"".join(chunks), envelope)
            self.reply(250, "2.0.0 Ok: queued as %d" % number)
        self.reset_transaction()

    def smtp_RSET(self, argument):
        self.reset_transaction()
        self.reply(250, "2.0.0 Ok")

    def smtp_NOOP(self, argument):
        self.reply(250, "2.0.0 Ok")

    def smtp_QUIT(self, argument):
        self.reply(221, "2.0.0 Bye")
        return "quit"

    @staticmethod
    def path(argument, keyword):
        """(address, parameters) of `FROM:<address> params`, or (None, "") when malformed."""
        if not argument[:len(keyword)].upper() == keyword:
            return None, ""
        match = PATH.match(argument[len(keyword):])
        if not match:
            return None, ""
        return match.group(1).strip(), match.group(2)


class Server(socketserver.ThreadingTCPServer):
    daemon_threads = True
    allow_reuse_address = True
    request_queue_size = 64

    def __init__(self, port, sink):
        super().__init__((HOST, port), Session)
        self.sink = sink

    def handle_error(self, request, client_address):
        pass


def main():
    parser = argparse.ArgumentParser(description="SMTP sink: keeps every received message as DIR/<n>.eml + <n>.json.")
    parser.add_argument("--port", type=int, default=0, help="port to bind on 127.0.0.1 (default: any free port)")
    parser.add_argument("--out", required=True, help="folder the messages are written to (created if missing)")
    parser.add_argument("--username", help="require AUTH (PLAIN or LOGIN) with this user (needs --password)")
    parser.add_argument("--password", help="the password of --username")
    parser.add_argument("--fail-rcpt", type=int, help="answer every RCPT TO with this code (such as 550 or 450)")
    parser.add_argument("--starttls", nargs=2, metavar=("CERT", "KEY"),
                        help="offer STARTTLS with this certificate and key (PEM files); without it, no TLS")
    parser.add_argument("--trace", action="store_true",
                        help="print '> VERB' for every command received (never its arguments), '> TLS', '> END'")
    args = parser.parse_args()
    if (args.username is None) != (args.password is None):
        parser.error("--username and --password go together")
    if args.fail_rcpt is not None and not 400 <= args.fail_rcpt <= 599:
        parser.error("--fail-rcpt must be a 4xx or 5xx code")
    server = Server(args.port, Sink(args))
    print("port %d" % server.server_address[1], flush=True)
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass


if __name__ == "__main__":
    sys.exit(main())
