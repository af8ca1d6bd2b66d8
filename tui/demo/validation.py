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
from tui.demo.sql import js_keys
from tui.demo.validatorjs import INT, is_float, is_iso8601_strict, to_float

SPEC_PATH = Path(__file__).resolve().parents[1] / "api" / "spec" / "openapi.strict.yaml"
#: A union failure's message is cut here (tsoa's nests its members' messages, escaped, at every
#: level of a filter tree: it grows exponentially with depth).
MESSAGE_CAP = 8192
_UNION = "Could not match the union against any of the items. Issues: "
_ALIAS = re.compile(r"^(Partial_|Pick_|Record_|Omit_)|Branch$")


class _Missing:
    """JavaScript's undefined: a key that is absent."""

    def __repr__(self) -> str:
        return "undefined"


MISSING: Any = _Missing()


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


def _entry(message: str, value: Any = MISSING) -> dict[str, Any]:
    return {"message": message} if value is MISSING else {"message": message, "value": value}


def _union_message(issues: list[dict[str, Any]]) -> str:
    text = dumps(issues, MESSAGE_CAP)
    if len(text) >= MESSAGE_CAP:
        text += "…"
    return _UNION + text


class _Node:
    """One node of a filter tree on the explicit stack."""

    __slots__ = ("anchor", "children", "clean", "depth", "message", "name", "parent", "prefix",
                 "value")

    #: Every this many levels a node keeps its full path, so a path costs at most this many
    #: steps up and a deep chain never holds a path per level.
    ANCHOR = 64

    def __init__(self, value: Any, name: str, parent: _Node | None, prefix: str = "") -> None:
        self.value, self.name, self.parent, self.prefix = value, name, parent, prefix
        self.depth = 0 if parent is None else parent.depth + 1
        self.children: dict[str, _Node] = {}
        self.clean: Any = MISSING
        self.message: str | None = None
        self.anchor: str | None = None
        if self.depth % self.ANCHOR == 0:
            self.anchor = self.path()

    def path(self) -> str:
        if self.anchor is not None:
            return self.anchor
        if self.parent is None:
            return self.prefix + self.name
        names = [self.name]
        node = self.parent
        while node.anchor is None and node.parent is not None:
            names.append(node.name)
            node = node.parent
        base = node.anchor if node.anchor is not None else node.prefix + node.name
        return base + "." + ".".join(reversed(names))

    def path_prefix(self) -> str:
        """tsoa's `parent` argument for this node."""
        return self.prefix if self.parent is None else self.parent.path() + "."


class _Validator:
    def __init__(self, schemas: dict[str, Any]) -> None:
        self.schemas = schemas

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
        if "enum" in schema:
            return ("enum" if len(schema["enum"]) == 1 else "literals"), schema, name
        kind = schema.get("type")
        if kind == "string":
            fmt = schema.get("format")
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
                errors[parent + name] = _entry(f"'{name}' is required")
            return MISSING
        if value is None and schema.get("nullable"):
            return None
        kind, target, component = self.kind(schema)
        path = parent + name
        if kind == "string":
            if not isinstance(value, str):
                errors[path] = _entry("invalid string value", value)
                return MISSING
            return value
        if kind == "double":
            text = js_string(value)
            if not is_float(text):
                errors[path] = _entry("invalid float number", value)
                return MISSING
            return to_float(text)
        if kind == "integer":
            text = js_string(value)
            if INT.fullmatch(text) is None:
                errors[path] = _entry("invalid integer number", value)
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
            errors[path] = _entry("invalid boolean value", value)
            return MISSING
        if kind in ("datetime", "date"):
            text = js_string(value)
            if not is_iso8601_strict(text):
                message = ("invalid ISO 8601 datetime format, i.e. YYYY-MM-DDTHH:mm:ss"
                           if kind == "datetime" else
                           "invalid ISO 8601 date format, i.e. YYYY-MM-DD")
                errors[path] = _entry(message, value)
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
        errors[path] = _entry(f"should be one of the following; [{quoted}]", value)
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
        errors[parent + name] = _entry(_union_message(issues), value)
        return MISSING

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
            errors[path] = _entry("invalid object", value)
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
            if extra is False:
                errors[f"{path}.{key}"] = _entry(
                    f'"{key}" is an excess property and therefore is not allowed', key)
            elif isinstance(extra, dict):
                v = self.param(extra, value[key], key, path + ".", errors)
                if v is MISSING:
                    errors[f"{path}.{key}"] = _entry(
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
            errors[path] = _entry("invalid object", value)
            return MISSING
        before = len(errors)
        props: dict[str, Any] = schema.get("properties") or {}
        required = set(schema.get("required") or ())
        extra = schema.get("additionalProperties")
        if not extra:
            excess = [k for k in js_keys(value) if k not in props]
            if excess:
                errors[path] = _entry(
                    f'"{",".join(excess)}" is an excess property and therefore is not allowed',
                    {k: value[k] for k in reversed(excess)})
        clean = dict(value)
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

    def child(self, node: _Node | None, key: str, prefix: str, errors: dict[str, Any],
              required: bool) -> Any:
        if node is None:
            if required:
                errors[prefix + key] = _entry(f"'{key}' is required")
            return MISSING
        if node.message is not None:
            errors[prefix + key] = _entry(node.message, node.value)
            return MISSING
        return node.clean

    # -- filter trees, without recursion ---------------------------------------------------

    def filter_tree(self, members: list[dict[str, Any]], branch: int, value: Any, name: str,
                    parent: str, errors: dict[str, Any]) -> Any:
        """validateUnion over a filter node, each member in order, post-order over branches."""
        _, branch_schema, _ = self.kind(members[branch])
        root = _Node(value, name, None, parent)
        stack: list[tuple[_Node, bool]] = [(root, False)]
        while stack:
            node, expanded = stack.pop()
            if not expanded:
                if self._before_branch(members[:branch], node):
                    continue
                stack.append((node, True))
                if isinstance(node.value, dict):
                    for key in ("right", "left"):
                        if key in node.value:
                            child = _Node(node.value[key], key, node)
                            node.children[key] = child
                            stack.append((child, False))
                continue
            # Paths are only needed for errors: try without, redo with them on a failure.
            sub: dict[str, Any] = {}
            clean = self.nested(branch_schema, node.value, node.name, "", sub,
                                children=node.children)
            if not sub:
                node.clean = clean
                node.children = {}  # done with them: free the subtree's results
                continue
            prefix = node.path_prefix()
            sub = {}
            self.nested(branch_schema, node.value, node.name, prefix, sub,
                        children=node.children)
            node.children = {}
            issues = [*self._leaf_issues(members[:branch], node, prefix), sub]
            for member in members[branch + 1:]:
                tail: dict[str, Any] = {}
                clean = self.param(member, node.value, node.name, prefix, tail)
                issues.append(tail)
                if not tail:
                    node.clean = clean
                    break
            else:
                node.message = _union_message(issues)
        if root.message is not None:
            errors[parent + name] = _entry(root.message, value)
            return MISSING
        return root.clean

    def _before_branch(self, members: list[dict[str, Any]], node: _Node) -> bool:
        """Try the members before the branch (the leaf); True when one matched. Their issues
        are not kept (a long chain would hold one per pending branch): `_leaf_issues` redoes
        them for a node that fails."""
        for member in members:
            sub: dict[str, Any] = {}
            clean = self.param(member, node.value, node.name, "", sub)  # errors not kept
            if not sub:
                node.clean = clean
                return True
        return False

    def _leaf_issues(self, members: list[dict[str, Any]], node: _Node,
                     prefix: str) -> list[dict[str, Any]]:
        issues = []
        for member in members:
            sub: dict[str, Any] = {}
            self.param(member, node.value, node.name, prefix, sub)
            issues.append(sub)
        return issues


def _is_object(schema: dict[str, Any]) -> bool:
    return schema.get("type") == "object" or "properties" in schema
