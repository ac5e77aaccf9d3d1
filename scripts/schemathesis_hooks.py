"""Schemathesis hooks for scripts/schemathesis.sh, loaded through SCHEMATHESIS_HOOKS.

GitHub signs every delivery with an HMAC of its exact body, which a fixed header cannot give: this hook serialises
the generated body itself and signs those bytes with LODESTAR_GITHUB_SECRET, so that generated payloads reach the
GitHub parser instead of stopping at 401.

Two rules of the API cannot be written in an OpenAPI 3.0 document, so positive cases (the ones the
positive_data_acceptance check expects to be accepted) are brought within them before they are sent; negative cases
are sent as generated:
- a survey answer is keyed by the open survey's question ids and teams, which come from its YAML file (the demo's
  surveys/platform-pulse.yaml), not from the spec;
- a period's `from` is not after its `to`, and `baselineFrom` and `baselineTo` come together, in that order;
- an epic's `rating:<question id>` target names a scored question of the epic's survey (the demo's ratings).
"""

import hashlib
import hmac
import json
import os

import schemathesis

# The demo survey's questions (surveys/platform-pulse.yaml).
SURVEY_ANSWERS = {"best": "golden path templates", "worst": "flaky integration tests", "change": "more CI runners"}
SURVEY_RATINGS = {"satisfaction": 4, "easeOfShipping": 3, "operationsShare": 30}
PERIOD_PATHS = ("/api/v1/metrics", "/api/v1/deployments")


def is_positive(case):
    meta = getattr(case, "meta", None)
    return meta is None or meta.generation.mode.is_positive


def first_day(value):
    return value if len(value) == 10 else value + "-01"


def last_day(value):
    return value if len(value) == 10 else value + "-31"


def ordered_period(query):
    """The query with from/to in order and the baseline given whole or not at all."""
    query = dict(query or {})
    start, end = query.get("from"), query.get("to")
    if isinstance(start, str) and isinstance(end, str) and first_day(start) > last_day(end):
        query["from"], query["to"] = end, start
    elif isinstance(start, str) and end is None:
        query["to"] = start  # the default `to` is today, which an arbitrary `from` may be after
    base_start, base_end = query.get("baselineFrom"), query.get("baselineTo")
    if (base_start is None) != (base_end is None):
        query.pop("baselineFrom", None)
        query.pop("baselineTo", None)
    elif isinstance(base_start, str) and isinstance(base_end, str) and first_day(base_start) > last_day(base_end):
        query["baselineFrom"], query["baselineTo"] = base_end, base_start
    return query


def epic_change(body):
    """The generated change with a rating target that names one of the demo survey's ratings."""
    if isinstance(body, dict) and isinstance(body.get("target"), str) and body["target"].startswith("rating:"):
        body = dict(body)
        body["target"] = "rating:satisfaction"
    return body


def survey_answer(body):
    """The generated answer with the demo survey's answers, ratings and no team (a team must be one of its list)."""
    body = dict(body) if isinstance(body, dict) else {}
    body["answers"] = dict(SURVEY_ANSWERS)
    body["ratings"] = dict(SURVEY_RATINGS)
    body.pop("team", None)
    return body


@schemathesis.hook
def before_call(context, case, kwargs):
    path = case.operation.path
    if path in PERIOD_PATHS and is_positive(case):
        case.query = ordered_period(case.query)
    if path == "/api/v1/responses" and is_positive(case) and type(case.body).__name__ != "NotSet":
        case.body = survey_answer(case.body)
    if path == "/api/v1/epics/{id}" and is_positive(case):
        case.body = epic_change(case.body)
    if path != "/webhooks/github":
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
