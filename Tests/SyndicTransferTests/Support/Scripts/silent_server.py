"""A server that accepts TCP connections on 127.0.0.1 and never answers (for timeouts).

Prints "port N" once listening; holds every connection open until killed.
"""
import socket

listener = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
listener.bind(("127.0.0.1", 0))
listener.listen(16)
print("port %d" % listener.getsockname()[1], flush=True)
connections = []
while True:
    connection, _ = listener.accept()
    connections.append(connection)
