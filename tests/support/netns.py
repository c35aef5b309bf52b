"""A network of the test's own: a Linux network namespace joined to this one by a veth pair, with its own TCP
settings (e.g. how much a socket may hold unsent), for a server whose sockets must behave unlike the machine's."""

import secrets
from contextlib import contextmanager

from tests.support.restarts import as_root
from tests.support.server import ServerProcess


@contextmanager
def private_network(tcp_wmem):
    """A namespace whose TCP sockets hold at most `tcp_wmem` = "min default max" bytes unsent; yields (name, the
    namespace's address). Removed afterwards, its veth pair with it."""
    name = f"q{secrets.token_hex(4)}"  # interface names stay under Linux's 15 characters
    subnet = f"10.{secrets.randbelow(200) + 40}.{secrets.randbelow(250)}"
    host_side, inside = f"{subnet}.1", f"{subnet}.2"
    as_root("ip", "netns", "add", name)
    try:
        as_root("ip", "link", "add", f"{name}h", "type", "veth", "peer", "name", f"{name}n")
        as_root("ip", "link", "set", f"{name}n", "netns", name)
        as_root("ip", "addr", "add", f"{host_side}/30", "dev", f"{name}h")
        as_root("ip", "link", "set", f"{name}h", "up")
        for command in (["ip", "addr", "add", f"{inside}/30", "dev", f"{name}n"],
                        ["ip", "link", "set", f"{name}n", "up"], ["ip", "link", "set", "lo", "up"],
                        ["sysctl", "-q", "-w", f"net.ipv4.tcp_wmem={tcp_wmem}"]):
            as_root("ip", "netns", "exec", name, *command)
        yield name, inside
    finally:
        as_root("ip", "netns", "del", name)  # takes its end of the veth pair, and with it ours


class ServerInNetwork(ServerProcess):
    """`python wsgi.py` inside a private network (private_network), listening on the namespace's `address`."""

    def __init__(self, folder, network, env=None):
        self.namespace, self.address = network
        super().__init__(folder, env=env)
        self.url = f"http://{self.address}:{self.port}"
        self.extra_env.update({"HOST": self.address, "PUBLIC_URL": self.url})
        self.wrapper = ["ip", "netns", "exec", self.namespace]
