"""A real FTP server for the transfer tests: pyftpdlib on 127.0.0.1, an ephemeral port.

Usage: python3 ftp_server.py HOME USER PASSWORD
Prints "port N" once listening; serves until terminated.
"""
import sys

from pyftpdlib.authorizers import DummyAuthorizer
from pyftpdlib.handlers import FTPHandler
from pyftpdlib.servers import FTPServer

home, user, password = sys.argv[1:4]
authorizer = DummyAuthorizer()
authorizer.add_user(user, password, home, perm="elradfmwMT")
handler = FTPHandler
handler.authorizer = authorizer
handler.passive_ports = None
server = FTPServer(("127.0.0.1", 0), handler)
print("port %d" % server.address[1], flush=True)
server.serve_forever(handle_exit=True)
