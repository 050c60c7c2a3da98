"""The SSRF guard: every bad address refused, however spelled or reached."""

import socket

import pytest
from django.core.exceptions import ValidationError

from sources import safehttp
from sources.links import get_or_create_link, normalize_url
from sources.models import Link
from sources.safehttp import FetchError, Policy, UnsafeURL, check_url, fetch_document

from .linkfarm import FarmThread

# Each of these names an address the workers must never connect to.
BAD_URLS = [
    "http://127.0.0.1/",
    "http://127.255.255.254/",
    "http://2130706433/",  # decimal
    "http://017700000001/",  # octal
    "http://0x7f000001/",  # hex
    "http://0x7f.0.0.1/",  # mixed
    "http://0177.0.0.01/",
    "http://127.1/",  # short form
    "http://127.0.1/",
    "http://0/",
    "http://0.0.0.0/",
    "http://10.0.0.1/",
    "http://172.16.5.4/",
    "http://192.168.1.1/",
    "http://100.64.0.1/",  # carrier-grade NAT
    "http://100.127.255.254/",
    "http://169.254.169.254/latest/meta-data/",  # cloud metadata
    "http://169.254.1.1/",
    "http://224.0.0.1/",  # multicast
    "http://239.255.255.250/",
    "http://240.0.0.1/",  # reserved
    "http://255.255.255.255/",
    "http://192.0.2.1/",  # documentation
    "http://198.18.0.1/",  # benchmarking
    "http://[::1]/",
    "http://[::]/",
    "http://[0:0:0:0:0:0:0:1]/",
    "http://[::ffff:127.0.0.1]/",  # IPv4-mapped
    "http://[::ffff:7f00:1]/",
    "http://[::ffff:169.254.169.254]/",
    "http://[::ffff:10.0.0.1]/",
    "http://[64:ff9b::127.0.0.1]/",  # NAT64
    "http://[64:ff9b::a9fe:a9fe]/",  # NAT64 of the metadata address
    "http://[64:ff9b:1::1]/",
    "http://[2002:7f00:1::]/",  # 6to4 of 127.0.0.1
    "http://[2002:a9fe:a9fe::]/",  # 6to4 of 169.254.169.254
    "http://[::127.0.0.1]/",  # IPv4-compatible
    "http://[fe80::1]/",  # link-local
    "http://[fe80::1%25eth0]/",  # with a zone
    "http://[fc00::1]/",  # unique local
    "http://[fd00:ec2::254]/",  # AWS metadata over IPv6
    "http://[ff02::1]/",  # multicast
    "http://[2001:db8::1]/",  # documentation
    "http://[2001::1]/",  # Teredo
    "http://localhost/",
    "http://LOCALHOST./",
    "http://ip6-localhost/",
    "http://anything.localhost/",
    "http://printer.local/",
    "http://metadata.google.internal/",
    "http://router.home.arpa/",
    "http://intranet/",
    "ftp://example.org/file",
    "file:///etc/passwd",
    "gopher://example.org/",
    "javascript:alert(1)",
    "http://user:pass@example.org/",
    "http://user@example.org/",
    "http://example.org:22/",
    "http://example.org:6379/",
    "https://example.org:8443/",
    "http://1.2.3.4.5/",
    "http://0x100000000/",
]


@pytest.mark.parametrize("url", BAD_URLS)
def test_the_static_guard_refuses_every_bad_url(url):
    with pytest.raises(UnsafeURL):
        check_url(url, Policy())


@pytest.mark.parametrize("url", BAD_URLS)
def test_a_link_to_a_bad_url_cannot_be_created(url, db):
    with pytest.raises(ValidationError) as caught:
        get_or_create_link(url)
    assert caught.value.messages
    assert not Link.objects.exists()


@pytest.mark.parametrize("url", BAD_URLS)
def test_fetching_a_bad_url_is_refused_before_any_traffic(url):
    with pytest.raises(UnsafeURL):
        fetch_document(url, policy=Policy())


def test_the_refusal_says_why_in_words():
    with pytest.raises(ValidationError) as caught:
        normalize_url("http://0x7f.1/admin")
    assert "loopback" in caught.value.messages[0]
    with pytest.raises(ValidationError) as caught:
        normalize_url("http://[64:ff9b::a9fe:a9fe]/")
    assert "metadata" in caught.value.messages[0]


@pytest.mark.parametrize(
    "url, normalized",
    [
        ("http://134744072/a", "http://8.8.8.8/a"),
        ("http://0x08080808/", "http://8.8.8.8/"),
        ("https://Example.ORG:443/x", "https://example.org/x"),
        ("http://[2606:4700:0::1111]/", "http://[2606:4700::1111]/"),
    ],
)
def test_public_addresses_in_any_spelling_are_allowed_and_spelled_one_way(url, normalized):
    assert normalize_url(url) == normalized


def test_the_allow_list_admits_only_the_names_it_lists():
    policy = Policy(
        allowed_ports=frozenset({80, 8080}), allowed_private_hosts=frozenset({"127.0.0.1"})
    )
    check_url("http://127.0.0.1:8080/", policy)
    for url in ("http://127.0.0.2:8080/", "http://localhost:8080/", "http://127.0.0.1:8081/"):
        with pytest.raises(UnsafeURL):
            check_url(url, policy)


@pytest.fixture
def resolver_table(monkeypatch):
    """Swap getaddrinfo for a fixed table: real lookups, no DNS traffic."""
    table: dict[str, list[str]] = {}
    calls: list[str] = []

    async def resolve(host, port, family):
        calls.append(host)
        if host not in table:
            raise socket.gaierror(socket.EAI_NONAME, "Name or service not known")
        return [(socket.AF_INET6 if ":" in a else socket.AF_INET, a) for a in table[host]]

    monkeypatch.setattr(safehttp, "system_resolve", resolve)
    return table, calls


@pytest.mark.parametrize(
    "addresses",
    [
        ["127.0.0.1"],
        ["::1"],
        ["::ffff:127.0.0.1"],
        ["64:ff9b::a9fe:a9fe"],
        ["2002:c0a8:0101::1"],
        ["169.254.169.254"],
        ["fd00:ec2::254"],
        ["100.64.3.3"],
        ["10.1.2.3"],
        ["fe80::1"],
        # One bad address among good ones is enough to refuse the name.
        ["93.184.215.14", "127.0.0.1"],
        ["2606:2800:21f:cb07:6820:80da:af6b:8b2c", "::ffff:10.0.0.1"],
    ],
)
def test_a_host_name_resolving_to_a_bad_address_is_refused(resolver_table, addresses):
    table, calls = resolver_table
    table["innocent.example.org"] = addresses
    with pytest.raises(UnsafeURL) as caught:
        fetch_document("http://innocent.example.org/", policy=Policy())
    assert "resolves to" in caught.value.reason
    assert calls == ["innocent.example.org"]


def test_an_unknown_host_name_is_a_dns_failure_not_a_refusal(resolver_table):
    with pytest.raises(FetchError) as caught:
        fetch_document("http://nowhere.example.org/", policy=Policy())
    assert caught.value.kind == FetchError.DNS


@pytest.fixture
def two_servers():
    """An allow-listed redirecting server on 127.0.0.1 and a victim on 127.0.0.2."""
    with FarmThread(("127.0.0.1",)) as front, FarmThread(("127.0.0.2",)) as victim:
        yield front, victim


@pytest.mark.parametrize(
    "target",
    [
        "http://127.0.0.2:{victim}/ok/1",
        "http://2130706434:{victim}/ok/1",
        "http://0x7f.0.0.2:{victim}/ok/1",
        "http://127.2:{victim}/ok/1",
        "http://[::ffff:127.0.0.2]:{victim}/ok/1",
        "http://localhost:{victim}/ok/1",
        "http://victim.example.org:{victim}/ok/1",
        "http://169.254.169.254/latest/meta-data/",
        "http://user:pw@127.0.0.1:{front}/ok/1",
        "ftp://127.0.0.2/",
        "http://127.0.0.1:{front}/go?to=http%3A%2F%2F127.0.0.2%3A{victim}%2Fok%2F1",
    ],
)
def test_a_redirect_to_a_bad_address_is_refused_and_never_reaches_it(
    two_servers, resolver_table, target
):
    front, victim = two_servers
    table, _calls = resolver_table
    table["victim.example.org"] = ["127.0.0.2"]
    policy = Policy(
        allowed_ports=frozenset({80, 443, front.port, victim.port}),
        allowed_private_hosts=frozenset({"127.0.0.1"}),
    )
    bad = target.format(front=front.port, victim=victim.port)
    with pytest.raises(UnsafeURL) as caught:
        fetch_document(front.url("/go?to=") + _quote(bad), policy=policy)
    assert caught.value.redirects, "the refusal records the redirect that led there"
    assert caught.value.redirects[0].status == 302
    assert sum(victim.hits.values()) == 0


def test_negative_control_the_victim_is_reachable_when_it_is_allow_listed(two_servers):
    # Proves the refusals above come from the guard, not from a dead server.
    front, victim = two_servers
    policy = Policy(
        allowed_ports=frozenset({front.port, victim.port}),
        allowed_private_hosts=frozenset({"127.0.0.1", "127.0.0.2"}),
    )
    doc = fetch_document(front.url("/go?to=") + _quote(victim.url("/ok/1")), policy=policy)
    assert doc.status == 200
    assert doc.final_url == victim.url("/ok/1")
    assert victim.hits["/ok/1"] == 1


def test_the_client_connects_to_exactly_the_address_it_checked(two_servers, resolver_table):
    front, victim = two_servers
    table, calls = resolver_table
    table["pinned.example.org"] = ["127.0.0.2"]
    policy = Policy(
        allowed_ports=frozenset({victim.port}),
        allowed_private_hosts=frozenset({"pinned.example.org"}),
    )
    doc = fetch_document(f"http://pinned.example.org:{victim.port}/ok/7", policy=policy)
    assert doc.status == 200
    assert victim.hits["/ok/7"] == 1 and front.hits["/ok/7"] == 0
    assert calls == ["pinned.example.org"], "resolved once, no second lookup to rebind"


def test_pinned_static_hosts_are_still_guarded(two_servers):
    _front, victim = two_servers
    policy = Policy(
        allowed_ports=frozenset({victim.port}),
        static_hosts={"pinned.example.org": ("127.0.0.2",)},
    )
    with pytest.raises(UnsafeURL):
        fetch_document(f"http://pinned.example.org:{victim.port}/ok/1", policy=policy)
    assert sum(victim.hits.values()) == 0


def _quote(url: str) -> str:
    from urllib.parse import quote

    return quote(url, safe="")
