"""Waits for the server, signs in as each role, and runs schemathesis against the API's own
OpenAPI document with that session. Exits non-zero on any failed check."""

import json
import os
import subprocess
import sys
import tempfile
import time
import urllib.request

URL, PID, SCHEMATHESIS = sys.argv[1], int(sys.argv[2]), sys.argv[3]
# Two roles that see different things: the secretary registers and files, the section head
# assigns, reviews and signs. Both are demo accounts (password printed by `nansen demo`).
ROLES = ["sec.martin", "cs.diallo"]
CHECKS = "not_a_server_error,status_code_conformance,content_type_conformance,response_schema_conformance"


def ready(deadline: float) -> None:
    while time.time() < deadline:
        try:
            os.kill(PID, 0)
        except OSError:
            sys.exit("the server stopped before it was ready")
        try:
            with urllib.request.urlopen(URL + "/readyz", timeout=2) as r:
                if r.status == 200:
                    return
        except OSError:
            pass
        time.sleep(0.5)
    sys.exit("the server was not ready after 300 s")


def sign_in(login: str) -> tuple[str, str]:
    body = json.dumps({"login": login, "password": "nansen-demo"}).encode()
    req = urllib.request.Request(URL + "/api/v1/session", body, {"Content-Type": "application/json"})
    with urllib.request.urlopen(req, timeout=30) as r:
        cookies = [c.split(";")[0] for c in r.headers.get_all("Set-Cookie") or []]
        session = next(c for c in cookies if c.startswith("nansen_session="))
        return session, json.load(r)["csrf_token"]


def a_case(cookie: str) -> str:
    """A case of the section head's division: the operations on one case then reach a real one
    (and its first document, the receipt), so that their successful answers are checked too."""
    req = urllib.request.Request(URL + "/api/v1/cases?view=division&limit=1", headers={"Cookie": cookie})
    with urllib.request.urlopen(req, timeout=30) as r:
        return json.load(r)[0]["number"]


def main() -> int:
    ready(time.time() + 300)
    rc = 0
    number = a_case(sign_in(ROLES[1])[0])
    for login in ROLES:
        cookie, csrf = sign_in(login)
        print(f"-- schemathesis as {login}", flush=True)
        cmd = [
            SCHEMATHESIS, "--config-file", "schemathesis.toml", "run", URL + "/api/openapi.json",
            "--url", URL,
            "--checks", CHECKS,
            "--max-examples", os.environ.get("NANSEN_CONFORMANCE_EXAMPLES", "12"),
            "--seed", "20261130",
            "--phases", "examples,coverage,fuzzing",
            # One worker: with threads, Hypothesis's ast.parse of lambda sources trips CPython
            # 3.11's "AST constructor recursion depth mismatch" now and then (a runtime error
            # of the tool, not of Nansen).
            "--workers", "1",
            "--request-timeout", "30",
            "--no-shrink",
            # Signing out would end the session the run uses.
            "--exclude-method", "DELETE",
            "-H", f"Cookie: {cookie}",
            "-H", f"X-CSRF-Token: {csrf}",
        ]
        # Its cache and reports stay out of the repository.
        with tempfile.TemporaryDirectory() as scratch:
            with open(os.path.join(scratch, "schemathesis.toml"), "w", encoding="utf-8") as config:
                config.write(f'[parameters]\n"path.number" = "{number}"\n"path.id" = 1\n')
            done = subprocess.run(cmd, check=False, cwd=scratch)
        if done.returncode != 0:
            print(f"-- schemathesis as {login}: FAILED", flush=True)
            rc = 1
    return rc


if __name__ == "__main__":
    sys.exit(main())
