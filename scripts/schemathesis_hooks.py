"""Schemathesis hooks for scripts/schemathesis.sh, loaded through SCHEMATHESIS_HOOKS.

GitHub signs every delivery with an HMAC of its exact body, which a fixed header cannot give: this hook serialises
the generated body itself and signs those bytes with LODESTAR_GITHUB_SECRET, so that generated payloads reach the
GitHub parser instead of stopping at 401.
"""

import hashlib
import hmac
import json
import os

import schemathesis


@schemathesis.hook
def before_call(context, case, kwargs):
    if case.operation.path != "/webhooks/github":
        return
    secret = os.environ.get("LODESTAR_GITHUB_SECRET", "")
    body = case.body
    if type(body).__name__ == "NotSet":
        body = b""
    elif not isinstance(body, bytes):
        body = json.dumps(body).encode()
    kwargs["data"] = body
    case.headers = dict(case.headers or {})
    case.headers["X-Hub-Signature-256"] = "sha256=" + hmac.new(secret.encode(), body, hashlib.sha256).hexdigest()
