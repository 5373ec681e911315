"""An Akeneo PIM REST API simulator on 127.0.0.1, following the design's API-NOTES.md.

    python3 akeneo_sim.py --catalog FILE.jsonl [--client-id ID --secret S --username U
        --password P] [--token-ttl SECONDS] [--attributes a,b,c] [--rate-limit N]
        [--max-concurrent N] [--port N]

Binds port 0 unless told otherwise and prints `port N` once listening. Serves:

- `POST /api/oauth/v1/token`: `Authorization: Basic base64(clientId:secret)`, JSON body
  `grant_type` password (`username`, `password`) or refresh_token (`refresh_token`) →
  `{access_token, expires_in, token_type: "bearer", scope: null, refresh_token}`. A refresh
  issues a new refresh token and invalidates the old one. Errors are 422 `{code, message}`
  with Akeneo's messages. Access tokens live `--token-ttl` seconds (3600).
- `GET /api/rest/v1/products-uuid`: the catalog's products ordered by uuid, with `search`,
  `search_locale`, `search_scope`, `scope`, `locales`, `attributes`, `with_count`,
  `with_completenesses`, `limit` (10 by default, at most 100) and both pagination types:
  `pagination_type=page` (the default; `page`, capped at 10,000 items) and
  `pagination_type=search_after` (an opaque `search_after` token in `_links.next.href`).
  Links are absolute; `next` is absent on the last page.
- `GET /api/rest/v1/products-uuid/{uuid}`, `GET /api/rest/v1/channels`,
  `GET /api/rest/v1/categories` (derived from the catalog).
- `PATCH /api/rest/v1/products` (`application/vnd.akeneo.collection+json`, at most 100
  lines keyed by `identifier`): one response line per product, 201 created, 204 updated,
  422 invalid (unknown attribute, wrong locale/scope use, unknown property), 400 not JSON.
  Received products are merged (values by attribute, locale and scope) and kept in memory.

Calls to `/api/rest/` need `Authorization: Bearer <access token>`; a missing, unknown or
expired token gets 401. With `--rate-limit N` more than N API requests in one second get 429
(`Retry-After: 1`); with `--max-concurrent N` a request beyond N in flight gets 429 too.

Control routes (sim_common.py): `/_sim/fail`, `/_sim/die-after`, `/_sim/hang`,
`/_sim/requests`, `/_sim/reset` (also forgets received products), plus `GET /_sim/received`
(products received by PATCH, keyed by identifier) and `POST /_sim/expire-tokens` (every
access token issued so far expires now).

Searches are evaluated as Akeneo does (akeneo_search.py); a wrong filter gets 422 with a message.
"""
import base64
import bisect
import collections
import hashlib
import hmac
import json
import os
import secrets
import sys
import time
import uuid as uuidlib
from urllib.parse import quote, urlencode

sys.dont_write_bytecode = True  # no __pycache__ beside the sources when importing the shared modules

import sim_common  # noqa: E402
from akeneo_search import ApiError, Search, unprocessable  # noqa: E402

COLLECTION = "application/vnd.akeneo.collection+json"
MAX_LIMIT = 100
MAX_PATCH_LINES = 100
PAGE_PAGINATION_CAP = 10000
PRODUCT_PROPERTIES = {"identifier", "uuid", "enabled", "family", "categories", "groups", "parent", "values",
                      "associations", "quantified_associations", "created", "updated", "metadata"}


# MARK: - Catalog


class Catalog:
    """The catalog file's products, kept as JSON text ordered by uuid (parsed on demand, so
    that large catalogs fit in memory), and what they tell about attributes, channels,
    locales, currencies, families and categories."""

    def __init__(self, path):
        rows = []
        self.identifiers = set()
        self.attributes = {}  # code -> {"localizable": bool, "scopable": bool}
        self.scopes, self.locales, self.currencies = set(), set(), set()
        self.families, self.categories = set(), set()
        if path:
            with open(path, encoding="utf-8") as file:
                for number, line in enumerate(file, 1):
                    if not line.strip():
                        continue
                    try:
                        product = json.loads(line)
                    except ValueError as error:
                        sys.exit("%s:%d: not JSON: %s" % (path, number, error))
                    if not product.get("uuid"):
                        # A catalog keyed by identifier only: a uuid derived from it.
                        product["uuid"] = str(uuidlib.uuid5(uuidlib.NAMESPACE_URL, "syndic:%s" % product.get("identifier")))
                        line = json.dumps(product, ensure_ascii=False, separators=(",", ":"))
                    rows.append((product["uuid"], line.rstrip("\n")))
                    self.learn(product)
        rows.sort()
        self.uuids = [row[0] for row in rows]
        self.lines = [row[1] for row in rows]
        self.index = {uuid: position for position, uuid in enumerate(self.uuids)}

    def learn(self, product):
        if isinstance(product.get("identifier"), str):
            self.identifiers.add(product["identifier"])
        if isinstance(product.get("family"), str):
            self.families.add(product["family"])
        self.categories.update(code for code in product.get("categories") or () if isinstance(code, str))
        for entry in product.get("completenesses") or ():
            if isinstance(entry, dict):
                self.scopes.add(entry.get("scope"))
                self.locales.add(entry.get("locale"))
        for code, entries in (product.get("values") or {}).items():
            info = self.attributes.setdefault(code, {"localizable": False, "scopable": False})
            for entry in entries if isinstance(entries, list) else ():
                if not isinstance(entry, dict):
                    continue
                if entry.get("locale") is not None:
                    info["localizable"] = True
                    self.locales.add(entry["locale"])
                if entry.get("scope") is not None:
                    info["scopable"] = True
                    self.scopes.add(entry["scope"])
                if isinstance(entry.get("data"), list):
                    self.currencies.update(item["currency"] for item in entry["data"]
                                           if isinstance(item, dict) and isinstance(item.get("currency"), str))
        self.scopes.discard(None)
        self.locales.discard(None)

    def __len__(self):
        return len(self.uuids)

    def product(self, position):
        return json.loads(self.lines[position])


# MARK: - State


class AkeneoState(sim_common.SimState):
    def __init__(self, args):
        super().__init__()
        self.catalog = Catalog(args.catalog)
        self.extra_attributes = {code.strip() for code in (args.attributes or "").split(",") if code.strip()}
        self.client_id, self.secret = args.client_id, args.secret
        self.username, self.password = args.username, args.password
        self.ttl = args.token_ttl
        self.rate_limit, self.max_concurrent = args.rate_limit, args.max_concurrent
        self.access_tokens = {}   # token -> expiry (epoch seconds)
        self.refresh_tokens = set()
        self.received = {}        # identifier -> merged product
        self.created_identifiers = set()
        self.count_cache = {}
        self.recent = collections.deque()
        self.in_flight = 0
        self.cursor_key = secrets.token_bytes(16)

    def reset(self):
        super().reset()
        with self.lock:
            self.received.clear()
            self.created_identifiers.clear()

    # MARK: Tokens

    def issue_tokens(self):
        with self.lock:
            access, refresh = secrets.token_urlsafe(48), secrets.token_urlsafe(48)
            self.access_tokens[access] = time.time() + self.ttl
            self.refresh_tokens.add(refresh)
            return {"access_token": access, "expires_in": self.ttl, "token_type": "bearer", "scope": None,
                    "refresh_token": refresh}

    def use_refresh_token(self, token):
        with self.lock:
            if token not in self.refresh_tokens:
                return False
            self.refresh_tokens.discard(token)
            return True

    def check_access(self, header):
        if not header.startswith("Bearer "):
            raise ApiError(401, "Authentication is required")
        with self.lock:
            expiry = self.access_tokens.get(header[7:].strip())
        if expiry is None:
            raise ApiError(401, "The access token provided is invalid.")
        if expiry <= time.time():
            raise ApiError(401, "The access token provided has expired.")

    def expire_tokens(self):
        with self.lock:
            for token in self.access_tokens:
                self.access_tokens[token] = 0

    # MARK: Limits

    def admit(self):
        """Counts a request against `--rate-limit` and `--max-concurrent`; False when over."""
        with self.lock:
            now = time.monotonic()
            if self.rate_limit:
                while self.recent and self.recent[0] <= now - 1:
                    self.recent.popleft()
                if len(self.recent) >= self.rate_limit:
                    return False
                self.recent.append(now)
            if self.max_concurrent and self.in_flight >= self.max_concurrent:
                return False
            self.in_flight += 1
            return True

    def release(self):
        with self.lock:
            self.in_flight -= 1

    # MARK: Cursors

    def cursor(self, uuid):
        """The opaque `search_after` token after `uuid`."""
        raw = uuid.encode()
        mac = hmac.new(self.cursor_key, raw, hashlib.sha256).digest()[:8]
        return base64.urlsafe_b64encode(mac + raw).decode().rstrip("=")

    def cursor_uuid(self, token):
        try:
            raw = base64.urlsafe_b64decode(token + "=" * (-len(token) % 4))
        except (ValueError, TypeError):
            raw = b""
        mac, uuid = raw[:8], raw[8:]
        if len(raw) <= 8 or not hmac.compare_digest(mac, hmac.new(self.cursor_key, uuid, hashlib.sha256).digest()[:8]):
            raise unprocessable('Parameter "search_after" is not valid: follow the "next" link of the previous page.')
        return uuid.decode()

    # MARK: Writing

    def known_attribute(self, code):
        return code in self.catalog.attributes or code in self.extra_attributes

    def upsert(self, line, text):
        """The response line of one PATCH line."""
        try:
            product = json.loads(text)
        except ValueError:
            return {"line": line, "status_code": 400, "message": "Invalid json message received"}
        if not isinstance(product, dict):
            return {"line": line, "status_code": 400, "message": "Invalid json message received"}
        identifier = product.get("identifier")
        if not isinstance(identifier, str) or not identifier.strip():
            return {"line": line, "status_code": 422, "message": "Identifier is missing."}
        reply = {"line": line, "identifier": identifier}
        for key in product:
            if key not in PRODUCT_PROPERTIES:
                return dict(reply, status_code=422, message='Property "%s" does not exist. Check the expected '
                            'format on the API documentation.' % key,
                            _links={"documentation": {"href": "http://api.akeneo.com/api-reference.html#patch_products"}})
        errors = self.validate(product)
        if errors:
            return dict(reply, status_code=422, message="Validation failed.", errors=errors)
        with self.lock:
            known = identifier in self.catalog.identifiers or identifier in self.received
            merged = self.received.get(identifier, {})
            for key, value in product.items():
                if key == "values":
                    values = merged.setdefault("values", {})
                    for code, entries in value.items():
                        kept = [entry for entry in values.get(code, [])
                                if not any(entry["locale"] == new.get("locale") and entry["scope"] == new.get("scope")
                                           for new in entries)]
                        values[code] = kept + [{"locale": new.get("locale"), "scope": new.get("scope"),
                                                "data": new.get("data")} for new in entries]
                elif key == "associations" and isinstance(value, dict):
                    merged.setdefault("associations", {}).update(value)
                else:
                    merged[key] = value
            self.received[identifier] = merged
        return dict(reply, status_code=204 if known else 201)

    def validate(self, product):
        """The validation errors of a PATCHed product (Akeneo's `errors` list)."""
        errors = []

        def error(prop, message, **extra):
            errors.append(dict({"property": prop, "message": message}, **extra))

        if "enabled" in product and not isinstance(product["enabled"], bool):
            error("enabled", 'Property "enabled" expects a boolean as data, "%s" given.' % json.dumps(product["enabled"]))
        if "family" in product and product["family"] is not None and not isinstance(product["family"], str):
            error("family", 'Property "family" expects a string as data.')
        for key in ("categories", "groups"):
            if key in product and not (isinstance(product[key], list) and all(isinstance(c, str) for c in product[key])):
                error(key, 'Property "%s" expects an array of strings as data.' % key)
        values = product.get("values", {})
        if not isinstance(values, dict):
            error("values", 'Property "values" expects an array as data.')
            return errors
        for code, entries in values.items():
            if not isinstance(entries, list) or not all(isinstance(e, dict) and "data" in e for e in entries):
                error("values", 'Property "values" expects, for "%s", an array of {locale, scope, data}.' % code,
                      attribute_code=code)
                continue
            if not self.known_attribute(code):
                for entry in entries:
                    error("values", 'The "%s" attribute does not exist in your PIM.' % code, attribute_code=code,
                          locale=entry.get("locale"), scope=entry.get("scope"))
                continue
            info = self.catalog.attributes.get(code)
            if info is None:
                continue  # known through --attributes only: its shape is not known
            for entry in entries:
                locale, scope = entry.get("locale"), entry.get("scope")
                where = {"attribute_code": code, "locale": locale, "scope": scope}
                if info["localizable"] and locale is None:
                    error("values", 'Attribute "%s" expects a locale, none given.' % code, **where)
                elif not info["localizable"] and locale is not None:
                    error("values", 'Attribute "%s" does not expect a locale, "%s" given.' % (code, locale), **where)
                if info["scopable"] and scope is None:
                    error("values", 'Attribute "%s" expects a scope, none given.' % code, **where)
                elif not info["scopable"] and scope is not None:
                    error("values", 'Attribute "%s" does not expect a scope, "%s" given.' % (code, scope), **where)
        return errors


# MARK: - Handler


class AkeneoHandler(sim_common.SimHandler):

    def fault_reply(self, status, retry_after):
        headers = [("Retry-After", str(retry_after))] if status in (429, 503) else []
        message = {429: "Too many requests", 500: "Internal server error", 503: "Service unavailable"}.get(
            status, self.responses.get(status, ("Error",))[0])
        self.send_json(status, {"code": status, "message": message}, headers)

    def api_error(self, error):
        self.send_json(error.status, {"code": error.status, "message": error.message})

    def admit(self):
        if self.state.admit():
            return True
        self.send_json(429, {"code": 429, "message": "Too many requests"}, [("Retry-After", "1")])
        return False

    def release(self):
        self.state.release()

    def route(self, method, path, params, body):
        try:
            self.dispatch(method, path, {key: values[-1] for key, values in params.items()}, body)
        except ApiError as error:
            self.api_error(error)

    def dispatch(self, method, path, params, body):
        path = path.rstrip("/") or "/"
        routes = {
            "/api/oauth/v1/token": {"POST": lambda: self.token(body)},
            "/api/rest/v1/products-uuid": {"GET": lambda: self.list_products(params)},
            "/api/rest/v1/products": {"PATCH": lambda: self.patch_products(body)},
            "/api/rest/v1/channels": {"GET": lambda: self.list_simple(params, self.channels())},
            "/api/rest/v1/categories": {"GET": lambda: self.list_simple(params, self.categories())},
        }
        prefix = "/api/rest/v1/products-uuid/"
        if path.startswith(prefix) and "/" not in path[len(prefix):]:
            routes[path] = {"GET": lambda: self.get_product(path[len(prefix):], params)}
        methods = routes.get(path)
        if methods is None:
            raise ApiError(404, 'No route found for "%s %s"' % (method, path))
        if method not in methods:
            raise ApiError(405, 'No route found for "%s %s": Method Not Allowed (Allow: %s)'
                           % (method, path, ", ".join(sorted(methods))))
        if path.startswith("/api/rest/"):
            self.state.check_access(self.headers.get("Authorization") or "")
        methods[method]()

    # MARK: Token

    def token(self, body):
        state = self.state
        header = self.headers.get("Authorization") or ""
        try:
            client = base64.b64decode(header[6:].strip(), validate=True).decode() if header.startswith("Basic ") else ""
        except (ValueError, UnicodeDecodeError):
            client = ""
        if client != "%s:%s" % (state.client_id, state.secret):
            raise unprocessable('Parameter "client_id" is missing or does not match any client, or secret is invalid')
        try:
            request = json.loads(body or b"{}")
        except ValueError:
            request = None
        if not isinstance(request, dict):
            raise ApiError(400, "Invalid json message received")
        grant = request.get("grant_type")
        if grant == "password":
            if not request.get("username") or not request.get("password"):
                raise unprocessable('Parameter "grant_type", "username" or "password" is missing, empty or invalid')
            if (request["username"], request["password"]) != (state.username, state.password):
                raise unprocessable("No user found for the given username and password")
        elif grant == "refresh_token":
            if not request.get("refresh_token"):
                raise unprocessable('Parameter "refresh_token" is missing, empty or invalid')
            if not state.use_refresh_token(request["refresh_token"]):
                raise unprocessable("Refresh token is invalid or has expired")
        else:
            raise unprocessable('Parameter "grant_type", "username" or "password" is missing, empty or invalid')
        self.send_json(200, state.issue_tokens())

    # MARK: Products

    def list_products(self, params):
        catalog = self.state.catalog
        limit = self.limit(params)
        pagination = params.get("pagination_type", "page")
        if pagination not in ("page", "search_after"):
            raise unprocessable('Pagination type does not exist.')
        search = Search(params.get("search"), catalog, params.get("search_locale"), params.get("search_scope"))
        view = self.view(params)
        base = self.base_url() + "/api/rest/v1/products-uuid"
        kept = {key: value for key, value in params.items() if key not in ("search_after", "page")}

        def href(**extra):
            return base + "?" + urlencode(dict(kept, **extra), quote_via=quote)

        if pagination == "search_after":
            start = 0
            if params.get("search_after"):
                start = bisect.bisect_right(catalog.uuids, self.state.cursor_uuid(params["search_after"]))
            items, more = self.scan(search, start, 0, limit)
            links = {"self": {"href": href(**({"search_after": params["search_after"]} if "search_after" in params else {}))},
                     "first": {"href": href()}}
            if more and items:
                links["next"] = {"href": href(search_after=self.state.cursor(items[-1]["uuid"]))}
            envelope = {"_links": links}
        else:
            page = self.positive(params, "page", 1)
            if (page - 1) * limit >= PAGE_PAGINATION_CAP:
                raise unprocessable('You have reached the maximum number of pages you can retrieve with the "page" '
                                    'pagination type. Please use the search after pagination type instead')
            items, more = self.scan(search, 0, (page - 1) * limit, limit)
            links = {"self": {"href": href(page=page)}, "first": {"href": href(page=1)}}
            if page > 1:
                links["previous"] = {"href": href(page=page - 1)}
            if more:
                links["next"] = {"href": href(page=page + 1)}
            envelope = {"_links": links, "current_page": page}
        if params.get("with_count") == "true":
            envelope["items_count"] = self.count(search, params.get("search"))
        envelope["_embedded"] = {"items": [self.render(item, view) for item in items]}
        self.send_json(200, envelope)

    def scan(self, search, start, skip, limit):
        """Up to `limit` matching products from position `start` after skipping `skip` matches,
        and whether another match follows."""
        catalog = self.state.catalog
        items = []
        for position in range(start, len(catalog)):
            product = catalog.product(position)
            if not search(product):
                continue
            if skip:
                skip -= 1
            elif len(items) == limit:
                return items, True
            else:
                items.append(product)
        return items, False

    def count(self, search, text):
        key = text or ""
        with self.state.lock:
            if key in self.state.count_cache:
                return self.state.count_cache[key]
        catalog = self.state.catalog
        total = sum(1 for position in range(len(catalog)) if search(catalog.product(position)))
        if "SINCE LAST" not in key:
            with self.state.lock:
                self.state.count_cache[key] = total
        return total

    def get_product(self, uuid, params):
        position = self.state.catalog.index.get(uuid)
        if position is None:
            raise ApiError(404, 'Product "%s" does not exist or you do not have permission to access it.' % uuid)
        self.send_json(200, self.render(self.state.catalog.product(position), self.view(params)))

    def limit(self, params):
        limit = self.positive(params, "limit", 10)
        if limit > MAX_LIMIT:
            raise unprocessable("You cannot request more than %d items." % MAX_LIMIT)
        return limit

    @staticmethod
    def positive(params, name, default):
        text = params.get(name)
        if text is None:
            return default
        if not text.isdigit() or int(text) < 1:
            raise unprocessable('"%s" is not a valid %s number.' % (text, name) if name == "page" else
                                'The value "%s" is not valid for the parameter "%s". It should be a positive integer.'
                                % (text, name))
        return int(text)

    def view(self, params):
        """What to keep of each product: (scope, locales, attributes, with completenesses)."""
        catalog = self.state.catalog
        scope = params.get("scope") or None
        if scope and catalog.scopes and scope not in catalog.scopes:
            raise unprocessable('Scope "%s" does not exist.' % scope)
        locales = [code for code in (params.get("locales") or "").split(",") if code] or None
        unknown = [code for code in locales or () if catalog.locales and code not in catalog.locales]
        if unknown:
            raise unprocessable('Locales "%s" do not exist or are not activated.' % ",".join(unknown))
        attributes = [code for code in (params.get("attributes") or "").split(",") if code] or None
        unknown = [code for code in attributes or () if not self.state.known_attribute(code)]
        if unknown:
            raise unprocessable('Attributes "%s" do not exist.' % ",".join(unknown))
        return scope, locales, attributes, params.get("with_completenesses") == "true"

    def render(self, product, view):
        scope, locales, attributes, with_completenesses = view
        out = {"_links": {"self": {"href": self.base_url() + "/api/rest/v1/products-uuid/" + product["uuid"]}}}
        for key, value in product.items():
            if key in ("completenesses", "completeness"):
                if not with_completenesses:
                    continue
                value = [entry for entry in value if isinstance(entry, dict)
                         and (scope is None or entry.get("scope") == scope)
                         and (locales is None or entry.get("locale") in locales)]
            elif key == "values" and isinstance(value, dict):
                value = {code: [entry for entry in entries
                                if (scope is None or entry.get("scope") in (None, scope))
                                and (locales is None or entry.get("locale") is None or entry.get("locale") in locales)]
                         for code, entries in value.items() if attributes is None or code in attributes}
                value = {code: entries for code, entries in value.items() if entries}
            out[key] = value
        return out

    def patch_products(self, body):
        content_type = (self.headers.get("Content-Type") or "").split(";")[0].strip()
        if content_type != COLLECTION:
            raise ApiError(415, '"%s" in "Content-Type" header is not valid. Only "%s" is allowed.'
                           % (content_type, COLLECTION))
        lines = [(number, text) for number, text in enumerate(body.decode("utf-8", "replace").split("\n"), 1)
                 if text.strip()]
        if len(lines) > MAX_PATCH_LINES:
            raise ApiError(413, "Too many resources to process, %d is the maximum allowed." % MAX_PATCH_LINES)
        replies = [self.state.upsert(number, text) for number, text in lines]
        data = "\n".join(json.dumps(reply, ensure_ascii=False, separators=(",", ":")) for reply in replies)
        self.send_bytes(200, data.encode("utf-8"), COLLECTION)

    # MARK: Channels and categories

    def channels(self):
        catalog = self.state.catalog
        return [{"code": scope, "currencies": sorted(catalog.currencies), "locales": sorted(catalog.locales),
                 "category_tree": "master", "conversion_units": {}, "labels": {}} for scope in sorted(catalog.scopes)]

    def categories(self):
        codes = sorted(self.state.catalog.categories)
        return [{"code": "master", "parent": None, "labels": {}}] + \
            [{"code": code, "parent": "master", "labels": {}} for code in codes]

    def list_simple(self, params, entities):
        """A page-paginated list of small entities."""
        limit = self.limit(params)
        page = self.positive(params, "page", 1)
        base = self.base_url() + self.path.split("?")[0]
        kept = {key: value for key, value in params.items() if key != "page"}

        def href(number):
            return base + "?" + urlencode(dict(kept, page=number), quote_via=quote)

        items = entities[(page - 1) * limit: page * limit]
        links = {"self": {"href": href(page)}, "first": {"href": href(1)}}
        if page > 1:
            links["previous"] = {"href": href(page - 1)}
        if page * limit < len(entities):
            links["next"] = {"href": href(page + 1)}
        envelope = {"_links": links, "current_page": page}
        if params.get("with_count") == "true":
            envelope["items_count"] = len(entities)
        envelope["_embedded"] = {"items": items}
        self.send_json(200, envelope)

    # MARK: Control

    def control(self, method, name, body):
        if method == "GET" and name == "received":
            with self.state.lock:
                self.send_json(200, dict(self.state.received))
        elif method == "POST" and name == "expire-tokens":
            self.state.expire_tokens()
            self.send_json(200, {"ok": True})
        else:
            return super().control(method, name, body)
        return True


def main():
    parser = sim_common.argument_parser("Akeneo PIM REST API simulator.")
    parser.add_argument("--catalog", help="JSON-lines file of Akeneo-format products (default: none)")
    parser.add_argument("--client-id", default="syndic_client", help="OAuth client id (default syndic_client)")
    parser.add_argument("--secret", default="syndic_secret", help="OAuth client secret (default syndic_secret)")
    parser.add_argument("--username", default="syndic", help="API user (default syndic)")
    parser.add_argument("--password", default="syndic_password", help="API user's password (default syndic_password)")
    parser.add_argument("--token-ttl", type=int, default=3600, help="access token lifetime in seconds (default 3600)")
    parser.add_argument("--attributes", help="more attribute codes PATCH accepts, comma-separated")
    parser.add_argument("--rate-limit", type=int, default=0, help="API requests per second before 429 (default: no limit)")
    parser.add_argument("--max-concurrent", type=int, default=0, help="API requests in flight before 429 (default: no limit)")
    args = parser.parse_args()
    if args.catalog and not os.path.isfile(args.catalog):
        parser.error("--catalog %s: no such file" % args.catalog)
    sim_common.serve(AkeneoHandler, lambda: AkeneoState(args), args.port)


if __name__ == "__main__":
    main()
