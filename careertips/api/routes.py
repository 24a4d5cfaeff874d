"""The API at /api/v1/: every resource's router, errors as problems, the OpenAPI schema."""

from __future__ import annotations

from typing import Any

from ninja import NinjaAPI

from careertips.api import errors, writes
from careertips.api.auth import SessionAuth, TokenAuth
from careertips.api.endpoints import (
    agenda,
    coaching,
    debriefs,
    network,
    newsletter,
    offers,
    pipeline,
    stories,
)

DESCRIPTION = """Your job search and the practice's newsletter as JSON.

Authenticate with a personal access token from **Settings → API tokens**, sent as
`Authorization: Bearer ctk_…`. Every error is an RFC 9457 problem
(`application/problem+json`) naming the fields that caused it in `errors`."""

# Error answers every operation may give; documented once here rather than per operation.
PROBLEM_STATUSES = {
    "400": "The request could not be read.",
    "401": "No valid token or session.",
    "403": "The token lacks the scope this needs.",
    "404": "No such resource among yours.",
    "422": "Invalid input; `errors` names each field.",
    "429": "Too many requests; see Retry-After.",
}
# Stateful links: what an operation's answer lets a client (or Schemathesis) call next.
LINKS = {
    "createOpportunity": ["getOpportunity", "updateOpportunity", "moveOpportunity",
                          "scheduleInterview"],
    "createContact": ["getContact", "listTouchpoints", "logTouchpoint"],
    "createStory": ["getStory"],
    "scheduleInterview": ["getInterview"],
    "addSubscriber": ["unsubscribe"],
}  # fmt: skip


class CareerTipsAPI(NinjaAPI):
    def get_openapi_schema(self, **kwargs: Any) -> Any:
        schema = super().get_openapi_schema(**kwargs)
        schema["components"].setdefault("schemas", {})["Problem"] = (
            errors.Problem.model_json_schema(ref_template="#/components/schemas/{model}")
        )
        defs = schema["components"]["schemas"]["Problem"].pop("$defs", {})
        schema["components"]["schemas"].update(defs)
        for path in schema["paths"].values():
            for operation in path.values():
                _describe_problems(operation)
                _link(operation)
        return schema


def _describe_problems(operation: dict[str, Any]) -> None:
    problem = {"$ref": "#/components/schemas/Problem"}
    responses = operation.setdefault("responses", {})
    for status, description in PROBLEM_STATUSES.items():
        responses.pop(int(status), None)
        responses[status] = {
            "description": description,
            "content": {errors.PROBLEM_CONTENT_TYPE: {"schema": problem}},
        }


def _link(operation: dict[str, Any]) -> None:
    targets = LINKS.get(operation.get("operationId", ""), [])
    for status, response in operation.get("responses", {}).items():
        if targets and str(status).startswith("2"):
            response["links"] = {
                target: {"operationId": target, "parameters": {"pk": "$response.body#/id"}}
                for target in targets
            }


api = CareerTipsAPI(
    title="Career Tips API",
    version="1",
    description=DESCRIPTION,
    urls_namespace="api-v1",
    auth=[TokenAuth(), SessionAuth()],
    docs_url=None,
    openapi_url="/openapi.json",
)
errors.install(api)
# A write's rate count, change and page-cache version commit together (api/writes.py).
api.add_decorator(writes.count_refused, mode="view")
api.add_router("/opportunities", pipeline.router)
api.add_router("/interviews", pipeline.interviews)
api.add_router("/debriefs", debriefs.router)
api.add_router("/contacts", network.router)
api.add_router("/stories", stories.router)
api.add_router("/today", agenda.router)
api.add_router("/offers", offers.router)
api.add_router("/newsletter", newsletter.router)
api.add_router("/coaching", coaching.router)
