"""An Akeneo PIM REST API simulator on 127.0.0.1.

    python3 akeneo_sim.py --catalog FILE.jsonl [--client-id ID --secret S --username U
        --password P] [--token-ttl SECONDS] [--attributes a,b,c] [--attribute-types FILE.json]
        [--version N | --legacy] [--rate-limit N] [--max-concurrent N] [--timezone +HH:MM]
        [--clock-offset SECONDS] [--page-delay MS] [--port N]

Binds port 0 unless told otherwise and prints `port N` once listening. Defaults: client
`syndic_client` / `syndic_secret`, user `syndic` / `syndic_password`. Serves:

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
  `with_count=true` adds `items_count` (how many products the search selects) to page
  pagination only: Akeneo's pagination reference says that with `search_after` "the
  `with_count` parameter is unavailable", so it is ignored there. A count costs little (the
  light index below), so `pagination_type=page&limit=1&with_count=true` is the cheap count
  Akeneo clients use. Links are absolute; `next` is absent on the last page.
  `GET /api/rest/v1/products-uuid/{uuid}`.
- `GET /api/rest/v1/products`: the same parameters and answers, ordered by identifier
  (products without one are left out); items are `{_links: {self: …/products/{identifier}},
  uuid, identifier, …}`; the `search_after` token holds an identifier.
  `GET /api/rest/v1/products/{identifier}` (404 `Product "x" does not exist or you do not
  have permission to access it.`).
- `GET /api/rest/v1/attributes` (`search` on `code` and `type` with `IN`, `updated` with `>`
  and an ISO 8601 date-time; `page`, `limit`, `with_count`; ordered by code, page links) and
  `GET /api/rest/v1/attributes/{code}` (404 `Attribute "x" does not exist.`). A bad `search`
  gets 400 with the message of Akeneo's attribute repository.
- `GET /api/rest/v1/channels`, `GET /api/rest/v1/categories` (derived from the catalog).
- `PATCH /api/rest/v1/products` (`application/vnd.akeneo.collection+json`, at most 100
  lines keyed by `identifier`): 200 with one response line per product: 201 created, 204
  updated, 400 not JSON, 422 refused. A refusal by the product updater (unknown property,
  unknown attribute, data of the wrong type for the attribute, `enabled` not a boolean) is
  `{line, identifier, status_code: 422, message: "<…> Check the expected format on the API
  documentation.", _links: {documentation: {href}}}`; a refusal by validation (locale or scope
  given to an attribute that does not take it or missing where needed, a number that is not
  one, a decimal where decimals are not allowed, a value under 0 where negatives are not
  allowed, below `number_min` or above `number_max`) is `{…, message: "Validation failed.",
  errors: [{property: "values", message, attribute, locale, scope}]}`. Each line stands
  alone. Accepted products are merged (values by attribute, locale and scope) and kept in
  memory.

Attributes: those of the catalog's values, typed from their data (prices → price collection,
`{amount, unit}` → metric, booleans → boolean, arrays of strings → multiselect, JSON numbers
or decimal strings such as "12.5000" → number, YYYY-MM-DD dates → date, arrays of objects →
table, other text → text, or textarea when a value has a line break or more than 255
characters), the `--attributes` codes (text), then `--attribute-types` FILE.json, `{"code":
"pim_catalog_…"}` or `{"code": {"type": …, "localizable", "scopable", "decimals_allowed",
"negative_allowed", "metric_family", "default_metric_unit", "number_min", "number_max",
"labels", "group", …}}`, over both; plus the identifier attribute `sku` unless one is typed
`pim_catalog_identifier`. Localizable and scopable are learned from the catalog's values (or
set by the file); they are not enforced for `--attributes` codes the catalog and the file do
not describe.

`--version N` (default 7) is the PIM's major version; `--legacy` is `--version 6`. Before 7
there is no `/products-uuid` route (`GET /api/rest/v1/products-uuid` → 404 `{"code":404,
"message":"No route found for \\"GET http://host:port/api/rest/v1/products-uuid\\""}`, before
authentication, as for any unknown route), `/products` items have no `uuid`, a `uuid` search
filter is refused (422) and a PATCHed `uuid` property is unknown.

Calls to `/api/rest/` need `Authorization: Bearer <access token>`; a missing, unknown or
expired token gets 401. With `--rate-limit N` more than N API requests in one second get 429
(`Retry-After: 1`); with `--max-concurrent N` a request beyond N in flight gets 429 too
(Akeneo's fair-usage rules: up to 4 concurrent calls per connection, 429 with `Retry-After`
beyond). A request counts as in flight from its admission until its reply starts, so a client
sending its next request once it has a reply is never counted twice. `--page-delay MS` makes
every products list request (`/products-uuid` and `/products`) wait MS milliseconds before
it is answered, in flight, without holding up other requests (the server is threaded).

Time: `--timezone +HH:MM` (default +00:00, as Akeneo SaaS) is the server's time zone. Akeneo's
filter reference: dates of `created` / `updated` filters ("YYYY-MM-DD hh:mm:ss") "are
interpreted in the time zone of the server"; they are read in it here, and products'
`created` / `updated` are rendered with its offset. Comparisons are at whole seconds (`=`
matches that exact second). `--clock-offset SECONDS` sets the server's clock to the real one
plus SECONDS: the `Date` header of every reply (IMF-fixdate, GMT), "now" for changed products
and `SINCE LAST N DAYS` follow it; tokens expire by the real clock.

Products are searched and counted on a light index: per product its uuid, identifier,
enabled, family, categories, groups, parent, created and updated (seconds) and completeness
by scope and locale, so that conditions on those parse no product; only attribute conditions
read the products that pass them. Counts are cached per catalog version; a search bounding
`created` (or `updated`) is counted by bisecting the sorted times of the products passing its
other conditions (cached), so that a client splitting the catalog into `created` ranges can
probe counts cheaply.

Control routes (sim_common.py): `/_sim/fail`, `/_sim/die-after`, `/_sim/hang`,
`/_sim/requests`, `/_sim/reset` (also forgets received products and the next-link host),
plus `GET /_sim/received` (products received by PATCH, keyed by identifier), `POST
/_sim/expire-tokens` (every access token issued so far expires now) and `POST
/_sim/next-link-host` `{"host": "evil.example:80"}` (every `_links.next.href` from now on
points at that host and port instead of this server, path and query kept, as a PIM behind
a misconfigured proxy or a hostile one would; `{"host": null}` goes back to this server).
`/_sim/reset` also serves the catalog file's products again, drops pending changes and
resets the stats.

The catalog changing under a client (control routes; a change applies at once, or, with
`"after_requests": K`, just before the K-th API request from now whose path starts with
`"path_prefix"` (default `/api/rest/v1/products`, both product routes) reaches the API — one
refused by a fault or a limit does not count; the answer then has `"after_requests": K`):
- `POST /_sim/update-products` `{"identifiers": [...]}` or `{"count": N, "seed": S}` (N
  products drawn with the seed), optional `"updated": "YYYY-MM-DD hh:mm:ss"` (server time;
  default: the server's clock when applied) → `{"updated": [identifiers, sorted]}`. Every
  `name` value (all locales and scopes) gets a new text (" (v2)" appended, then " (v3)"…)
  and `updated` the stamp; searches, counts and reads see it.
- `POST /_sim/create-products` `{"count": N, "seed"?: S}` → `{"created": ["NEW-000001", …],
  "uuids": [...]}`: copies of drawn products with new identifiers and uuids, created and
  updated at the server's clock.
- `POST /_sim/delete-products` `{"identifiers": [...]}` → `{"deleted": [identifiers]}`.
Unknown identifiers or bad values get 400 `{"error"}`.

Stats of the products list and token requests: `GET /_sim/stats` → `{"max_in_flight",
"refused_429" (429s answered to them: limits and injected faults), "in_flight", "requests"}`,
`POST /_sim/stats/reset` (keeps the requests still in flight).

Time passing: `POST /_sim/clock {"advance": SECONDS}` moves the server's clock forward
(`Date` headers, change stamps, `SINCE LAST N DAYS`) → `{"clock_offset": total}`.

Searches are evaluated as Akeneo does (akeneo_search.py); a wrong filter gets 422 with a message.
"""
import base64
import bisect
import collections
import copy
import hashlib
import hmac
import itertools
import json
import math
import os
import random
import re
import secrets
import sys
import threading
import time
import uuid as uuidlib
from datetime import datetime, timedelta, timezone
from urllib.parse import quote, unquote, urlencode, urlsplit

sys.dont_write_bytecode = True  # no __pycache__ beside the sources when importing the shared modules

import sim_common  # noqa: E402
from akeneo_search import (COMPLETENESS, IDENTIFIER as IDENTIFIER_COLUMN, LIGHT, ApiError, Search,  # noqa: E402
                           derived_value, light_record, parse_server_time, unprocessable)

COLLECTION = "application/vnd.akeneo.collection+json"
MAX_LIMIT = 100
MAX_PATCH_LINES = 100
PAGE_PAGINATION_CAP = 10000
PRODUCT_PROPERTIES = {"identifier", "uuid", "enabled", "family", "categories", "groups", "parent", "values",
                      "associations", "quantified_associations", "created", "updated", "metadata"}
PATCH_DOCUMENTATION = "http://api.akeneo.com/api-reference.html#patch_products__code_"
CHECK_FORMAT = " Check the expected format on the API documentation."

# MARK: - Attribute types

IDENTIFIER = "pim_catalog_identifier"
TEXT = "pim_catalog_text"
TEXTAREA = "pim_catalog_textarea"
NUMBER = "pim_catalog_number"
BOOLEAN = "pim_catalog_boolean"
SIMPLESELECT = "pim_catalog_simpleselect"
MULTISELECT = "pim_catalog_multiselect"
PRICE = "pim_catalog_price_collection"
METRIC = "pim_catalog_metric"
DATE = "pim_catalog_date"
FILE = "pim_catalog_file"
IMAGE = "pim_catalog_image"
REFERENCE_SIMPLESELECT = "pim_reference_data_simpleselect"
REFERENCE_MULTISELECT = "pim_reference_data_multiselect"
ASSET_COLLECTION = "pim_catalog_asset_collection"
REFERENCE_ENTITY = "akeneo_reference_entity"
REFERENCE_ENTITY_COLLECTION = "akeneo_reference_entity_collection"
TABLE = "pim_catalog_table"
PRODUCT_LINK = "pim_catalog_product_link"

STRING_TYPES = {IDENTIFIER, TEXT, TEXTAREA, SIMPLESELECT, REFERENCE_SIMPLESELECT, REFERENCE_ENTITY, FILE, IMAGE}
CODE_LIST_TYPES = {MULTISELECT, REFERENCE_MULTISELECT, ASSET_COLLECTION, REFERENCE_ENTITY_COLLECTION}
ATTRIBUTE_TYPES = STRING_TYPES | CODE_LIST_TYPES | {NUMBER, BOOLEAN, PRICE, METRIC, DATE, TABLE, PRODUCT_LINK}
# The attribute reference of the API documentation spells the reference data types this way.
TYPE_ALIASES = {"pim_catalog_reference_data_simple_select": REFERENCE_SIMPLESELECT,
                "pim_catalog_reference_data_multi_select": REFERENCE_MULTISELECT}
SPEC_KEYS = {"type", "localizable", "scopable", "decimals_allowed", "negative_allowed", "metric_family",
             "default_metric_unit", "number_min", "number_max", "labels", "group", "group_labels", "unique",
             "available_locales", "reference_data_name", "allowed_extensions", "max_characters", "sort_order",
             "useable_as_grid_filter", "wysiwyg_enabled", "default_value"}

# Measurement families of Akeneo's standard configuration, by unit code (to guess a metric's family).
METRIC_FAMILIES = {
    "Weight": "MILLIGRAM GRAM KILOGRAM TON GRAIN DENIER ONCE MARC LIVRE OUNCE POUND",
    "Length": "MILLIMETER CENTIMETER DECIMETER METER DEKAMETER HECTOMETER KILOMETER MIL INCH FEET YARD CHAIN "
              "FURLONG MILE",
    "Area": "SQUARE_MILLIMETER SQUARE_CENTIMETER SQUARE_DECIMETER SQUARE_METER CENTIARE SQUARE_DEKAMETER ARE "
            "SQUARE_HECTOMETER HECTARE SQUARE_KILOMETER SQUARE_MIL SQUARE_INCH SQUARE_FOOT SQUARE_YARD ARPENT ACRE "
            "SQUARE_FURLONG SQUARE_MILE",
    "Volume": "CUBIC_MILLIMETER CUBIC_CENTIMETER MILLILITER CENTILITER DECILITER CUBIC_DECIMETER LITER CUBIC_METER "
              "PINT BARREL GALLON CUBIC_FOOT CUBIC_INCH CUBIC_YARD",
    "Temperature": "CELSIUS FAHRENHEIT KELVIN RANKINE REAUMUR",
    "Power": "WATT KILOWATT MEGAWATT KILOVOLTAMPERE HORSEPOWER",
    "Duration": "MILLISECOND SECOND MINUTE HOUR DAY WEEK MONTH YEAR",
    "Frequency": "HERTZ KILOHERTZ MEGAHERTZ GIGAHERTZ TERAHERTZ",
    "Energy": "JOULE CALORIE KILOCALORIE KILOJOULE WATT_HOUR KILOWATT_HOUR",
    "Voltage": "MILLIVOLT CENTIVOLT DECIVOLT VOLT DEKAVOLT HECTOVOLT KILOVOLT",
    "Intensity": "MILLIAMPERE CENTIAMPERE DECIAMPERE AMPERE DEKAMPERE HECTOAMPERE KILOAMPERE",
    "Speed": "METER_PER_SECOND METER_PER_MINUTE METER_PER_HOUR KILOMETER_PER_HOUR FOOT_PER_SECOND FOOT_PER_HOUR "
             "YARD_PER_HOUR MILE_PER_HOUR",
}
UNIT_FAMILIES = {}
for _family, _units in METRIC_FAMILIES.items():
    for _unit in _units.split():
        UNIT_FAMILIES.setdefault(_unit, _family)

# PHP's is_numeric (leading and trailing white space allowed).
NUMERIC = re.compile(r"[ \t\n\r\v\f]*[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?[ \t\n\r\v\f]*\Z")
# A date Akeneo takes: YYYY-MM-DD, optionally followed by a time and an offset.
DATE_VALUE = re.compile(r"(\d{4})-(\d{2})-(\d{2})([T ]\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})?)?\Z")
# How Akeneo renders a decimal number or amount ("12.5000", "129.90").
DECIMAL_TEXT = re.compile(r"-?\d+\.\d+\Z")
# The `updated` filter of the attribute list: DateTime::ATOM.
ATOM = re.compile(r"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}([+-]\d{2}:\d{2}|Z)\Z")


def php_type(value):
    """PHP's gettype() of a decoded JSON value (objects decode to arrays)."""
    if value is None:
        return "NULL"
    if isinstance(value, bool):
        return "boolean"
    if isinstance(value, int):
        return "integer"
    if isinstance(value, float):
        return "double"
    if isinstance(value, str):
        return "string"
    return "array"


def php_string(value):
    """A scalar as PHP prints it in a message."""
    if value is True:
        return "1"
    if value is False or value is None:
        return ""
    if isinstance(value, float) and value.is_integer() and abs(value) < 1e15:
        return str(int(value))
    return str(value)


def is_numeric(value):
    if isinstance(value, bool):
        return False
    if isinstance(value, (int, float)):
        return True
    return isinstance(value, str) and NUMERIC.match(value) is not None


def is_date(text):
    match = DATE_VALUE.match(text)
    if not match:
        return False
    try:
        datetime(int(match.group(1)), int(match.group(2)), int(match.group(3)))
    except ValueError:
        return False
    return True


def is_empty_data(data):
    """Data that clears the value instead of setting it (null, blank text, empty array)."""
    return data is None or data == [] or data == {} or (isinstance(data, str) and not data.strip())


class Observation:
    """What the catalog's data tells about one attribute's type."""

    __slots__ = ("kinds", "textual", "multiline", "decimals", "negative", "units")

    def __init__(self):
        self.kinds = set()
        self.textual = False      # a free text was seen: the type is text or textarea
        self.multiline = False    # a text with a line break or over 255 characters
        self.decimals = False     # a number or amount with a decimal part (or rendered with decimals)
        self.negative = False
        self.units = collections.Counter()

    def see(self, data):
        kind = type(data)
        if kind is str:
            if not data:
                return
            if "\n" in data or len(data) > 255:
                self.multiline = True
                self.textual = True
                self.kinds.add("text")
            elif self.textual:
                return
            elif is_date(data):
                self.kinds.add("date")
            elif DECIMAL_TEXT.match(data):
                self.kinds.add("decimal")
                self.decimals = True
                self.negative = self.negative or data.startswith("-")
            else:
                self.textual = True
                self.kinds.add("text")
        elif kind is bool:
            self.kinds.add("bool")
        elif kind is int:
            self.kinds.add("int")
            self.negative = self.negative or data < 0
        elif kind is float:
            self.kinds.add("float")
            self.decimals = True
            self.negative = self.negative or data < 0
        elif kind is list:
            if not data:
                return
            if all(type(item) is str for item in data):
                self.kinds.add("codes")
            elif all(type(item) is dict and "currency" in item for item in data):
                self.kinds.add("price")
                for item in data:
                    self.amount(item.get("amount"))
            elif all(type(item) is dict for item in data):
                self.kinds.add("table")
            else:
                self.kinds.add("other")
        elif kind is dict:
            if "amount" in data and "unit" in data:
                self.kinds.add("metric")
                self.amount(data.get("amount"))
                if isinstance(data.get("unit"), str):
                    self.units[data["unit"]] += 1
            else:
                self.kinds.add("other")

    def amount(self, amount):
        if isinstance(amount, float) or (isinstance(amount, str) and "." in amount):
            self.decimals = True
        if isinstance(amount, (int, float)) and not isinstance(amount, bool):
            self.negative = self.negative or amount < 0
        elif isinstance(amount, str):
            self.negative = self.negative or amount.strip().startswith("-")

    def spec(self):
        """The attribute type (and its number settings) this data suggests."""
        kinds = self.kinds
        if kinds == {"price"}:
            return {"type": PRICE, "decimals_allowed": self.decimals}
        if kinds == {"metric"}:
            unit = self.units.most_common(1)[0][0] if self.units else None
            family = next((UNIT_FAMILIES[unit] for unit, _ in self.units.most_common() if unit in UNIT_FAMILIES), None)
            return {"type": METRIC, "decimals_allowed": self.decimals, "negative_allowed": True,
                    "metric_family": family, "default_metric_unit": unit}
        if kinds == {"bool"}:
            return {"type": BOOLEAN}
        if kinds == {"codes"}:
            return {"type": MULTISELECT}
        if kinds == {"table"}:
            return {"type": TABLE}
        if kinds and kinds <= {"int", "float", "decimal"}:
            return {"type": NUMBER, "decimals_allowed": self.decimals, "negative_allowed": True}
        if kinds == {"date"}:
            return {"type": DATE}
        return {"type": TEXTAREA if self.multiline else TEXT}


def load_attribute_types(path):
    """The `--attribute-types` file: {code: type or {type, …settings}}, or exits with a message."""
    try:
        with open(path, encoding="utf-8") as file:
            raw = json.load(file)
    except (OSError, ValueError) as error:
        sys.exit("--attribute-types %s: %s" % (path, error))
    if not isinstance(raw, dict):
        sys.exit("--attribute-types %s: expected a JSON object {code: type or {type, …}}" % path)
    specs = {}
    for code, value in raw.items():
        spec = {"type": value} if isinstance(value, str) else dict(value) if isinstance(value, dict) else None
        if spec is None or not isinstance(spec.get("type"), str):
            sys.exit("--attribute-types %s: %s: expected a type or an object with a \"type\"" % (path, code))
        spec["type"] = TYPE_ALIASES.get(spec["type"], spec["type"])
        if spec["type"] not in ATTRIBUTE_TYPES:
            sys.exit("--attribute-types %s: %s: unknown type %s (known: %s)"
                     % (path, code, spec["type"], ", ".join(sorted(ATTRIBUTE_TYPES))))
        unknown = sorted(set(spec) - SPEC_KEYS)
        if unknown:
            sys.exit("--attribute-types %s: %s: unknown settings %s" % (path, code, ", ".join(unknown)))
        for key in ("localizable", "scopable", "decimals_allowed", "negative_allowed", "unique"):
            if key in spec and not isinstance(spec[key], bool):
                sys.exit("--attribute-types %s: %s: %s must be true or false" % (path, code, key))
        for key in ("number_min", "number_max"):
            if spec.get(key) is not None and not is_numeric(spec[key]):
                sys.exit("--attribute-types %s: %s: %s must be a number" % (path, code, key))
        specs[code] = spec
    return specs


def data_errors(code, spec, data):
    """The errors Akeneo answers for one value's `data` given the attribute: (the property error
    that stops the product's update, or None; the validation messages)."""
    kind = spec["type"]
    if is_empty_data(data):
        return None, []
    given = php_type(data)
    if kind in STRING_TYPES:
        if not isinstance(data, str):
            return "The %s attribute requires a string, a %s was detected." % (code, given), []
        return None, []
    if kind in CODE_LIST_TYPES:
        if not isinstance(data, (list, dict)):
            return 'Property "%s" expects an array as data, "%s" given.' % (code, given), []
        for item in data.values() if isinstance(data, dict) else data:
            if not isinstance(item, str):
                return ('Property "%s" expects an array with valid data, one of the options is not a string, "%s" '
                        'given.' % (code, php_type(item))), []
        return None, []
    if kind == BOOLEAN:
        if not isinstance(data, bool):
            return 'Property "%s" expects a boolean as data, "%s" given.' % (code, given), []
        return None, []
    if kind == NUMBER:
        if isinstance(data, (list, dict)):
            return 'Property "%s" expects a numeric as data, "%s" given.' % (code, given), []
        return None, number_violations(code, spec, data)
    if kind == PRICE:
        if not isinstance(data, (list, dict)):
            return 'Property "%s" expects an array as data, "%s" given.' % (code, given), []
        prices = list(data.values()) if isinstance(data, dict) else data
        prices = [price for price in prices
                  if not (isinstance(price, dict) and price.get("amount") in (None, ""))]  # empty prices are dropped
        violations = []
        for price in prices:
            if not isinstance(price, (list, dict)):
                return 'Property "%s" expects an array of arrays as data.' % code, []
            if not isinstance(price, dict) or price.get("amount") is None:
                return 'Property "%s" expects an array with the key "amount".' % code, []
            if price.get("currency") is None:
                return 'Property "%s" expects an array with the key "currency".' % code, []
        for price in prices:
            violations += number_violations(code, spec, price["amount"], with_negative=False)
        return None, violations
    if kind == METRIC:
        if not isinstance(data, (list, dict)):
            return 'Property "%s" expects an array as data, "%s" given.' % (code, given), []
        if isinstance(data, dict) and data.get("amount") is None and "amount" in data:
            return None, []  # an empty measurement clears the value
        if not isinstance(data, dict) or "amount" not in data:
            return 'Property "%s" expects an array with the key "amount".' % code, []
        if "unit" not in data:
            return 'Property "%s" expects an array with the key "unit".' % code, []
        if not is_numeric(data["amount"]):
            return ('Property "%s" expects an array with valid data, key "amount" has to be a numeric, "%s" given.'
                    % (code, php_type(data["amount"]))), []
        if not isinstance(data["unit"], str):
            return ('Property "%s" expects an array with valid data, key "unit" has to be a string, "%s" given.'
                    % (code, php_type(data["unit"]))), []
        return None, number_violations(code, spec, data["amount"])
    if kind == DATE:
        if not isinstance(data, str):
            return "The %s attribute requires a string, a %s was detected." % (code, given), []
        if not is_date(data):
            return "The %s attribute requires a valid date. Please use the following format yyyy-mm-dd for dates." \
                % code, []
        return None, []
    if kind == TABLE:
        if not isinstance(data, list):
            return 'Property "%s" expects an array as data, "%s" given.' % (code, given), []
    return None, []


def number_violations(code, spec, value, with_negative=True):
    """Akeneo's validation of a number (a number value, a price amount, a metric amount)."""
    if not is_numeric(value):
        return ["The %s attribute requires a number, and the submitted %s value is not." % (code, php_string(value))]
    number = float(value)
    violations = []
    if spec.get("decimals_allowed") is False and math.isfinite(number) and number != math.floor(number):
        violations.append("The %s attribute requires a non-decimal value, and %s is not a valid value."
                          % (code, php_string(value)))
    low = spec.get("number_min")
    if with_negative and spec.get("negative_allowed") is False and (low is None or float(low) < 0):
        low = 0
    if low is not None and number < float(low):
        violations.append("The %s attribute requires an equal or greater than %s value." % (code, php_string(low)))
    high = spec.get("number_max")
    if high is not None and number > float(high):
        violations.append("The %s attribute requires an equal or lesser than %s value." % (code, php_string(high)))
    return violations


# MARK: - Catalog


class Snapshot:
    """One version of the served products, never changed once built — an update, a creation or
    a deletion builds the next one, so that a request reads one consistent version: their JSON
    text ordered by uuid (parsed on demand, so that large catalogs fit in memory), their light
    records by column (`columns[c][position]`, see akeneo_search.LIGHT: searches and counts on
    those properties parse no product), indexes by uuid and identifier, and, computed on first
    use, derived columns (`column`)."""

    @classmethod
    def build(cls, rows, version):
        """The snapshot of `rows`, (uuid, JSON line, light record) in any order."""
        rows = sorted(rows, key=lambda row: row[0])
        snapshot = cls()
        snapshot.version = version
        snapshot.uuids = [row[0] for row in rows]
        snapshot.lines = [row[1] for row in rows]
        snapshot.columns = [list(column) for column in zip(*(row[2] for row in rows))] or [[] for _ in LIGHT]
        snapshot.index = {uuid: position for position, uuid in enumerate(snapshot.uuids)}
        snapshot.identifiers = {}  # identifier -> position
        by_identifier = []
        for position, identifier in enumerate(snapshot.columns[IDENTIFIER_COLUMN]):
            if isinstance(identifier, str):
                snapshot.identifiers[identifier] = position
                by_identifier.append((identifier, position))
        by_identifier.sort()
        snapshot.identifier_keys = [row[0] for row in by_identifier]
        snapshot.identifier_positions = [row[1] for row in by_identifier]
        snapshot.derived = {}
        snapshot.lock = threading.Lock()
        return snapshot

    def replacing(self, changes, version):
        """The next snapshot, with `changes` {position: (JSON line, light record)} (same uuids
        and identifiers)."""
        snapshot = copy.copy(self)
        snapshot.version = version
        snapshot.lines = list(self.lines)
        snapshot.columns = [list(column) for column in self.columns]
        for position, (line, record) in changes.items():
            snapshot.lines[position] = line
            for column, value in enumerate(record):
                snapshot.columns[column][position] = value
        snapshot.derived = {}
        snapshot.lock = threading.Lock()
        return snapshot

    def rows(self):
        """(uuid, JSON line, light record) of every product, in uuid order."""
        return list(zip(self.uuids, self.lines, zip(*self.columns)))

    def column(self, column):
        """The values by position of a light column (an index in LIGHT) or of a derived one
        (akeneo_search.derived_value), computed on first use."""
        if type(column) is int:
            return self.columns[column]
        with self.lock:
            values = self.derived.get(column)
            if values is None:
                values = self.derived[column] = [derived_value(column, completeness)
                                                 for completeness in self.columns[COMPLETENESS]]
            return values

    def __len__(self):
        return len(self.uuids)

    def product(self, position):
        return json.loads(self.lines[position])


class Catalog:
    """The served products (`snapshot`, the current `Snapshot`; `original`, the catalog file's)
    and what the file tells about attributes (localizable, scopable, the type their data
    suggests), channels, locales, currencies, families and categories.

    Changes (`update`, `create`, `delete`) build the next snapshot; callers serialize them.
    """

    def __init__(self, path):
        rows = []
        self.attributes = {}  # code -> {"localizable": bool, "scopable": bool}
        self.observed = {}    # code -> Observation of its data
        self.scopes, self.locales, self.currencies = set(), set(), set()
        self.families, self.categories = set(), set()
        self.versions = itertools.count(1)
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
                        line = dump(product)
                    rows.append((product["uuid"], line.rstrip("\n"), light_record(product)))
                    self.learn(product)
        self.original = self.snapshot = Snapshot.build(rows, 0)

    def learn(self, product):
        if isinstance(product.get("family"), str):
            self.families.add(product["family"])
        self.categories.update(code for code in product.get("categories") or () if isinstance(code, str))
        for entry in product.get("completenesses") or ():
            if isinstance(entry, dict):
                self.scopes.add(entry.get("scope"))
                self.locales.add(entry.get("locale"))
        values = product.get("values")
        for code, entries in (values.items() if isinstance(values, dict) else ()):
            info = self.attributes.get(code)
            if info is None:
                info = self.attributes[code] = {"localizable": False, "scopable": False}
                self.observed[code] = Observation()
            observation = self.observed[code]
            for entry in entries if isinstance(entries, list) else ():
                if not isinstance(entry, dict):
                    continue
                if entry.get("locale") is not None:
                    info["localizable"] = True
                    self.locales.add(entry["locale"])
                if entry.get("scope") is not None:
                    info["scopable"] = True
                    self.scopes.add(entry["scope"])
                data = entry.get("data")
                if data is not None:
                    observation.see(data)
                    if isinstance(data, list):
                        self.currencies.update(item["currency"] for item in data
                                               if isinstance(item, dict) and isinstance(item.get("currency"), str))
        self.scopes.discard(None)
        self.locales.discard(None)

    # The current snapshot's indexes, by their old names.
    uuids = property(lambda self: self.snapshot.uuids)
    lines = property(lambda self: self.snapshot.lines)
    index = property(lambda self: self.snapshot.index)
    identifiers = property(lambda self: self.snapshot.identifiers)
    identifier_keys = property(lambda self: self.snapshot.identifier_keys)
    identifier_positions = property(lambda self: self.snapshot.identifier_positions)

    def __len__(self):
        return len(self.snapshot)

    def product(self, position):
        return self.snapshot.product(position)

    # MARK: Changes

    def update(self, identifiers, stamp, zone):
        """Changes every `name` value of the products `identifiers` (those still in the catalog)
        to a new text — " (v2)" appended, then " (v3)"… — and sets their `updated` to `stamp`
        (seconds, rendered in `zone`)."""
        snapshot = self.snapshot
        changes = {}
        for identifier in identifiers:
            position = snapshot.identifiers.get(identifier)
            if position is None:
                continue
            product = snapshot.product(position)
            values = product.get("values")
            for entry in (values.get("name") or ()) if isinstance(values, dict) else ():
                if isinstance(entry, dict):
                    entry["data"] = next_revision(entry.get("data"))
            product["updated"] = format_time(stamp, zone)
            changes[position] = (dump(product), light_record(product))
        self.snapshot = snapshot.replacing(changes, next(self.versions))

    def create(self, identifiers, uuids, stamp, zone, seed):
        """Adds products `identifiers` / `uuids`, each a copy of a product of the catalog drawn
        with `seed` (its values, family, categories…), created and updated at `stamp`."""
        snapshot = self.snapshot
        rows = snapshot.rows()
        for identifier, uuid in zip(identifiers, uuids):
            if identifier in snapshot.identifiers or uuid in snapshot.index:
                continue
            draw = random.Random("%s:%s" % (seed, identifier))
            product = snapshot.product(draw.randrange(len(snapshot))) if len(snapshot) else {
                "enabled": True, "family": None, "categories": [], "groups": [], "parent": None, "values": {},
                "associations": {}}
            product["uuid"], product["identifier"] = uuid, identifier
            values = product.get("values")
            if isinstance(values, dict) and isinstance(values.get("sku"), list):
                values["sku"] = [{"locale": None, "scope": None, "data": identifier}]
            product["created"] = product["updated"] = format_time(stamp, zone)
            rows.append((uuid, dump(product), light_record(product)))
        self.snapshot = Snapshot.build(rows, next(self.versions))

    def delete(self, identifiers):
        """Removes the products `identifiers` (those still in the catalog)."""
        snapshot = self.snapshot
        gone = {snapshot.identifiers[identifier] for identifier in identifiers if identifier in snapshot.identifiers}
        rows = [row for position, row in enumerate(snapshot.rows()) if position not in gone]
        self.snapshot = Snapshot.build(rows, next(self.versions))

    def restore(self):
        """Serves the catalog file's products again."""
        self.snapshot = self.original


REVISION = re.compile(r"(.*) \(v(\d+)\)\Z", re.S)


def next_revision(text):
    """A product name's next text: "Bag" → "Bag (v2)" → "Bag (v3)"…"""
    if not isinstance(text, str):
        return "(v2)"
    match = REVISION.match(text)
    if match:
        return "%s (v%d)" % (match.group(1), int(match.group(2)) + 1)
    return text + " (v2)"


def dump(product):
    """A product as one JSON line."""
    return json.dumps(product, ensure_ascii=False, separators=(",", ":"))


def format_time(seconds, zone):
    """An ISO 8601 date-time at whole seconds in `zone`, as Akeneo renders `created` / `updated`."""
    return datetime.fromtimestamp(int(seconds), zone).isoformat(timespec="seconds")


def parse_zone(text):
    """The time zone of `--timezone` ("+02:00", "-0530", "Z", "UTC"), or None."""
    if text in ("Z", "UTC"):
        return timezone.utc
    match = re.fullmatch(r"([+-])(\d{2}):?(\d{2})", text or "")
    if not match or int(match.group(2)) > 23 or int(match.group(3)) > 59:
        return None
    offset = timedelta(hours=int(match.group(2)), minutes=int(match.group(3)))
    return timezone(-offset if match.group(1) == "-" else offset)


# MARK: - State


class AkeneoState(sim_common.SimState):
    def __init__(self, args, attribute_types):
        super().__init__()
        self.version = args.pim_version
        self.catalog = Catalog(args.catalog)
        self.extra_attributes = {code.strip() for code in (args.attributes or "").split(",") if code.strip()}
        self.attribute_specs = self.build_attributes(attribute_types)
        self.attributes_updated = time.time()
        self.client_id, self.secret = args.client_id, args.secret
        self.username, self.password = args.username, args.password
        self.ttl = args.token_ttl
        self.rate_limit, self.max_concurrent = args.rate_limit, args.max_concurrent
        self.zone = args.zone                    # the server's time zone (php.ini date.timezone)
        self.clock_offset = args.clock_offset    # the server's clock minus the real one, in seconds
        self.page_delay = args.page_delay / 1000.0
        self.access_tokens = {}   # token -> expiry (epoch seconds)
        self.refresh_tokens = set()
        self.received = {}        # identifier -> merged product
        self.created_identifiers = set()
        self.count_cache = {}     # (route, search, search_locale, search_scope, snapshot version) -> count
        # Items of list pages as JSON text, by (snapshot version, position, view, route, base URL):
        # a product is rendered once per view, so that pages cost little of the GIL.
        self.render_cache = {}
        self.render_version = None
        self.recent = collections.deque()
        self.in_flight = 0
        self.stats = self.fresh_stats(0)
        self.pending = []         # catalog changes waiting for their request: {prefix, countdown, apply}
        self.new_products = 0     # products created so far (NEW-000001…)
        self.cursor_key = secrets.token_bytes(16)
        self.next_link_host = None  # `host:port` the next links point at instead of this server

    def reset(self):
        super().reset()
        with self.lock:
            self.received.clear()
            self.created_identifiers.clear()
            self.next_link_host = None
            self.pending.clear()
            self.catalog.restore()
            self.count_cache.clear()
            self.new_products = 0
            self.stats = self.fresh_stats(self.stats["in_flight"])

    def now(self):
        """The server's clock (the real one plus `--clock-offset`), in seconds since the epoch."""
        return time.time() + self.clock_offset

    # MARK: Attributes

    def build_attributes(self, attribute_types):
        """Every attribute the PIM knows, code -> settings with "type": the catalog's (typed from
        their data), `--attributes` codes (text), then `--attribute-types` over both; plus the
        identifier attribute `sku` when none is typed pim_catalog_identifier."""
        catalog = self.catalog
        specs = {code: observation.spec() for code, observation in catalog.observed.items()}
        for code in self.extra_attributes:
            specs.setdefault(code, {"type": TEXT})
        for code, given in attribute_types.items():
            spec = specs.get(code, {})
            specs[code] = dict(spec, **given) if spec.get("type") == given["type"] else dict(given)
            if "localizable" in given or "scopable" in given or code not in catalog.attributes:
                info = catalog.attributes.setdefault(code, {"localizable": False, "scopable": False})
                for key in ("localizable", "scopable"):
                    if key in given:
                        info[key] = given[key]
        if not any(spec["type"] == IDENTIFIER for spec in specs.values()):
            if "sku" in specs and "sku" not in attribute_types:
                specs["sku"]["type"] = IDENTIFIER
            else:
                specs.setdefault("sku", {"type": IDENTIFIER})
        for spec in specs.values():
            if spec["type"] in (NUMBER, PRICE, METRIC):
                spec.setdefault("decimals_allowed", True)
            if spec["type"] in (NUMBER, METRIC):
                spec.setdefault("negative_allowed", True)
        return specs

    def known_attribute(self, code):
        return code in self.attribute_specs

    def attribute(self, code, position):
        """The attribute `code` as the API shows it."""
        spec = self.attribute_specs[code]
        kind = spec["type"]
        info = self.catalog.attributes.get(code) or {}

        def number(key):
            return None if spec.get(key) is None else str(spec[key])

        return {
            "code": code,
            "type": kind,
            "group": spec.get("group", "other"),
            "unique": spec.get("unique", kind == IDENTIFIER),
            "useable_as_grid_filter": spec.get("useable_as_grid_filter", kind == IDENTIFIER),
            "allowed_extensions": spec.get("allowed_extensions", []),
            "metric_family": spec.get("metric_family") if kind == METRIC else None,
            "default_metric_unit": spec.get("default_metric_unit") if kind == METRIC else None,
            "reference_data_name": spec.get("reference_data_name"),
            "available_locales": spec.get("available_locales", []),
            "max_characters": spec.get("max_characters"),
            "validation_rule": None,
            "validation_regexp": None,
            "wysiwyg_enabled": spec.get("wysiwyg_enabled", False) if kind == TEXTAREA else None,
            "number_min": number("number_min"),
            "number_max": number("number_max"),
            "decimals_allowed": spec.get("decimals_allowed") if kind in (NUMBER, PRICE, METRIC) else None,
            "negative_allowed": spec.get("negative_allowed") if kind in (NUMBER, METRIC) else None,
            "date_min": None,
            "date_max": None,
            "max_file_size": None,
            "minimum_input_length": None,
            "sort_order": spec.get("sort_order", position),
            "localizable": info.get("localizable", False),
            "scopable": info.get("scopable", False),
            "labels": spec.get("labels", {}),
            "default_value": spec.get("default_value"),
            "group_labels": spec.get("group_labels", {}),
        }

    def search_attributes(self, text):
        """The codes of the attributes `search` selects, in code order (400 for a bad filter,
        with the messages of Akeneo's attribute repository)."""
        codes = sorted(self.attribute_specs)
        if text is None or text == "":
            return codes
        try:
            query = json.loads(text)
        except ValueError:
            query = None
        if query == []:
            return codes
        if not isinstance(query, dict):
            raise ApiError(400, "The search query parameter must be a valid JSON.")
        messages, checks = [], []
        for prop, criteria in query.items():
            if prop not in ("code", "updated", "type"):
                raise ApiError(400, 'Available search filters are "code, updated, type" and you tried to search on '
                                    'unavailable filter "%s"' % prop)
            if isinstance(criteria, dict):
                criteria = list(criteria.values())
            if not isinstance(criteria, list):
                messages.append("This value should be of type iterable.")
                continue
            for criterion in criteria:
                if not isinstance(criterion, dict):
                    messages.append("This value should be of type array|(Traversable&ArrayAccess).")
                    continue
                messages += ["This field is missing." for key in ("operator", "value") if key not in criterion]
                messages += ["This field was not expected." for key in criterion if key not in ("operator", "value")]
                operator, value = criterion.get("operator"), criterion.get("value")
                if prop == "updated":
                    if "operator" in criterion and operator != ">":
                        messages.append('Searching on the "updated" property require the ">" (greater than) operator, '
                                        '">" given.')
                    if "value" in criterion and not isinstance(value, str):
                        messages.append("This value should be of type string.")
                    elif "value" in criterion and not ATOM.match(value):
                        messages.append("This value is not a valid datetime.")
                    elif "value" in criterion:
                        since = datetime.fromisoformat(value.replace("Z", "+00:00")).timestamp()
                        checks.append(lambda code, since=since: self.attributes_updated > since)
                    continue
                what = "attribute codes" if prop == "code" else "attribute types"
                if "operator" in criterion and operator != "IN":
                    messages.append('In order to search on %s you must use "IN" operator, "IN" given.' % what)
                if "value" in criterion and not isinstance(value, (list, dict)):
                    messages.append("In order to search on %s you must send an array of %s as value, array given."
                                    % (what, what))
                elif "value" in criterion:
                    wanted = list(value.values()) if isinstance(value, dict) else value
                    messages += ["This value should be of type string." for item in wanted if not isinstance(item, str)]
                    wanted = set(wanted)
                    if prop == "code":
                        checks.append(lambda code, wanted=wanted: code in wanted)
                    else:
                        checks.append(lambda code, wanted=wanted: self.attribute_specs[code]["type"] in wanted)
        if messages:
            raise ApiError(400, " ".join(messages))
        return [code for code in codes if all(check(code) for check in checks)]

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

    def admit(self, tracked):
        """Counts a request against `--rate-limit` and `--max-concurrent`; False when over.
        `tracked`: a products list or token request, counted in the stats."""
        with self.lock:
            now = time.monotonic()
            if tracked:
                self.stats["requests"] += 1
            if self.rate_limit:
                while self.recent and self.recent[0] <= now - 1:
                    self.recent.popleft()
                if len(self.recent) >= self.rate_limit:
                    self.refused(tracked)
                    return False
                self.recent.append(now)
            if self.max_concurrent and self.in_flight >= self.max_concurrent:
                self.refused(tracked)
                return False
            self.in_flight += 1
            if tracked:
                stats = self.stats
                stats["in_flight"] += 1
                stats["max_in_flight"] = max(stats["max_in_flight"], stats["in_flight"])
            return True

    def release(self, tracked):
        with self.lock:
            self.in_flight -= 1
            if tracked:
                self.stats["in_flight"] -= 1

    def refused(self, tracked):
        """Counts a 429 answered to a tracked request (a limit or an injected fault)."""
        if tracked:
            with self.lock:
                self.stats["refused_429"] += 1

    @staticmethod
    def fresh_stats(in_flight):
        return {"max_in_flight": in_flight, "refused_429": 0, "in_flight": in_flight, "requests": 0}

    def stats_reply(self):
        with self.lock:
            return dict(self.stats)

    def reset_stats(self):
        with self.lock:
            self.stats = self.fresh_stats(self.stats["in_flight"])

    # MARK: Catalog changes

    def change_catalog(self, kind, body):
        """The reply of `/_sim/update-products`, `create-products` or `delete-products`; the
        change is applied now, or just before the `after_requests`-th API request from now whose
        path starts with `path_prefix` (default /api/rest/v1/products, both product routes)."""
        if not isinstance(body, dict):
            raise sim_common.ControlError("the body must be a JSON object")
        after = body.get("after_requests")
        if after is not None and (not isinstance(after, int) or isinstance(after, bool) or after < 1):
            raise sim_common.ControlError("after_requests must be an integer >= 1")
        prefix = body.get("path_prefix", "/api/rest/v1/products")
        if not isinstance(prefix, str) or not prefix.startswith("/"):
            raise sim_common.ControlError("path_prefix must be a path starting with /")
        with self.lock:
            reply, apply = {"update": self.update_change, "create": self.create_change,
                            "delete": self.delete_change}[kind](body)
            if after is None:
                apply()
                self.count_cache.clear()
            else:
                self.pending.append({"prefix": prefix, "countdown": after, "apply": apply})
                reply["after_requests"] = after
        return reply

    def update_change(self, body):
        identifiers = self.chosen_identifiers(body)
        stamp = body.get("updated")
        if stamp is not None:
            try:
                stamp = parse_server_time(stamp, "updated", self.zone)
            except ApiError:
                raise sim_common.ControlError('updated must be "YYYY-MM-DD hh:mm:ss" (server time)')
        return {"updated": identifiers}, lambda: self.catalog.update(
            identifiers, stamp if stamp is not None else self.now(), self.zone)

    def create_change(self, body):
        count = body.get("count")
        if not isinstance(count, int) or isinstance(count, bool) or count < 0:
            raise sim_common.ControlError("count must be an integer >= 0")
        seed = body.get("seed", 0)
        known = self.catalog.snapshot.identifiers
        identifiers = []
        while len(identifiers) < count:
            self.new_products += 1
            identifier = "NEW-%06d" % self.new_products
            if identifier not in known:
                identifiers.append(identifier)
        uuids = [str(uuidlib.uuid5(uuidlib.NAMESPACE_URL, "syndic-sim:created:%s" % identifier))
                 for identifier in identifiers]
        return {"created": identifiers, "uuids": uuids}, lambda: self.catalog.create(
            identifiers, uuids, self.now(), self.zone, seed)

    def delete_change(self, body):
        identifiers = self.chosen_identifiers(body, allow_count=False)
        return {"deleted": identifiers}, lambda: self.catalog.delete(identifiers)

    def chosen_identifiers(self, body, allow_count=True):
        """`identifiers` (each in the catalog), or `count` identifiers drawn with `seed`; sorted."""
        known = self.catalog.snapshot.identifier_keys
        if "identifiers" in body:
            identifiers = body["identifiers"]
            if not isinstance(identifiers, list) or not all(isinstance(item, str) for item in identifiers):
                raise sim_common.ControlError("identifiers must be an array of strings")
            unknown = sorted(set(identifiers) - set(self.catalog.snapshot.identifiers))
            if unknown:
                raise sim_common.ControlError("no product has the identifier %s" % ", ".join(unknown))
            return sorted(set(identifiers))
        count = body.get("count")
        if not allow_count or not isinstance(count, int) or isinstance(count, bool) or count < 0:
            raise sim_common.ControlError('the body must give "identifiers"' +
                                          (' or "count" (an integer >= 0)' if allow_count else ""))
        if count > len(known):
            raise sim_common.ControlError("count %d is more than the %d products with an identifier" % (count, len(known)))
        seed = body.get("seed", 0)
        if not isinstance(seed, (int, str)) or isinstance(seed, bool):
            raise sim_common.ControlError("seed must be an integer or a string")
        return sorted(random.Random(seed).sample(known, count))

    def before_api_request(self, path):
        """Applies the pending catalog changes whose request this is (see `change_catalog`)."""
        with self.lock:
            if not self.pending:
                return
            due = []
            for change in self.pending:
                if path.startswith(change["prefix"]):
                    change["countdown"] -= 1
                    if change["countdown"] == 0:
                        due.append(change)
            for change in due:
                self.pending.remove(change)
                change["apply"]()
            if due:
                self.count_cache.clear()

    # MARK: Cursors

    def cursor(self, key, kind):
        """The opaque `search_after` token after `key` (a uuid or an identifier, as `kind` says)."""
        raw = key.encode()
        mac = hmac.new(self.cursor_key, kind.encode() + b"\0" + raw, hashlib.sha256).digest()[:8]
        return base64.urlsafe_b64encode(mac + raw).decode().rstrip("=")

    def cursor_key_of(self, token, kind):
        try:
            raw = base64.urlsafe_b64decode(token + "=" * (-len(token) % 4))
        except (ValueError, TypeError):
            raw = b""
        mac, key = raw[:8], raw[8:]
        if len(raw) <= 8 or not hmac.compare_digest(
                mac, hmac.new(self.cursor_key, kind.encode() + b"\0" + key, hashlib.sha256).digest()[:8]):
            raise unprocessable('Parameter "search_after" is not valid: follow the "next" link of the previous page.')
        return key.decode()

    # MARK: Writing

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
        properties = PRODUCT_PROPERTIES if self.version >= 7 else PRODUCT_PROPERTIES - {"uuid"}
        for key in product:
            if key not in properties:
                return self.property_error(reply, 'Property "%s" does not exist.' % key)
        failure, errors = self.validate(product)
        if failure:
            return self.property_error(reply, failure)
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

    @staticmethod
    def property_error(reply, message):
        """A line refused by the product updater: one message, a link to the documentation."""
        return dict(reply, status_code=422, message=message + CHECK_FORMAT,
                    _links={"documentation": {"href": PATCH_DOCUMENTATION}})

    def validate(self, product):
        """What Akeneo says of a PATCHed product: (the property error that stops its update, or
        None; the validation errors, Akeneo's `errors` list)."""
        errors = []

        def error(prop, message, **extra):
            errors.append(dict({"property": prop, "message": message}, **extra))

        if "enabled" in product and not isinstance(product["enabled"], bool):
            return 'Property "enabled" expects a boolean as data, "%s" given.' % php_type(product["enabled"]), []
        if "family" in product and product["family"] is not None and not isinstance(product["family"], str):
            error("family", 'Property "family" expects a string as data.')
        for key in ("categories", "groups"):
            if key in product and not (isinstance(product[key], list) and all(isinstance(c, str) for c in product[key])):
                error(key, 'Property "%s" expects an array of strings as data.' % key)
        values = product.get("values", {})
        if not isinstance(values, dict):
            error("values", 'Property "values" expects an array as data.')
            return None, errors
        for code, entries in values.items():
            if not isinstance(entries, list) or not all(isinstance(e, dict) and "data" in e for e in entries):
                error("values", 'Property "values" expects, for "%s", an array of {locale, scope, data}.' % code,
                      attribute=code)
                continue
            spec = self.attribute_specs.get(code)
            if spec is None:
                return "The %s attribute does not exist in your PIM." % code, []
            info = self.catalog.attributes.get(code)  # None: known through --attributes only, shape unknown
            for entry in entries:
                locale, scope = entry.get("locale"), entry.get("scope")
                where = {"attribute": code, "locale": locale, "scope": scope}
                if info is not None:
                    if info["localizable"] and locale is None:
                        error("values", 'Attribute "%s" expects a locale, none given.' % code, **where)
                    elif not info["localizable"] and locale is not None:
                        error("values", 'Attribute "%s" does not expect a locale, "%s" given.' % (code, locale), **where)
                    if info["scopable"] and scope is None:
                        error("values", 'Attribute "%s" expects a scope, none given.' % code, **where)
                    elif not info["scopable"] and scope is not None:
                        error("values", 'Attribute "%s" does not expect a scope, "%s" given.' % (code, scope), **where)
                failure, violations = data_errors(code, spec, entry.get("data"))
                if failure:
                    return failure, []
                for message in violations:
                    error("values", message, **where)
        return None, errors


# MARK: - Handler


# Requests the stats count (`GET /_sim/stats`): (method, path) of product lists and the token.
TRACKED = {("GET", "/api/rest/v1/products-uuid"), ("GET", "/api/rest/v1/products"), ("POST", "/api/oauth/v1/token")}


class AkeneoHandler(sim_common.SimHandler):
    """Akeneo's routes (see the module's text) on the shared plumbing of sim_common."""

    tracked = False   # the request is counted in the stats
    holding = False   # the request counts as in flight

    def date_time_string(self, timestamp=None):
        """The `Date` header (IMF-fixdate, GMT) of every reply, from the server's clock."""
        return super().date_time_string(self.state.now() if timestamp is None else timestamp)

    def fault_reply(self, status, retry_after):
        headers = [("Retry-After", str(retry_after))] if status in (429, 503) else []
        message = {429: "Too many requests", 500: "Internal server error", 503: "Service unavailable"}.get(
            status, self.responses.get(status, ("Error",))[0])
        if status == 429:
            self.state.refused(self.tracked)
        self.send_json(status, {"code": status, "message": message}, headers)

    def api_error(self, error):
        self.send_json(error.status, {"code": error.status, "message": error.message})

    def admit(self):
        path = urlsplit(self.path).path.rstrip("/") or "/"
        self.tracked = (self.command, path) in TRACKED
        if self.state.admit(self.tracked):
            self.holding = True
            return True
        self.send_json(429, {"code": 429, "message": "Too many requests"}, [("Retry-After", "1")])
        return False

    def release(self):
        if self.holding:
            self.holding = False
            self.state.release(self.tracked)

    def send_bytes(self, status, data, content_type="application/json", headers=()):
        # A request leaves the in-flight count before its reply goes out: a client that sends
        # its next request once it has the reply is never counted twice.
        self.release()
        super().send_bytes(status, data, content_type, headers)

    def route(self, method, path, params, body):
        self.state.before_api_request(path)
        try:
            self.dispatch(method, path, {key: values[-1] for key, values in params.items()}, body)
        except ApiError as error:
            self.api_error(error)

    def dispatch(self, method, raw_path, params, body):
        path = raw_path.rstrip("/") or "/"
        modern = self.state.version >= 7
        routes = {
            "/api/oauth/v1/token": {"POST": lambda: self.token(body)},
            "/api/rest/v1/products": {"GET": lambda: self.list_products(params, by_identifier=True),
                                      "PATCH": lambda: self.patch_products(body)},
            "/api/rest/v1/attributes": {"GET": lambda: self.list_attributes(params)},
            "/api/rest/v1/channels": {"GET": lambda: self.list_simple(params, self.channels())},
            "/api/rest/v1/categories": {"GET": lambda: self.list_simple(params, self.categories())},
        }
        if modern:
            routes["/api/rest/v1/products-uuid"] = {"GET": lambda: self.list_products(params)}
        items = [("/api/rest/v1/products/", lambda key: self.get_product(key, params, by_identifier=True)),
                 ("/api/rest/v1/attributes/", self.get_attribute)]
        if modern:
            items.append(("/api/rest/v1/products-uuid/", lambda key: self.get_product(key, params)))
        for prefix, handler in items:
            key = path[len(prefix):]
            if path.startswith(prefix) and key and "/" not in key:
                routes[path] = {"GET": lambda handler=handler, key=unquote(key): handler(key)}
        methods = routes.get(path)
        # Symfony's router answers before authentication; since Symfony 5.3 (Akeneo 6 and 7) with the full URI.
        shown = self.base_url() + raw_path if self.state.version >= 6 else raw_path
        if methods is None:
            raise ApiError(404, 'No route found for "%s %s"' % (method, shown))
        if method not in methods:
            raise ApiError(405, 'No route found for "%s %s": Method Not Allowed (Allow: %s)'
                           % (method, shown, ", ".join(sorted(methods))))
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

    def list_products(self, params, by_identifier=False):
        """`/products-uuid` (ordered by uuid) or `/products` (ordered by identifier).

        `with_count=true` adds `items_count` (what the search selects) with page pagination
        only: Akeneo's pagination reference says `with_count` is unavailable with
        `search_after`, so it is ignored there."""
        state, catalog = self.state, self.state.catalog
        if state.page_delay:
            time.sleep(state.page_delay)
        snapshot = catalog.snapshot
        limit = self.limit(params)
        pagination = params.get("pagination_type", "page")
        if pagination not in ("page", "search_after"):
            raise unprocessable('Pagination type does not exist.')
        if by_identifier and state.version < 7:
            self.refuse_uuid_filter(params.get("search"))
        search = Search(params.get("search"), catalog, params.get("search_locale"), params.get("search_scope"),
                        now=state.now(), zone=state.zone)
        view = self.view(params)
        kind = "identifier" if by_identifier else "uuid"
        keys = snapshot.identifier_keys if by_identifier else snapshot.uuids
        order = snapshot.identifier_positions if by_identifier else None
        base = self.base_url() + ("/api/rest/v1/products" if by_identifier else "/api/rest/v1/products-uuid")
        kept = {key: value for key, value in params.items() if key not in ("search_after", "page")}

        def href(**extra):
            return base + "?" + urlencode(dict(kept, **extra), quote_via=quote)

        if pagination == "search_after":
            start = 0
            if params.get("search_after"):
                start = bisect.bisect_right(keys, state.cursor_key_of(params["search_after"], kind))
            items, more = self.scan(snapshot, search, start, 0, limit, order, positions=True)
            links = {"self": {"href": href(**({"search_after": params["search_after"]} if "search_after" in params else {}))},
                     "first": {"href": href()}}
            if more and items:
                last = items[-1][1] if items[-1][1] is not None else snapshot.product(items[-1][0])
                links["next"] = {"href": self.next_href(href(search_after=state.cursor(last[kind], kind)))}
            envelope = {"_links": links}
        else:
            page = self.positive(params, "page", 1)
            if (page - 1) * limit >= PAGE_PAGINATION_CAP:
                raise unprocessable('You have reached the maximum number of pages you can retrieve with the "page" '
                                    'pagination type. Please use the search after pagination type instead')
            items, more = self.scan(snapshot, search, 0, (page - 1) * limit, limit, order, positions=True)
            links = {"self": {"href": href(page=page)}, "first": {"href": href(page=1)}}
            if page > 1:
                links["previous"] = {"href": href(page=page - 1)}
            if more:
                links["next"] = {"href": self.next_href(href(page=page + 1))}
            envelope = {"_links": links, "current_page": page}
            if params.get("with_count") == "true":
                envelope["items_count"] = self.count(snapshot, search, params, by_identifier)
        envelope["_embedded"] = {"items": None}
        texts = self.rendered(snapshot, items, view, by_identifier)
        head = json.dumps(envelope, ensure_ascii=False, separators=(",", ":"))
        # `"items":null}}` closes the envelope: the items' texts go in its place.
        data = head[:-len("null}}")] + "[" + ",".join(texts) + "]}}"
        self.send_bytes(200, data.encode("utf-8"), "application/json")

    def rendered(self, snapshot, items, view, by_identifier):
        """The JSON texts of `items` ((position, product or None) pairs) as `render` shows them,
        cached per snapshot version and view."""
        state = self.state
        base = self.base_url()
        view_key = (view[0], tuple(view[1]) if view[1] is not None else None,
                    tuple(view[2]) if view[2] is not None else None, view[3])
        with state.lock:
            if state.render_version != snapshot.version:
                state.render_cache = {}
                state.render_version = snapshot.version
            cache = state.render_cache
        texts = []
        for position, product in items:
            key = (snapshot.version, position, view_key, by_identifier, base)
            text = cache.get(key)
            if text is None:
                item = product if product is not None else snapshot.product(position)
                text = json.dumps(self.render(item, view, by_identifier), ensure_ascii=False, separators=(",", ":"))
                cache[key] = text
            texts.append(text)
        return texts

    @staticmethod
    def refuse_uuid_filter(text):
        """A PIM before 7 has no `uuid` filter."""
        try:
            query = json.loads(text) if text else None
        except ValueError:
            return
        if isinstance(query, dict) and "uuid" in query:
            conditions = query["uuid"] if isinstance(query["uuid"], list) else []
            operator = next((item.get("operator") for item in conditions if isinstance(item, dict)), "")
            raise unprocessable('Filter on property "uuid" is not supported or does not support operator "%s"' % operator)

    @staticmethod
    def scan(snapshot, search, start, skip, limit, order=None, positions=False):
        """Up to `limit` matching products from index `start` (in uuid order, or in `order`, a
        list of positions) after skipping `skip` matches, and whether another match follows.

        Positions are tested in growing chunks on their light records first; a product is
        parsed only when it is returned or an attribute condition must read it."""
        total = len(snapshot) if order is None else len(order)
        items = []
        index, chunk = start, 128
        while index < total:
            stop = min(total, index + chunk)
            for position in search.select(snapshot.column, range(index, stop) if order is None else order[index:stop]):
                product = None
                if search.heavy:
                    product = snapshot.product(position)
                    if not search.matches_product(product):
                        continue
                if skip:
                    skip -= 1
                elif len(items) == limit:
                    return items, True
                else:
                    if positions:
                        items.append((position, product))  # parsed only when a heavy check read it
                    else:
                        items.append(product if product is not None else snapshot.product(position))
            index, chunk = stop, min(chunk * 4, 16384)
        return items, False

    def count(self, snapshot, search, params, by_identifier):
        """How many products of `snapshot` the search selects, cached by snapshot version (but
        for `SINCE LAST N DAYS`, which depends on the clock). A search bounding `created` or
        `updated` is counted from the sorted times of the products passing its other
        conditions (cached too): a client probing many ranges costs two bisections a probe."""
        text = params.get("search") or ""
        locale, scope = params.get("search_locale"), params.get("search_scope")
        key = (by_identifier, text, locale, scope, snapshot.version)
        cached = self.cached_count(key)
        if cached is not None:
            return cached
        split = search.count_split()
        if split is None:
            total = len(self.matching(snapshot, search, by_identifier))
        else:
            column, others = split
            times_key = ("times", by_identifier, others, locale, scope, column, snapshot.version)
            times = self.cached_count(times_key)
            if times is None:
                rest = Search(others, self.state.catalog, locale, scope, now=search.now, zone=search.zone)
                values = snapshot.columns[column]
                times = sorted(values[position] for position in self.matching(snapshot, rest, by_identifier)
                               if values[position] is not None)
                if "SINCE LAST" not in others:
                    self.cache_count(snapshot, times_key, times)
            low, high = search.ranges[column]
            start = 0 if low is None else bisect.bisect_left(times, low)
            stop = len(times) if high is None else bisect.bisect_right(times, high)
            total = max(0, stop - start)
        if "SINCE LAST" not in text:
            self.cache_count(snapshot, key, total)
        return total

    @staticmethod
    def matching(snapshot, search, by_identifier):
        """The positions of the products of `snapshot` the search selects (those with an
        identifier only, for `/products`)."""
        positions = snapshot.identifier_positions if by_identifier else range(len(snapshot))
        positions = search.select(snapshot.column, positions)
        if search.heavy:
            positions = [position for position in positions if search.matches_product(snapshot.product(position))]
        return positions

    def cached_count(self, key):
        with self.state.lock:
            return self.state.count_cache.get(key)

    def cache_count(self, snapshot, key, value):
        """Keeps a count (or sorted times) while `snapshot` is the one served."""
        with self.state.lock:
            if snapshot is self.state.catalog.snapshot:
                self.state.count_cache[key] = value

    def get_product(self, key, params, by_identifier=False):
        snapshot = self.state.catalog.snapshot
        position = (snapshot.identifiers if by_identifier else snapshot.index).get(key)
        if position is None:
            raise ApiError(404, 'Product "%s" does not exist or you do not have permission to access it.' % key)
        self.send_json(200, self.render(snapshot.product(position), self.view(params), by_identifier))

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

    def render(self, product, view, by_identifier=False):
        """A product as the API shows it: keyed by uuid (`/products-uuid`), or by identifier
        (`/products`: `uuid` then `identifier` first, no `uuid` before PIM 7)."""
        scope, locales, attributes, with_completenesses = view
        if by_identifier:
            identifier = product.get("identifier")
            out = {"_links": {"self": {"href": self.base_url() + "/api/rest/v1/products/"
                                       + quote(identifier if isinstance(identifier, str) else "", safe="")}}}
            if self.state.version >= 7:
                out["uuid"] = product.get("uuid")
            out["identifier"] = identifier
        else:
            out = {"_links": {"self": {"href": self.base_url() + "/api/rest/v1/products-uuid/" + product["uuid"]}}}
        for key, value in product.items():
            if by_identifier and key in ("uuid", "identifier"):
                continue
            if key in ("created", "updated"):
                value = self.server_time(value)
            elif key in ("completenesses", "completeness"):
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

    def server_time(self, text):
        """A product's `created` / `updated` in the server's time zone, as Akeneo renders them
        (the text itself when it already has that offset or is not a date-time with one)."""
        if not isinstance(text, str):
            return text
        try:
            moment = datetime.fromisoformat(text.replace("Z", "+00:00"))
        except ValueError:
            return text
        zone = self.state.zone
        if moment.tzinfo is None or moment.utcoffset() == zone.utcoffset(None):
            return text
        return moment.astimezone(zone).isoformat()

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

    # MARK: Attributes

    def list_attributes(self, params):
        state = self.state
        self.limit(params)
        self.positive(params, "page", 1)
        codes = state.search_attributes(params.get("search"))
        base = self.base_url() + "/api/rest/v1/attributes/"
        positions = {code: position for position, code in enumerate(sorted(state.attribute_specs))}
        self.list_simple(params, codes, lambda code: dict({"_links": {"self": {"href": base + quote(code, safe="")}}},
                                                          **state.attribute(code, positions[code])))

    def get_attribute(self, code):
        state = self.state
        if code not in state.attribute_specs:
            raise ApiError(404, 'Attribute "%s" does not exist.' % code)
        self.send_json(200, state.attribute(code, sorted(state.attribute_specs).index(code)))

    # MARK: Channels and categories

    def channels(self):
        catalog = self.state.catalog
        return [{"code": scope, "currencies": sorted(catalog.currencies), "locales": sorted(catalog.locales),
                 "category_tree": "master", "conversion_units": {}, "labels": {}} for scope in sorted(catalog.scopes)]

    def categories(self):
        codes = sorted(self.state.catalog.categories)
        return [{"code": "master", "parent": None, "labels": {}}] + \
            [{"code": code, "parent": "master", "labels": {}} for code in codes]

    def list_simple(self, params, entities, item=lambda entity: entity):
        """A page-paginated list of small entities (`item` makes the shown ones)."""
        limit = self.limit(params)
        page = self.positive(params, "page", 1)
        base = self.base_url() + self.path.split("?")[0]
        kept = {key: value for key, value in params.items() if key != "page"}

        def href(number):
            return base + "?" + urlencode(dict(kept, page=number), quote_via=quote)

        items = [item(entity) for entity in entities[(page - 1) * limit: page * limit]]
        links = {"self": {"href": href(page)}, "first": {"href": href(1)}}
        if page > 1:
            links["previous"] = {"href": href(page - 1)}
        if page * limit < len(entities):
            links["next"] = {"href": self.next_href(href(page + 1))}
        envelope = {"_links": links, "current_page": page}
        if params.get("with_count") == "true":
            envelope["items_count"] = len(entities)
        envelope["_embedded"] = {"items": items}
        self.send_json(200, envelope)

    def next_href(self, href):
        """`href` (on this server), moved to the host `/_sim/next-link-host` set, if any."""
        host = self.state.next_link_host
        base = self.base_url()
        if host is None or not href.startswith(base):
            return href
        return "http://" + host + href[len(base):]

    # MARK: Control

    def control(self, method, name, body):
        if method == "POST" and name == "next-link-host":
            host = body.get("host") if isinstance(body, dict) else None
            if not isinstance(body, dict) or "host" not in body or \
                    (host is not None and (not isinstance(host, str) or not re.fullmatch(r"[A-Za-z0-9.\-\[\]:]+", host))):
                raise sim_common.ControlError('the body must be {"host": "name:port"} or {"host": null}')
            with self.state.lock:
                self.state.next_link_host = host
            self.send_json(200, {"ok": True})
        elif method == "GET" and name == "received":
            with self.state.lock:
                self.send_json(200, dict(self.state.received))
        elif method == "POST" and name == "expire-tokens":
            self.state.expire_tokens()
            self.send_json(200, {"ok": True})
        elif method == "POST" and name in ("update-products", "create-products", "delete-products"):
            self.send_json(200, self.state.change_catalog(name.split("-")[0], body))
        elif method == "POST" and name == "clock":
            # Time passing on the PIM: its clock moves forward (Date headers, stamps, searches).
            advance = body.get("advance") if isinstance(body, dict) else None
            if isinstance(advance, bool) or not isinstance(advance, (int, float)) or advance < 0:
                raise sim_common.ControlError('the body must be {"advance": SECONDS} (0 or more)')
            with self.state.lock:
                self.state.clock_offset += advance
            self.send_json(200, {"clock_offset": self.state.clock_offset})
        elif method == "GET" and name == "stats":
            self.send_json(200, self.state.stats_reply())
        elif method == "POST" and name == "stats/reset":
            self.state.reset_stats()
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
    parser.add_argument("--attribute-types", metavar="FILE.json",
                        help='attribute types: {"code": "pim_catalog_…" or {"type": …, settings}}')
    parser.add_argument("--version", dest="pim_version", type=int, metavar="N",
                        help="the PIM's major version (default 7; before 7: no /products-uuid)")
    parser.add_argument("--legacy", action="store_true", help="a PIM before version 7 (same as --version 6)")
    parser.add_argument("--rate-limit", type=int, default=0, help="API requests per second before 429 (default: no limit)")
    parser.add_argument("--max-concurrent", type=int, default=0, help="API requests in flight before 429 (default: no limit)")
    parser.add_argument("--timezone", default="+00:00", metavar="+HH:MM",
                        help="the server's time zone: filter dates are read in it, created/updated rendered in it "
                             "(default +00:00, as Akeneo SaaS)")
    parser.add_argument("--clock-offset", type=float, default=0.0, metavar="SECONDS",
                        help="the server's clock minus the real one (Date header, now, SINCE LAST N DAYS; default 0)")
    parser.add_argument("--page-delay", type=float, default=0.0, metavar="MS",
                        help="milliseconds added to every products list request (default 0)")
    args = parser.parse_args()
    args.zone = parse_zone(args.timezone)
    if args.zone is None:
        parser.error("--timezone %s: expected an offset such as +02:00, -05:00 or +00:00" % args.timezone)
    if args.page_delay < 0:
        parser.error("--page-delay must be >= 0")
    if args.catalog and not os.path.isfile(args.catalog):
        parser.error("--catalog %s: no such file" % args.catalog)
    if args.legacy and args.pim_version is not None and args.pim_version >= 7:
        parser.error("--legacy means a PIM before version 7, --version %d is not" % args.pim_version)
    if args.pim_version is None:
        args.pim_version = 6 if args.legacy else 7
    if args.pim_version < 1:
        parser.error("--version must be a major version such as 6 or 7")
    attribute_types = load_attribute_types(args.attribute_types) if args.attribute_types else {}
    sim_common.serve(AkeneoHandler, lambda: AkeneoState(args, attribute_types), args.port)


if __name__ == "__main__":
    main()
