"""A real FTP server for the transfer tests: pyftpdlib on 127.0.0.1, an ephemeral port.

Usage: python3 ftp_server.py HOME USER PASSWORD [--tls CERT KEY] [--throttle BYTES_PER_SECOND]
                            [--no-rename]
--tls serves FTPS (explicit TLS, required on the control and data connections; needs
pyOpenSSL); --throttle (plain FTP only) slows uploads down to that rate, for a transfer a test
can interrupt; --no-rename refuses RNFR/RNTO, as some partners' servers do.
Prints "port N" once listening; serves until killed.
"""
import argparse

from pyftpdlib.authorizers import DummyAuthorizer
from pyftpdlib.handlers import FTPHandler, ThrottledDTPHandler
from pyftpdlib.servers import FTPServer

parser = argparse.ArgumentParser()
parser.add_argument("home")
parser.add_argument("user")
parser.add_argument("password")
parser.add_argument("--tls", nargs=2, metavar=("CERT", "KEY"))
parser.add_argument("--throttle", type=int, metavar="BYTES_PER_SECOND")
parser.add_argument("--no-rename", action="store_true")
options = parser.parse_args()
if options.tls and options.throttle:
    parser.error("--throttle applies to plain FTP only")

authorizer = DummyAuthorizer()
permissions = "elradmwMT" if options.no_rename else "elradfmwMT"  # f: rename
authorizer.add_user(options.user, options.password, options.home, perm=permissions)
if options.tls:
    from pyftpdlib.handlers import TLS_FTPHandler

    handler = TLS_FTPHandler
    handler.certfile, handler.keyfile = options.tls
    handler.tls_control_required = True
    handler.tls_data_required = True
else:
    handler = FTPHandler
if options.throttle:
    ThrottledDTPHandler.read_limit = options.throttle
    handler.dtp_handler = ThrottledDTPHandler
handler.authorizer = authorizer
handler.passive_ports = None
server = FTPServer(("127.0.0.1", 0), handler)
print("port %d" % server.address[1], flush=True)
server.serve_forever(handle_exit=True)
