#!/usr/bin/env python3
"""svp serve over TLS: a throwaway self-signed certificate (openssl), HTTPS requests with
python's ssl module, the Strict-Transport-Security header and a Secure session cookie; and
without TLS, the warning that svp must sit behind a TLS proxy. Prints TAP.

usage: tls-check.py SVP_BINARY
"""
import http.client
import json
import os
import socket
import ssl
import subprocess
import sys
import tempfile
import time
import warnings

warnings.filterwarnings("ignore", category=DeprecationWarning)  # TLS 1.1 is probed on purpose

svp = os.path.abspath(sys.argv[1])
results = []


def check(name, ok, note=""):
    results.append(ok)
    print(f"{'ok' if ok else 'not ok'} {len(results)} - {name}{'' if ok else ' # ' + note}")


def start(d, env, extra):
    port_file = os.path.join(d, "port")
    if os.path.exists(port_file):
        os.unlink(port_file)
    p = subprocess.Popen([svp, "serve", "--listen", "127.0.0.1:0", "--port-file", port_file,
                          "--web", "/nonexistent"] + extra, env=env, stdout=subprocess.PIPE,
                         stderr=subprocess.DEVNULL, text=True)
    for _ in range(200):
        if os.path.exists(port_file) and open(port_file).read().strip():
            break
        time.sleep(0.05)
    return p, int(open(port_file).read())


print("1..8")
with tempfile.TemporaryDirectory(prefix="svp-tls-") as d:
    env = dict(os.environ, SVP_DB=os.path.join(d, "tls.db"))
    subprocess.run([svp, "db", "migrate"], env=env, check=True, stdout=subprocess.DEVNULL)
    subprocess.run([svp, "user", "add", "ann", "--role", "panel", "--agency", "csc",
                    "--password-stdin"], env=env, check=True, input="a panel password\n",
                   text=True, stdout=subprocess.DEVNULL)
    cert, key = os.path.join(d, "cert.pem"), os.path.join(d, "key.pem")
    subprocess.run(["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", key,
                    "-out", cert, "-days", "1", "-subj", "/CN=localhost"], check=True,
                   stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    server, port = start(d, env, ["--tls-cert", cert, "--tls-key", key])
    try:
        ctx = ssl.create_default_context(cafile=cert)
        ctx.check_hostname = False
        c = http.client.HTTPSConnection("127.0.0.1", port, context=ctx, timeout=10)
        c.request("POST", "/api/v1/session",
                  json.dumps({"username": "ann", "password": "a panel password"}),
                  {"Content-Type": "application/json"})
        r = c.getresponse()
        r.read()
        check("sign in over HTTPS", r.status == 200, f"status {r.status}")
        check("HSTS under TLS", "max-age" in (r.getheader("Strict-Transport-Security") or ""))
        cookie = r.getheader("Set-Cookie") or ""
        check("session cookie is Secure, HttpOnly, SameSite=Strict",
              "; Secure" in cookie and "HttpOnly" in cookie and "SameSite=Strict" in cookie,
              cookie)
        # TLS 1.2 is accepted; 1.1 and 1.0 are refused by the server's priorities (the
        # client is allowed to offer them at security level 0).
        def handshake(version):
            c2 = ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT)
            c2.check_hostname = False
            c2.verify_mode = ssl.CERT_NONE
            try:
                c2.set_ciphers("DEFAULT:@SECLEVEL=0")
                c2.minimum_version = version
                c2.maximum_version = version
            except (ValueError, ssl.SSLError):
                return None
            try:
                with socket.create_connection(("127.0.0.1", port), timeout=5) as sock:
                    with c2.wrap_socket(sock) as tls:
                        return tls.version()
            except (ssl.SSLError, OSError):
                return False
        check("TLS 1.2 is accepted", handshake(ssl.TLSVersion.TLSv1_2) == "TLSv1.2")
        old = handshake(ssl.TLSVersion.TLSv1_1)
        check("TLS 1.1 is refused", old is False, f"handshake gave {old}")
        try:
            plain = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
            plain.request("GET", "/api/v1/session")
            status = plain.getresponse().status
            check("plain HTTP on the TLS port gets no API answer", status >= 400)
        except (http.client.HTTPException, OSError):
            check("plain HTTP on the TLS port gets no API answer", True)
    finally:
        server.terminate()
        out, _ = server.communicate(timeout=30)
    check("the address printed is https", "serving https://127.0.0.1:" in out, out)
    server, port = start(d, env, [])
    server.terminate()
    out, _ = server.communicate(timeout=30)
    check("without TLS it says to sit behind a TLS proxy", "TLS proxy" in out, out)
sys.exit(0 if all(results) else 1)
