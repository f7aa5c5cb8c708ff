"""What the browser tests share: a throwaway `svp serve` on a database of the test's own, and
Playwright's node script run against it (TAP passed through). Imported by tests/web-e2e*.py."""
import os
import subprocess
import sys
import time


def need_web(root):
    """The web folder, or exits 77 (skip) when web/dist or playwright-core is missing."""
    web = os.path.abspath(os.path.join(root, "web"))
    if not os.path.isfile(os.path.join(web, "dist", "index.html")) or not os.path.isdir(
            os.path.join(web, "node_modules", "playwright-core")):
        print("1..0 # SKIP web/dist or playwright-core missing: run scripts/web-build")
        sys.exit(77)
    return web


def add_user(svp, env, name, role, agency, password):
    subprocess.run([svp, "user", "add", name, "--role", role, "--agency", agency,
                    "--password-stdin"], env=env, check=True,
                   input=(password + "\n").encode(), stdout=subprocess.DEVNULL)


def serve_and_run(svp, env, web, tmp, script, timeout=240):
    """Starts svp serve (any free port), runs web/tests/SCRIPT against it, stops the server;
    returns the script's exit status."""
    port_file = os.path.join(tmp, "port")
    server = subprocess.Popen([svp, "serve", "--listen", "127.0.0.1:0", "--port-file", port_file,
                               "--web", os.path.join(web, "dist"), "--login-rate", "1000"],
                              env=env, stdout=subprocess.DEVNULL)
    try:
        for _ in range(200):
            if os.path.exists(port_file) and open(port_file).read().strip():
                break
            time.sleep(0.05)
        port = open(port_file).read().strip()
        return subprocess.run(["node", os.path.join(web, "tests", script),
                               f"http://127.0.0.1:{port}"], cwd=web, timeout=timeout).returncode
    finally:
        server.terminate()
        server.wait(timeout=30)
