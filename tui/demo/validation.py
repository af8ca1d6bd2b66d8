"""Request-body validation as Helicone's tsoa layer does it, driven by the strict spec.

A port of tsoa's ValidationService (runtime/routeGeneration/templateHelpers.ts) with Helicone's
settings (`bodyCoercion: true`, `noImplicitAdditionalProperties: "throw-on-extras"`), reading the
schemas from the project's copy of the strict spec, so any endpoint in it validates:

    clean = validate_body("/v1/dashboard/scores/query", raw)   # raises Invalid(details)

`clean` is the body as tsoa hands it to the controller: numbers coerced (`"5"` -> 5.0, as
`validator.isFloat` + `toFloat` accept them: no spaces, underscores, Infinity or NaN), booleans
coerced (`"TRUE"`/`"false"` any case, and null -> false), enums and strings checked; key order is
the body's. Failures are tsoa's `details`: one entry per failing path (`requestBody.limit`), and a
union (a filter node) that matches no member is ONE entry whose message is tsoa's "Could not match
the union against any of the items. Issues: [...]" (capped at MESSAGE_CAP characters here).

How the spec maps to tsoa's model kinds (the spec does not say): a named object schema is an
interface (refObject: an extra key is its own entry `path.key`), except type aliases (names
`Partial_*`, `Pick_*`, `Record_*`, `Omit_*`, `*Branch`) and inline objects (nestedObjectLiteral:
extras are one entry at the object); a string enum of several members is a TypeScript literal union
(tsoa checks it as a union of one-member enums). Filter trees are walked with an explicit stack, so
any depth the body parser let through validates without recursion.
"""

from __future__ import annotations

import functools
import re
from pathlib import Path
from typing import Any

from tui.demo.jsontext import dumps, js_string
from tui.demo.jsvalues import js_keys
from tui.demo.tsoa_filters import (
    MESSAGE_CAP,
    MISSING,
    FilterTreeMixin,
    _Node,
    entry,
    union_message,
)
from tui.demo.validatorjs import INT, is_float, is_iso8601_strict, to_float

SPEC_PATH = Path(__file__).resolve().parents[1] / "api" / "spec" / "openapi.strict.yaml"
_ALIAS = re.compile(r"^(Partial_|Pick_|Record_|Omit_)|Branch$")


class Invalid(Exception):
    """A 422: `details` as tsoa's ValidateError.fields."""

    def __init__(self, details: dict[str, Any]) -> None:
        super().__init__("Validation Failed")
        self.details = details


@functools.cache
def _spec() -> dict[str, Any]:
    import yaml

    loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)  # libyaml when there: 10x faster
    return yaml.load(SPEC_PATH.read_text(encoding="utf-8"), Loader=loader)


def load_spec() -> None:
    """Read the spec now (the server calls this at start-up, not on the first request)."""
    _spec()


def body_schema(path: str) -> dict[str, Any]:
    """The request-body schema of POST `path` in the strict spec."""
    operation = _spec()["paths"][path]["post"]
    return operation["requestBody"]["content"]["application/json"]["schema"]


def validate_body(path: str, raw: Any) -> Any:
    """The body as tsoa passes it on, or Invalid with tsoa's details."""
    errors: dict[str, Any] = {}
    clean = _Validator(_spec()["components"]["schemas"]).param(
        body_schema(path), raw, "requestBody", "", errors, required=True)
    if errors:
        raise Invalid(errors)
    return clean


# --------------------------------------------------------------------------- tsoa


class _Validator(FilterTreeMixin):
    def __init__(self, schemas: dict[str, Any]) -> None:
        self.schemas = schemas
        #: noImplicitAdditionalProperties: "throw" (Helicone's), or "remove" (what tsoa uses
        #: for the members of an intersection)
        self.extras = "throw"

    # -- schema kinds --------------------------------------------------------------------

    def kind(self, schema: dict[str, Any]) -> tuple[str, dict[str, Any], str]:
        """(tsoa dataType, schema, component name) with aliases followed."""
        name = ""
        while "$ref" in schema:
            name = schema["$ref"].rsplit("/", 1)[-1]
            schema = self.schemas[name]
            if _is_object(schema) and not _ALIAS.search(name):
                return "refObject", schema, name
        if "anyOf" in schema or "oneOf" in schema:
            return "union", schema, name
        if "allOf" in schema:
            return "intersection", schema, name
        if "enum" in schema:
            return ("enum" if len(schema["enum"]) == 1 else "literals"), schema, name
        kind = schema.get("type", "")
        if kind == "string":
            fmt = schema.get("format", "")
            return {"date-time": "datetime", "date": "date"}.get(fmt, "string"), schema, name
        if kind in ("number", "integer", "boolean", "array"):
            return {"number": "double"}.get(kind, kind), schema, name
        if _is_object(schema):
            return "nestedObjectLiteral", schema, name
        return "any", schema, name

    def members(self, schema: dict[str, Any]) -> list[dict[str, Any]]:
        return list(schema.get("anyOf") or schema.get("oneOf") or [])

    def branch_index(self, union_name: str, members: list[dict[str, Any]]) -> int | None:
        """Which member is the and/or branch whose left/right are this union again."""
        if not union_name:
            return None
        for i, member in enumerate(members):
            _, target, _ = self.kind(member)
            props = target.get("properties", {})
            left = props.get("left", {}).get("$ref", "")
            if left.endswith("/" + union_name):
                return i
        return None

    # -- ValidateParam -------------------------------------------------------------------

    def param(self, schema: dict[str, Any], value: Any, name: str, parent: str,
              errors: dict[str, Any], required: bool = False) -> Any:
        if value is MISSING:
            if required:
                errors[parent + name] = entry(f"'{name}' is required")
            return MISSING
        if value is None and schema.get("nullable"):
            return None
        kind, target, component = self.kind(schema)
        path = parent + name
        if kind == "string":
            if not isinstance(value, str):
                errors[path] = entry("invalid string value", value)
                return MISSING
            return value
        if kind == "double":
            text = js_string(value)
            if not is_float(text):
                errors[path] = entry("invalid float number", value)
                return MISSING
            return to_float(text)
        if kind == "integer":
            text = js_string(value)
            if INT.fullmatch(text) is None:
                errors[path] = entry("invalid integer number", value)
                return MISSING
            return int(text)
        if kind == "boolean":
            if value is True or value is False:
                return value
            if value is None:
                return False
            text = js_string(value).lower()
            if text in ("true", "false"):
                return text == "true"
            errors[path] = entry("invalid boolean value", value)
            return MISSING
        if kind in ("datetime", "date"):
            text = js_string(value)
            if not is_iso8601_strict(text):
                message = ("invalid ISO 8601 datetime format, i.e. YYYY-MM-DDTHH:mm:ss"
                           if kind == "datetime" else
                           "invalid ISO 8601 date format, i.e. YYYY-MM-DD")
                errors[path] = entry(message, value)
                return MISSING
            return text  # tsoa makes it a Date: the SQL builder parses it as V8 would
        if kind == "enum":
            return self.enum(target["enum"], value, path, errors)
        if kind == "literals":
            members = [{"enum": [m]} for m in target["enum"]]
            return self.union(members, value, name, parent, errors)
        if kind == "union":
            members = self.members(target)
            branch = self.branch_index(component, members)
            if branch is not None:
                return self.filter_tree(members, branch, value, name, parent, errors)
            return self.union(members, value, name, parent, errors)
        if kind == "intersection":
            return self.intersection(target["allOf"], value, name, parent, errors)
        if kind == "array":
            return self.array(target, value, name, errors)
        if kind == "refObject":
            return self.model(target, value, path, errors)
        if kind == "nestedObjectLiteral":
            return self.nested(target, value, name, parent, errors)
        return value

    def enum(self, members: list[Any], value: Any, path: str, errors: dict[str, Any]) -> Any:
        text = js_string(value)
        for member in members:
            if js_string(member) == text:
                return member
        quoted = ",".join(f"'{m}'" if isinstance(m, str) else js_string(m) for m in members)
        errors[path] = entry(f"should be one of the following; [{quoted}]", value)
        return MISSING

    def union(self, members: list[dict[str, Any]], value: Any, name: str, parent: str,
              errors: dict[str, Any]) -> Any:
        issues: list[dict[str, Any]] = []
        for member in members:
            sub: dict[str, Any] = {}
            clean = self.param(member, value, name, parent, sub)
            issues.append(sub)
            if not sub:
                return clean
        errors[parent + name] = entry(union_message(issues), value)
        return MISSING

    def intersection(self, members: list[dict[str, Any]], value: Any, name: str, parent: str,
                     errors: dict[str, Any]) -> Any:
        """validateIntersection: every member, extras removed; then no key outside them all."""
        saved, self.extras = self.extras, "remove"
        clean: dict[str, Any] = {}
        issues: list[dict[str, Any]] = []
        try:
            for member in members:
                sub: dict[str, Any] = {}
                v = self.param(member, value, name, parent, sub)
                if sub:
                    issues.append(sub)
                elif isinstance(v, dict):
                    clean.update(v)
        finally:
            self.extras = saved
        path = parent + name
        if issues:
            errors[path] = entry("Could not match the intersection against every type. "
                                  f"Issues: {dumps(issues, MESSAGE_CAP)}", value)
            return MISSING
        keys: list[str] = []
        for member in members:
            props = self.kind(member)[1].get("properties") or {}
            keys.extend(k for k in props if k not in keys)
        if self.extras == "throw" and isinstance(value, dict) and any(
                k not in keys for k in value):
            errors[path] = entry("Could not match intersection against any of the possible "
                                  f"combinations: {dumps([keys])}", value)
            return MISSING
        return clean

    def array(self, schema: dict[str, Any], value: Any, name: str,
              errors: dict[str, Any]) -> Any:
        before = len(errors)
        items = schema.get("items", {})
        values = value if isinstance(value, list) else [value]  # bodyCoercion wraps one value
        # tsoa names items `$<index>` under `<name>.` (not under the full path).
        clean = [self.param(items, v, f"${i}", name + ".", errors) for i, v in enumerate(values)]
        return MISSING if len(errors) > before else clean

    def model(self, schema: dict[str, Any], value: Any, path: str,
              errors: dict[str, Any]) -> Any:
        """validateModel of a refObject (an interface)."""
        if not isinstance(value, dict):
            errors[path] = entry("invalid object", value)
            return MISSING
        before = len(errors)
        props: dict[str, Any] = schema.get("properties") or {}
        required = set(schema.get("required") or ())
        clean = dict(value)
        for key, prop in props.items():
            v = self.param(prop, value.get(key, MISSING), key, path + ".", errors,
                           key in required)
            if v is not MISSING:
                clean[key] = v
        extra = schema.get("additionalProperties", True)
        for key in js_keys(value):
            if key in props:
                continue
            if extra is False and self.extras == "remove":
                del clean[key]
            elif extra is False:
                errors[f"{path}.{key}"] = entry(
                    f'"{key}" is an excess property and therefore is not allowed', key)
            elif isinstance(extra, dict):
                v = self.param(extra, value[key], key, path + ".", errors)
                if v is MISSING:
                    errors[f"{path}.{key}"] = entry(
                        f"No matching model found in additionalProperties to validate {key}",
                        key)
                else:
                    clean[key] = v
        return MISSING if len(errors) > before else clean

    def nested(self, schema: dict[str, Any], value: Any, name: str, parent: str,
               errors: dict[str, Any], children: dict[str, _Node] | None = None) -> Any:
        """validateNestedObjectLiteral (an inline object or a type alias). `children`: the
        already validated filter nodes of a branch (left/right)."""
        path = parent + name
        if not isinstance(value, dict):
            errors[path] = entry("invalid object", value)
            return MISSING
        before = len(errors)
        props: dict[str, Any] = schema.get("properties") or {}
        required = set(schema.get("required") or ())
        extra = schema.get("additionalProperties")
        clean = dict(value)
        if not extra:
            excess = [k for k in js_keys(value) if k not in props]
            if excess and self.extras == "remove":
                for k in excess:
                    del clean[k]
            elif excess:
                errors[path] = entry(
                    f'"{",".join(excess)}" is an excess property and therefore is not allowed',
                    {k: value[k] for k in reversed(excess)})
        for key, prop in props.items():
            if children is not None and key in ("left", "right"):
                v = self.child(children.get(key), key, path + ".", errors, key in required)
            else:
                v = self.param(prop, value.get(key, MISSING), key, path + ".", errors,
                               key in required)
            if v is not MISSING:
                clean[key] = v
        if isinstance(extra, dict):
            for key in js_keys(value):
                if key not in props:
                    v = self.param(extra, value[key], key, path + ".", errors)
                    if v is not MISSING:
                        clean[key] = v
        return MISSING if len(errors) > before else clean

def _is_object(schema: dict[str, Any]) -> bool:
    return schema.get("type") == "object" or "properties" in schema
