"""An Amazon Selling Partner API simulator on 127.0.0.1: Login with Amazon tokens, Restricted
Data Tokens (Tokens API 2021-03-01), the orders v0 operations and their usage plans.

    python3 amazon_sim.py [--client-id ID] [--client-secret S] [--refresh-token T]
        [--marketplace-id ID] [--token-ttl SECONDS] [--rdt-ttl SECONDS] [--no-restricted-role]
        [--orders FILE.json] [--generate N [--seed S] [--skus K]] [--page-size N] [--max-page-size N]
        [--items-page-size N] [--rate-scale F] [--burst-scale F] [--no-usage-plans] [--port N]

Binds port 0 unless told otherwise and prints `port N` once listening. Options are never
abbreviated. Serves:

- `POST /auth/o2/token` (Login with Amazon, never throttled): form body (or JSON)
  `grant_type=refresh_token`, `refresh_token`, `client_id`, `client_secret` →
  `{"access_token": "Atza|…", "token_type": "bearer", "expires_in": TTL, "refresh_token": …}`.
  A wrong client → 401 `invalid_client`; a wrong refresh token or grant type → 400
  `invalid_grant`; a missing parameter → 400 `invalid_request`.
- SP-API calls need `x-amz-access-token`: a live access token, or a live RDT for exactly
  that call. Otherwise 403 `{"errors": [{"code": "Unauthorized", "message": "Access to
  requested resource is denied.", "details": …}]}` (details "The access token you provided
  is revoked, malformed or invalid." for an unknown or expired token, "" for an RDT used
  outside its resources). Errors are `{"errors": [{"code", "message", "details"}]}`:
  400 InvalidInput, 404 NotFound, 405 MethodNotAllowed, 429 QuotaExceeded.
- createRestrictedDataToken `POST /tokens/2021-03-01/restrictedDataToken` (access token
  only) `{"restrictedResources": [{"method", "path", "dataElements"?}] (1..50),
  "targetApplication"?}` → `{"restrictedDataToken": "Atz.sprdt|…", "expiresIn": --rdt-ttl}`.
  A resource is `GET /orders/v0/orders` or `GET /orders/v0/orders/{orderId}[/orderItems |
  /address | /buyerInfo | /orderItems/buyerInfo | /regulatedInfo]`, with `{orderId}` written
  as such (any order) or an order id; dataElements (buyerInfo, shippingAddress,
  buyerTaxInformation) are required for getOrders and getOrder, only buyerInfo and required
  for getOrderItems, refused elsewhere. Anything else → 400 InvalidInput naming the field.
  `--no-restricted-role`: every valid request → 400 InvalidInput "Application does not have
  access to one or more requested data elements: [buyerInfo, shippingAddress]" (the
  requested elements, sorted), or "Application do not have access to some or all requested
  resource" when none was requested.
- Restricted data. Without an RDT for the call: `ShippingAddress` keeps only City, County,
  District, StateOrRegion, Municipality, PostalCode, CountryCode; `BuyerInfo` loses
  BuyerEmail, BuyerName, BuyerTaxInfo, PurchaseOrderNumber; the order's BuyerTaxInformation,
  the items' `BuyerInfo` (gift messages, customizations) are left out. An RDT with
  shippingAddress / buyerInfo / buyerTaxInformation for getOrders or getOrder shows each;
  one with buyerInfo for getOrderItems shows the items' BuyerInfo; one for getOrderAddress,
  getOrderBuyerInfo or getOrderItemsBuyerInfo shows what that call returns. Whatever the
  token: `ShippingAddress` only for Unshipped, PartiallyShipped, Shipped and
  InvoiceUnconfirmed orders; no `Phone` on AFN orders (nor on Shipped / InvoiceUnconfirmed
  ones past their LatestDeliveryDate); Pending orders without OrderTotal, ShippingAddress and
  BuyerInfo, and their items without prices, taxes, promotions, gift data or BuyerInfo.
- getOrders `GET /orders/v0/orders`: `MarketplaceIds` (required, must hold the configured
  id), exactly one of `CreatedAfter` / `LastUpdatedAfter` (ISO 8601), `CreatedBefore` /
  `LastUpdatedBefore` (the matching one only; equal to or after the After date and at least
  two minutes before now, else 400 "The input you have submitted is not valid. Please check
  your input and try again."), `OrderStatuses`, `FulfillmentChannels` (AFN, MFN),
  `AmazonOrderIds` (up to 50), `MaxResultsPerPage` (1..100, default `--page-size`; a page
  holds at most `--max-page-size` orders whatever it asks, 100 by default),
  `NextToken` (the first call's filters are kept server-side; only `MarketplaceIds` is
  needed with it). Orders come sorted by (LastUpdateDate, AmazonOrderId); `LastUpdatedAfter`
  means LastUpdateDate >= value; the upper bound defaults to now. → `{"payload": {"Orders":
  […], "NextToken" (absent on the last page), "LastUpdatedBefore" or "CreatedBefore"}}`.
- getOrder `GET /orders/v0/orders/{id}` → `{"payload": order}`; getOrderAddress
  `…/{id}/address` → `{"payload": {"AmazonOrderId", "ShippingAddress"?}}`; getOrderBuyerInfo
  `…/{id}/buyerInfo` → `{"payload": {"AmazonOrderId", BuyerInfo's fields}}`.
- getOrderItems `…/{id}/orderItems` (`NextToken` beyond `--items-page-size` items) →
  `{"payload": {"AmazonOrderId", "OrderItems": […], "NextToken"?}}`; `ItemPrice` is the price
  of all units of the line. getOrderItemsBuyerInfo `…/{id}/orderItems/buyerInfo` (same
  paging) → `{"payload": {"AmazonOrderId", "OrderItems": [{"OrderItemId", item BuyerInfo's
  fields}], "NextToken"?}}`.
- confirmShipment `POST …/{id}/shipmentConfirmation` `{"marketplaceId", "packageDetail":
  {"packageReferenceId", "carrierCode", "carrierName"?, "shippingMethod"?,
  "trackingNumber", "shipDate", "shipFromSupplySourceId"?, "orderItems": [{"orderItemId",
  "quantity", "transparencyCodes"?}]}, "codCollectionMethod"?}` → 204. 400 InvalidInput: a
  missing field ("Missing required field packageDetail.carrierCode."); carrierName missing
  when carrierCode is Other; a field of the wrong JSON type ("The input you have submitted
  is not valid. Please check the fields with invalid type [packageDetail.packageReferenceId]."
  — packageReferenceId is a string); a packageReferenceId missing or not positive numeric
  ("PackageReferenceId: is invalid, must be a positive numeric value."); a shipDate that is
  not an ISO 8601 date-time with a time zone; an empty orderItems, a quantity below 1; a
  codCollectionMethod other than DirectPayment; another marketplaceId. Then 404 for an
  unknown order; 400 for an AFN order, an order not Unshipped / PartiallyShipped, a new
  packageReferenceId on a Shipped / InvoiceUnconfirmed order ("Failed to create package due
  to not finding a matching package or order already fulfilled."), an unknown orderItemId
  ("OrderItemId X is invalid, please obtain the value through the getOrderItems API or
  Manage Orders page"), a quantity above what is left to ship. A packageReferenceId already
  confirmed for the order (compared as a number) edits that package, as on Amazon: its
  earlier quantities are given back, then the new ones shipped (Shipped orders too). It sets
  the items' QuantityShipped, OrderStatus (Shipped when every unit is shipped, else
  PartiallyShipped), NumberOfItemsShipped/Unshipped and LastUpdateDate (now).

Usage plans (token buckets, one per operation; `--no-usage-plans` turns them off): getOrders
rate 0.0167/s burst 20; getOrder, getOrderAddress, getOrderBuyerInfo, getOrderItems,
getOrderItemsBuyerInfo 0.5/s burst 30; confirmShipment 2/s burst 10;
createRestrictedDataToken 1/s burst 10. A bucket starts full, each call with a live token
takes one token, tokens come back continuously at the rate up to the burst. `--rate-scale F`
multiplies every rate (not the bursts), `--burst-scale F` every burst (rounded, at least 1).
A call finding no token → 429 `{"errors": [{"code": "QuotaExceeded", "message": "You exceeded
your quota for the requested resource."}]}`, before injected faults. Every SP-API answer
carries `x-amzn-RequestId`; 200, 204, 400, 404 and 405 answers also carry
`x-amzn-RateLimit-Limit` with the operation's (scaled) rate, e.g. "0.0167", "2.0"; 403,
429 and 5xx answers do not, like Amazon's, and nothing carries `Retry-After`. Without usage
plans no answer carries `x-amzn-RateLimit-Limit`.

`--generate N --seed S`: N synthetic orders (ids `402-NNNNNNN-NNNNNNN`, 1–3 items of
SellerSKU `SKU-000001`…`SKU-<K>` with K = `--skus`, 1000 by default; mostly Unshipped,
some Shipped, Pending, Canceled and PartiallyShipped; about 10 % AFN; shipping to FR, ES,
DE, IT, BE; LastUpdateDate over the 30 days before 2025-06-30T00:00:00Z), the same for
the same N and seed. They are indexed at start-up and built on demand, so 100,000 orders
start in well under a second. `--orders` orders are added on top (replacing by id).

Control routes (sim_common.py): `/_sim/fail` (429 in the QuotaExceeded shape above),
`/_sim/die-after`, `/_sim/hang`, `/_sim/requests`, `/_sim/reset` (also restores the initial
orders, forgets confirmations and packages, refills the buckets), plus `GET /_sim/orders`
(every order with its `OrderItems`), `GET /_sim/orders/{id}`, `POST /_sim/orders` (a list of
orders, or `{"Orders": […]}`, each with `OrderItems`, added or replacing by AmazonOrderId),
`GET /_sim/confirmations` (every accepted shipment confirmation: `{AmazonOrderId, body,
time, edit}`), `POST /_sim/expire-tokens` (every access token and RDT issued so far expires
now), `GET /_sim/quota` (`{operation: {rate, burst, tokens_now, throttled}}`, tokens_now
null without usage plans, throttled the 429s the bucket gave) and `POST /_sim/quota`
`{"operation"?, "tokens"?}` (sets the tokens of one bucket or all; no tokens: full).
"""
import bisect
import calendar
import collections
import copy
import functools
import itertools
import json
import os
import random
import re
import secrets
import socket
import sys
import time
import traceback
import uuid
from datetime import datetime, timezone
from urllib.parse import parse_qs, urlsplit

sys.dont_write_bytecode = True  # no __pycache__ beside the sources when importing the shared modules

import sim_common  # noqa: E402

STATUSES = ("PendingAvailability", "Pending", "Unshipped", "PartiallyShipped", "Shipped",
            "InvoiceUnconfirmed", "Canceled", "Unfulfillable")
CHANNELS = ("AFN", "MFN")
CONFIRMABLE = {"Unshipped", "PartiallyShipped"}            # a new package may be confirmed
FULFILLED = {"Shipped", "InvoiceUnconfirmed"}               # every unit shipped
ADDRESS_STATUSES = {"Unshipped", "PartiallyShipped", "Shipped", "InvoiceUnconfirmed"}  # ShippingAddress shown
HIDDEN_WHEN_PENDING = ("OrderTotal", "ShippingAddress", "BuyerInfo")
# What a ShippingAddress keeps without an RDT for shippingAddress (the rest is restricted data:
# Name, CompanyName, AddressLine1-3, Phone, AddressType, ExtendedFields, ...).
OPEN_ADDRESS_FIELDS = ("City", "County", "District", "StateOrRegion", "Municipality", "PostalCode", "CountryCode")
RESTRICTED_BUYER_FIELDS = ("BuyerEmail", "BuyerName", "BuyerTaxInfo", "PurchaseOrderNumber")
# getOrderItems of a Pending order: no pricing, taxes, shipping charges, gift status or promotions.
PENDING_ITEM_FIELDS = ("ItemPrice", "ShippingPrice", "ItemTax", "ShippingTax", "ShippingDiscount",
                       "ShippingDiscountTax", "PromotionDiscount", "PromotionDiscountTax", "PromotionIds",
                       "CODFee", "CODFeeDiscount", "IsGift", "PointsGranted", "TaxCollection", "BuyerInfo")
MAX_PAGE = 100
MAX_TOKENS = 100000
MAX_RESOURCES = 50
BEFORE_MARGIN = 120  # CreatedBefore / LastUpdatedBefore: at least two minutes before now
GENERATION_END = calendar.timegm((2025, 6, 30, 0, 0, 0))
GENERATION_SPAN = 30 * 86400

# Default usage plans: operation -> (rate in requests per second, burst).
USAGE_PLANS = collections.OrderedDict([
    ("getOrders", (0.0167, 20)), ("getOrder", (0.5, 30)), ("getOrderAddress", (0.5, 30)),
    ("getOrderBuyerInfo", (0.5, 30)), ("getOrderItems", (0.5, 30)), ("getOrderItemsBuyerInfo", (0.5, 30)),
    ("confirmShipment", (2.0, 10)), ("createRestrictedDataToken", (1.0, 10)),
])
# Operations under /orders/v0/orders/{orderId}: (method, rest of the path) -> operation.
ORDER_ROUTES = {("GET", ""): "getOrder", ("GET", "address"): "getOrderAddress",
                ("GET", "buyerInfo"): "getOrderBuyerInfo", ("GET", "orderItems"): "getOrderItems",
                ("GET", "orderItems/buyerInfo"): "getOrderItemsBuyerInfo",
                ("POST", "shipmentConfirmation"): "confirmShipment"}
DATA_ELEMENTS = ("buyerInfo", "shippingAddress", "buyerTaxInformation")
# Restricted operations of the Orders API an RDT can be made for: rest of the path after
# /orders/v0/orders/{orderId} -> (operation, dataElements it takes; they are then required).
RESTRICTED_PATHS = {"": ("getOrder", frozenset(DATA_ELEMENTS)),
                    "orderItems": ("getOrderItems", frozenset(["buyerInfo"])),
                    "address": ("getOrderAddress", frozenset()),
                    "buyerInfo": ("getOrderBuyerInfo", frozenset()),
                    "orderItems/buyerInfo": ("getOrderItemsBuyerInfo", frozenset()),
                    "regulatedInfo": ("getOrderRegulatedInfo", frozenset())}
GET_ORDERS_ELEMENTS = frozenset(DATA_ELEMENTS)
RFC3339 = re.compile(r"^\d{4}-\d{2}-\d{2}[Tt]\d{2}:\d{2}:\d{2}(\.\d+)?([Zz]|[+-]\d{2}:\d{2})$")
POSITIVE_NUMERIC = re.compile(r"^[0-9]+$")

UNAUTHORIZED = "Access to requested resource is denied."
BAD_TOKEN = "The access token you provided is revoked, malformed or invalid."
QUOTA = {"code": "QuotaExceeded", "message": "You exceeded your quota for the requested resource."}
INVALID_INPUT = "The input you have submitted is not valid. Please check your input and try again."
NO_ROLE_ELEMENTS = "Application does not have access to one or more requested data elements: [%s]"
NO_ROLE_RESOURCES = "Application do not have access to some or all requested resource"
BAD_PACKAGE_REFERENCE = "PackageReferenceId: is invalid, must be a positive numeric value."
NO_PACKAGE_TO_UPDATE = "Failed to create package due to not finding a matching package or order already fulfilled."
BAD_ORDER_ITEM = "OrderItemId %s is invalid, please obtain the value through the getOrderItems API or Manage Orders page"
# Statuses whose SP-API answers carry no x-amzn-RateLimit-Limit (per the published models).
NO_RATE_HEADER = {401, 403, 413, 415, 429}


class AmazonError(Exception):
    """An SP-API error: `{"errors": [{"code", "message", "details"}]}` with `status`."""

    def __init__(self, status, code, message, details=""):
        super().__init__(message)
        self.status, self.code, self.message, self.details = status, code, message, details

    def body(self):
        return {"errors": [{"code": self.code, "message": self.message, "details": self.details}]}


class LwaError(Exception):
    """A Login with Amazon error: `{"error", "error_description"}` with `status`."""

    def __init__(self, status, error, description):
        super().__init__(description)
        self.status, self.error, self.description = status, error, description


def invalid(message, details=""):
    return AmazonError(400, "InvalidInput", message, details)


def invalid_type(field):
    return invalid("The input you have submitted is not valid. Please check the fields with invalid type [%s]." % field)


def unauthorized(details=""):
    return AmazonError(403, "Unauthorized", UNAUTHORIZED, details)


def parse_time(text):
    """Epoch seconds of an ISO 8601 date-time (UTC when it has no offset); ValueError if not one."""
    if not isinstance(text, str) or not text.strip():
        raise ValueError("empty date")
    moment = datetime.fromisoformat(text.strip().replace("Z", "+00:00").replace("z", "+00:00"))
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=timezone.utc)
    return moment.timestamp()


def iso(epoch):
    return time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(int(epoch)))


def money(amount):
    return {"CurrencyCode": "EUR", "Amount": "%.2f" % amount}


def rate_text(rate):
    """A rate as x-amzn-RateLimit-Limit shows it: 0.0167, 0.5, 2.0."""
    text = ("%.10f" % rate).rstrip("0")
    return text + "0" if text.endswith(".") else text


def resolve(method, path):
    """(operation, order id) of an SP-API call; operation None when no operation has this
    method and path."""
    if path == "/tokens/2021-03-01/restrictedDataToken":
        return ("createRestrictedDataToken" if method == "POST" else None), None
    parts = path.strip("/").split("/")
    if parts[:3] != ["orders", "v0", "orders"]:
        return None, None
    if len(parts) == 3:
        return ("getOrders" if method == "GET" else None), None
    return ORDER_ROUTES.get((method, "/".join(parts[4:]))), parts[3]


def path_operations(path):
    """The operations served at `path` (any method), for 404 / 405 answers."""
    if path == "/tokens/2021-03-01/restrictedDataToken":
        return {"POST": "createRestrictedDataToken"}
    parts = path.strip("/").split("/")
    if parts[:3] != ["orders", "v0", "orders"]:
        return {}
    if len(parts) == 3:
        return {"GET": "getOrders"}
    rest = "/".join(parts[4:])
    return {method: operation for (method, tail), operation in ORDER_ROUTES.items() if tail == rest}


def restricted_resource(method, path):
    """(operation, order id or None for any, dataElements it takes) of a restricted resource of
    createRestrictedDataToken, or None when `method` `path` is not a restricted operation."""
    if method != "GET" or not isinstance(path, str):
        return None
    if path == "/orders/v0/orders":
        return "getOrders", None, GET_ORDERS_ELEMENTS
    prefix = "/orders/v0/orders/"
    if not path.startswith(prefix):
        return None
    order_id, _, rest = path[len(prefix):].partition("/")
    if rest not in RESTRICTED_PATHS or not order_id:
        return None
    if order_id != "{orderId}" and ("{" in order_id or "}" in order_id):
        return None
    operation, elements = RESTRICTED_PATHS[rest]
    return operation, (None if order_id == "{orderId}" else order_id), elements


class Bucket:
    """A usage plan's token bucket: starts full, one token a call, refilled at `rate` per second
    up to `burst`."""

    def __init__(self, rate, burst):
        self.rate, self.burst = rate, burst
        self.refill()
        self.throttled = 0

    def refill(self, tokens=None):
        self.tokens = float(self.burst if tokens is None else max(0.0, min(float(self.burst), tokens)))
        self.stamp = time.monotonic()

    def level(self, now=None):
        now = time.monotonic() if now is None else now
        return min(float(self.burst), self.tokens + (now - self.stamp) * self.rate)

    def take(self):
        now = time.monotonic()
        self.tokens, self.stamp = self.level(now), now
        if self.tokens >= 1.0:
            self.tokens -= 1.0
            return True
        self.throttled += 1
        return False


# MARK: - Synthetic orders

COUNTRIES = (  # code, weight, first names, last names, (city, postal code), streets, phone format
    ("FR", 50, ("Élodie", "Jérôme", "Camille", "Théo", "Manon", "Lucas", "Chloé", "Hugo", "Léa", "Anaïs"),
     ("Marchand", "N'Diaye", "Lefèvre", "Dubois", "Moreau", "Girard", "Roux", "Fournier", "Bonnet", "Mercier"),
     (("Paris", "75005"), ("Lyon", "69003"), ("Marseille", "13008"), ("Toulouse", "31000"), ("Nantes", "44000"),
      ("Lille", "59000"), ("Bordeaux", "33000"), ("Strasbourg", "67000")),
     ("rue des Écoles", "avenue Jean Jaurès", "boulevard Voltaire", "allée des Tilleuls", "rue de la République"),
     "+33 6 %02d %02d %02d %02d"),
    ("ES", 15, ("Lucía", "Javier", "María José", "Álvaro", "Sofía", "Martín"),
     ("García", "Fernández", "López", "Martínez", "Núñez", "Peña"),
     (("Madrid", "28013"), ("Barcelona", "08001"), ("Valencia", "46002"), ("Sevilla", "41001")),
     ("Calle Mayor", "Avenida de la Constitución", "Calle de Alcalá", "Carrer de Mallorca"),
     "+34 6%02d %02d %02d %02d"),
    ("DE", 15, ("Jürgen", "Lena", "Maximilian", "Sophie", "Jonas", "Mia"),
     ("Müller", "Schäfer", "Weiß", "Becker", "Groß", "Köhler"),
     (("Berlin", "10115"), ("München", "80331"), ("Hamburg", "20095"), ("Köln", "50667")),
     ("Hauptstraße", "Schloßallee", "Bahnhofstraße", "Goethestraße"),
     "+49 151 %02d%02d%02d%02d"),
    ("IT", 12, ("Giulia", "Niccolò", "Francesca", "Lorenzo", "Chiara"),
     ("Rossi", "Bianchi", "D'Amico", "Esposito", "Ricci"),
     (("Roma", "00184"), ("Milano", "20121"), ("Napoli", "80133"), ("Torino", "10121")),
     ("Via Roma", "Corso Vittorio Emanuele II", "Via Garibaldi", "Piazza del Duomo"),
     "+39 3%02d %02d %02d %02d"),
    ("BE", 8, ("Lotte", "Maxime", "Noé", "Émilie", "Wout"),
     ("Peeters", "Janssens", "Dupont", "Van den Broeck", "Lambert"),
     (("Bruxelles", "1000"), ("Antwerpen", "2000"), ("Liège", "4000"), ("Gent", "9000")),
     ("Rue Neuve", "Meir", "Boulevard d'Avroy", "Veldstraat"),
     "+32 4%02d %02d %02d %02d"),
)
KINDS = ("Sneakers", "Sac cabas", "Ceinture", "Veste", "Écharpe", "Bottines", "Portefeuille", "T-shirt")
MATERIALS = ("en cuir", "en toile", "en laine", "en coton bio", "en daim")
COLORS = ("noir", "camel", "bleu marine", "rouge", "blanc cassé", "vert d'eau")
COUNTRY_WEIGHTS = list(itertools.accumulate(country[1] for country in COUNTRIES))
BASE36 = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ"


@functools.lru_cache(maxsize=None)
def sku_facts(number):
    """(SellerSKU, ASIN, Title, unit price) of product `number`: the same wherever it is sold."""
    mixed = (number * 2654435761) % 36 ** 8
    asin = "B0" + "".join(BASE36[(mixed // 36 ** k) % 36] for k in range(7, -1, -1))
    title = "%s %s %s" % (KINDS[number % len(KINDS)], MATERIALS[(number // 8) % len(MATERIALS)],
                          COLORS[(number // 40) % len(COLORS)])
    return "SKU-%06d" % number, asin, title, (number * 37) % 240 + 9.9


class Generator:
    """`--generate`: N orders drawn from a seed. Their index (id, dates, status, channel) is
    built at start-up from one random stream; each order's details come from its own
    generator seeded by (seed, position), so that any order is built alone, on demand."""

    def __init__(self, count, seed, skus, marketplace_id):
        self.count, self.seed, self.skus, self.marketplace_id = count, seed, max(1, skus), marketplace_id
        rng = random.Random(seed)
        self.rows = []  # (updated, created, status, channel) by position
        self.meta = {}  # id -> (updated, created, status, channel)
        for position in range(count):
            pick = rng.random()
            status = ("Unshipped" if pick < 0.62 else "Shipped" if pick < 0.82 else "Pending" if pick < 0.90
                      else "Canceled" if pick < 0.97 else "PartiallyShipped")
            channel = "AFN" if rng.random() < 0.1 else "MFN"
            updated = float(GENERATION_END - 1 - rng.randrange(GENERATION_SPAN))
            created = updated - rng.randrange(6 * 3600 if status == "Pending" else 3 * 86400)
            row = (updated, created, status, channel)
            self.rows.append(row)
            self.meta[self.order_id(position)] = row
        self.sorted = sorted((row[0], order_id) for order_id, row in self.meta.items())

    def order_id(self, position):
        return "402-%07d-%07d" % (position + 1, (position * 7919 + self.seed * 104729 + 1234567) % 10 ** 7)

    def position(self, order_id):
        parts = order_id.split("-") if isinstance(order_id, str) else []
        if len(parts) != 3 or not parts[1].isdigit():
            return None
        position = int(parts[1]) - 1
        return position if 0 <= position < self.count and self.order_id(position) == order_id else None

    def order(self, order_id):
        """The whole order (with OrderItems), or None when `order_id` is not a generated one."""
        position = self.position(order_id)
        if position is None:
            return None
        updated, created, status, channel = self.rows[position]
        rng = random.Random(self.seed * 1000003 + position)
        code, _, firsts, lasts, cities, streets, phone = rng.choices(COUNTRIES, cum_weights=COUNTRY_WEIGHTS)[0]
        name = "%s %s" % (rng.choice(firsts), rng.choice(lasts))
        city, postal_code = rng.choice(cities)
        count = rng.randint(2, 3) if status == "PartiallyShipped" else rng.choices((1, 2, 3), (60, 30, 10))[0]
        numbers = rng.sample(range(1, self.skus + 1), min(count, self.skus))
        items, total, shipped, unshipped = [], 0.0, 0, 0
        for index, number in enumerate(numbers):
            sku, asin, title, unit = sku_facts(number)
            quantity = rng.choices((1, 2, 3), (80, 15, 5))[0]
            done = quantity if status == "Shipped" or (status == "PartiallyShipped" and index == 0) else 0
            item_id = "%08d%02d%04d" % (position + 1, index + 1, rng.randrange(10000))
            item = {"ASIN": asin, "SellerSKU": sku, "OrderItemId": item_id, "Title": title,
                    "QuantityOrdered": quantity, "QuantityShipped": done}
            if status not in ("Pending", "Canceled"):
                item["ItemPrice"] = money(unit * quantity)
            items.append(item)
            total += unit * quantity
            if status != "Canceled":
                shipped += done
                unshipped += quantity - done
        order = {"AmazonOrderId": order_id, "PurchaseDate": iso(created), "LastUpdateDate": iso(updated),
                 "OrderStatus": status, "FulfillmentChannel": channel, "SalesChannel": "Amazon.fr",
                 "OrderType": "StandardOrder"}
        if status not in ("Pending", "Canceled"):
            order["OrderTotal"] = money(total)
        order.update({"NumberOfItemsShipped": shipped, "NumberOfItemsUnshipped": unshipped,
                      "PaymentMethod": "Other", "MarketplaceId": self.marketplace_id,
                      "ShipmentServiceLevelCategory": "Expedited" if rng.random() < 0.2 else "Standard"})
        address = {"Name": name, "AddressLine1": "%d %s" % (rng.randint(1, 120), rng.choice(streets))}
        if rng.random() < 0.25:
            address["AddressLine2"] = rng.choice(("Bâtiment B", "3e étage", "Apt. 12", "c/o Accueil"))
        digits = rng.getrandbits(27) % 10 ** 8
        address.update({"City": city, "PostalCode": postal_code, "CountryCode": code,
                        "Phone": phone % (digits // 10 ** 6, digits // 10 ** 4 % 100, digits // 100 % 100, digits % 100)})
        order["ShippingAddress"] = address
        order["BuyerInfo"] = {"BuyerEmail": "%014x@marketplace.amazon.fr" % rng.getrandbits(56), "BuyerName": name}
        order["IsPrime"] = rng.random() < 0.3
        order["IsBusinessOrder"] = rng.random() < 0.05
        order["OrderItems"] = items
        return order


# MARK: - State


class AmazonState(sim_common.SimState):
    def __init__(self, args):
        super().__init__()
        self.client_id, self.client_secret = args.client_id, args.client_secret
        self.refresh_token, self.marketplace_id = args.refresh_token, args.marketplace_id
        self.ttl, self.rdt_ttl, self.restricted_role = args.token_ttl, args.rdt_ttl, not args.no_restricted_role
        self.page_size, self.items_page_size = args.page_size, args.items_page_size
        self.max_page_size = args.max_page_size
        self.access_tokens = {}  # token -> expiry (epoch seconds)
        self.rdts = {}           # restricted data token -> {"expires", "resources": [(operation, order id, elements)]}
        self.page_tokens = collections.OrderedDict()  # NextToken -> what the next page needs
        self.usage_plans = not args.no_usage_plans
        self.rate_scale, self.burst_scale = args.rate_scale, args.burst_scale
        self.buckets = collections.OrderedDict(
            (operation, Bucket(rate * self.rate_scale, max(1, int(round(burst * self.burst_scale)))))
            for operation, (rate, burst) in USAGE_PLANS.items())
        self.generator = Generator(args.generate, args.seed, args.skus, args.marketplace_id) if args.generate else None
        self.initial_orders = []
        if args.orders:
            with open(args.orders, encoding="utf-8") as file:
                loaded = json.load(file)
            self.initial_orders = loaded.get("Orders", loaded.get("orders", [])) if isinstance(loaded, dict) else loaded
            self.initial_orders = [self.normalize(order) for order in self.initial_orders]
        self.explicit = {}   # id -> whole order: from the file, the control route, or changed
        self.meta = {}       # id -> (updated, created, status, channel) of every order
        self.by_update = []  # sorted (updated, id)
        self.confirmations = []
        self.packages = {}   # (order id, package reference number) -> {order item id: quantity}
        self.restore()

    def restore(self):
        self.explicit = {}
        self.meta = dict(self.generator.meta) if self.generator else {}
        self.by_update = list(self.generator.sorted) if self.generator else []
        self.confirmations = []
        self.packages = {}
        for order in self.initial_orders:
            self.store(copy.deepcopy(order))
        for bucket in self.buckets.values():
            bucket.refill()
            bucket.throttled = 0

    def reset(self):
        super().reset()
        with self.lock:
            self.restore()

    # MARK: Tokens

    def issue_token(self):
        with self.lock:
            token = "Atza|" + secrets.token_urlsafe(96)
            self.access_tokens[token] = time.time() + self.ttl
            return token

    def issue_rdt(self, resources):
        with self.lock:
            token = "Atz.sprdt|" + secrets.token_urlsafe(96)
            self.rdts[token] = {"expires": time.time() + self.rdt_ttl, "resources": resources}
            return token

    def grant(self, token):
        """("lwa", None) for a live access token, ("rdt", resources) for a live restricted data
        token, None otherwise."""
        if not token:
            return None
        with self.lock:
            now = time.time()
            if self.access_tokens.get(token, 0) > now:
                return "lwa", None
            rdt = self.rdts.get(token)
            if rdt is not None and rdt["expires"] > now:
                return "rdt", rdt["resources"]
            return None

    def expire_tokens(self):
        with self.lock:
            for token in self.access_tokens:
                self.access_tokens[token] = 0
            for rdt in self.rdts.values():
                rdt["expires"] = 0

    def remember(self, cursor):
        """A new opaque NextToken for `cursor` (kept server-side; the oldest are forgotten)."""
        with self.lock:
            token = secrets.token_urlsafe(48)
            self.page_tokens[token] = cursor
            while len(self.page_tokens) > MAX_TOKENS:
                self.page_tokens.popitem(last=False)
            return token

    def cursor(self, token, kind):
        with self.lock:
            cursor = self.page_tokens.get(token)
        if cursor is None or cursor["kind"] != kind:
            raise invalid("Invalid NextToken: it is unknown or expired.")
        return cursor

    # MARK: Usage plans

    def take(self, operation):
        """Takes a token from the operation's bucket; False when it is empty (a 429)."""
        with self.lock:
            return self.buckets[operation].take()

    def rate_header(self, operation):
        return rate_text(self.buckets[operation].rate) if self.usage_plans and operation in self.buckets else None

    def quota(self):
        with self.lock:
            now = time.monotonic()
            return collections.OrderedDict(
                (operation, {"rate": round(bucket.rate, 10), "burst": bucket.burst,
                             "tokens_now": round(bucket.level(now), 4) if self.usage_plans else None,
                             "throttled": bucket.throttled})
                for operation, bucket in self.buckets.items())

    def set_quota(self, body):
        operation = body.get("operation")
        if operation is not None and operation not in self.buckets:
            raise sim_common.ControlError("operation must be one of %s" % ", ".join(self.buckets))
        tokens = body.get("tokens")
        if tokens is not None and (not isinstance(tokens, (int, float)) or isinstance(tokens, bool) or tokens < 0):
            raise sim_common.ControlError("tokens must be a number >= 0")
        with self.lock:
            for name, bucket in self.buckets.items():
                if operation is None or name == operation:
                    bucket.refill(tokens)

    # MARK: Orders

    def normalize(self, order):
        """An order of the file or the control route with its defaults; ControlError if unusable."""
        if not isinstance(order, dict) or not isinstance(order.get("AmazonOrderId"), str) or not order["AmazonOrderId"]:
            raise sim_common.ControlError("each order needs an AmazonOrderId")
        order = copy.deepcopy(order)
        order_id = order["AmazonOrderId"]
        order.setdefault("LastUpdateDate", iso(time.time()))
        order.setdefault("PurchaseDate", order["LastUpdateDate"])
        for key in ("LastUpdateDate", "PurchaseDate"):
            try:
                parse_time(order[key])
            except (ValueError, TypeError):
                raise sim_common.ControlError("order %s: %s is not an ISO 8601 date-time" % (order_id, key))
        order.setdefault("OrderStatus", "Unshipped")
        order.setdefault("FulfillmentChannel", "MFN")
        order.setdefault("SalesChannel", "Amazon.fr")
        order.setdefault("MarketplaceId", self.marketplace_id)
        items = order.setdefault("OrderItems", [])
        if not isinstance(items, list) or not all(isinstance(item, dict) for item in items):
            raise sim_common.ControlError("order %s: OrderItems must be a list of objects" % order_id)
        for index, item in enumerate(items, 1):
            item.setdefault("OrderItemId", "%s%02d" % ("".join(c for c in order_id if c.isdigit()), index))
            item.setdefault("QuantityOrdered", 1)
            item.setdefault("QuantityShipped", 0)
        if "NumberOfItemsShipped" not in order or "NumberOfItemsUnshipped" not in order:
            self.count_items(order)
        return order

    @staticmethod
    def count_items(order):
        if order.get("OrderStatus") == "Canceled":
            order["NumberOfItemsShipped"] = order["NumberOfItemsUnshipped"] = 0
            return
        shipped = sum(int(item.get("QuantityShipped") or 0) for item in order.get("OrderItems", []))
        ordered = sum(int(item.get("QuantityOrdered") or 0) for item in order.get("OrderItems", []))
        order["NumberOfItemsShipped"], order["NumberOfItemsUnshipped"] = shipped, max(0, ordered - shipped)

    @staticmethod
    def meta_of(order):
        try:
            created = parse_time(order.get("PurchaseDate"))
        except (ValueError, TypeError):
            created = None
        return (parse_time(order["LastUpdateDate"]), created, order.get("OrderStatus"), order.get("FulfillmentChannel"))

    def store(self, order):
        """Adds or replaces a normalized order, keeping the index sorted (caller holds the lock)."""
        order_id = order["AmazonOrderId"]
        old = self.meta.get(order_id)
        if old is not None:
            position = bisect.bisect_left(self.by_update, (old[0], order_id))
            if position < len(self.by_update) and self.by_update[position] == (old[0], order_id):
                del self.by_update[position]
        meta = self.meta_of(order)
        self.explicit[order_id] = order
        self.meta[order_id] = meta
        bisect.insort(self.by_update, (meta[0], order_id))

    def put_orders(self, orders):
        if not isinstance(orders, list):
            raise sim_common.ControlError("expected a list of orders, or {\"Orders\": [...]}")
        normalized = [self.normalize(order) for order in orders]
        with self.lock:
            for order in normalized:
                self.store(order)
        return len(normalized)

    def order(self, order_id):
        """The whole order (shared: read it under the lock), or None."""
        with self.lock:
            found = self.explicit.get(order_id)
            if found is None and self.generator and order_id in self.meta:
                found = self.generator.order(order_id)
            return found

    def mutable_order(self, order_id):
        """The order, held whole from now on so that changes stick (caller holds the lock)."""
        found = self.explicit.get(order_id)
        if found is None and self.generator and order_id in self.meta:
            found = self.explicit[order_id] = self.generator.order(order_id)
        return found

    def all_orders(self):
        with self.lock:
            return [self.order(order_id) for order_id in self.meta]

    def page(self, query, after, size):
        """Up to `size` order ids matching `query` after the key `after`, and the key to go on
        from (None on the last page). Caller holds the lock."""
        keys = self.by_update
        if after is not None:
            start = bisect.bisect_right(keys, after)
        elif query["updated_after"] is not None:
            start = bisect.bisect_left(keys, (query["updated_after"], ""))
        else:
            start = 0
        found = []
        for position in range(start, len(keys)):
            key = keys[position]
            if query["updated_before"] is not None and key[0] > query["updated_before"]:
                break
            if self.matches(key[1], self.meta[key[1]], query):
                found.append(key)
                if len(found) > size:
                    break
        more = len(found) > size
        found = found[:size]
        return [order_id for _, order_id in found], (found[-1] if more and found else None)

    @staticmethod
    def matches(order_id, meta, query):
        updated, created, status, channel = meta
        if query["updated_after"] is not None and updated < query["updated_after"]:
            return False
        if query["created_after"] is not None and (created is None or created < query["created_after"]):
            return False
        if query["created_before"] is not None and (created is None or created > query["created_before"]):
            return False
        if query["statuses"] and status not in query["statuses"]:
            return False
        if query["channels"] and channel not in query["channels"]:
            return False
        if query["ids"] and order_id not in query["ids"]:
            return False
        return True

    def confirm(self, order_id, request):
        """Applies a validated shipment confirmation; AmazonError when the order refuses it.
        A packageReferenceId already confirmed for the order edits that package."""
        package = request["packageDetail"]
        with self.lock:
            order = self.mutable_order(order_id)
            if order is None:
                raise AmazonError(404, "NotFound", "Order %s was not found." % order_id)
            if order.get("FulfillmentChannel") == "AFN":
                raise invalid("Order %s: FBA orders are fulfilled by Amazon and cannot be confirmed by the seller." % order_id)
            key = (order_id, int(package["packageReferenceId"]))
            previous = self.packages.get(key)
            status = order.get("OrderStatus")
            if previous is None and status in FULFILLED:
                raise invalid(NO_PACKAGE_TO_UPDATE)
            if status not in CONFIRMABLE and not (previous is not None and status in FULFILLED):
                raise invalid("Order %s is %s: only Unshipped or PartiallyShipped orders can be confirmed."
                              % (order_id, status))
            previous = previous or {}
            items = {str(item.get("OrderItemId")): item for item in order.get("OrderItems", [])}
            wanted = collections.OrderedDict()
            for entry in package["orderItems"]:
                item_id = entry["orderItemId"]
                if item_id not in items:
                    raise invalid(BAD_ORDER_ITEM % item_id)
                wanted[item_id] = wanted.get(item_id, 0) + entry["quantity"]
            for item_id, quantity in wanted.items():
                item = items[item_id]
                remaining = (int(item.get("QuantityOrdered") or 0) - int(item.get("QuantityShipped") or 0)
                             + previous.get(item_id, 0))
                if quantity > remaining:
                    raise invalid("Order %s, order item %s: quantity %d is above the %d left to ship."
                                  % (order_id, item_id, quantity, remaining))
            for item_id, quantity in previous.items():
                if item_id in items:
                    items[item_id]["QuantityShipped"] = max(0, int(items[item_id].get("QuantityShipped") or 0) - quantity)
            for item_id, quantity in wanted.items():
                items[item_id]["QuantityShipped"] = int(items[item_id].get("QuantityShipped") or 0) + quantity
            lines = order.get("OrderItems", [])
            if all(int(item.get("QuantityShipped") or 0) >= int(item.get("QuantityOrdered") or 0) for item in lines):
                order["OrderStatus"] = status if status in FULFILLED else "Shipped"
            elif any(int(item.get("QuantityShipped") or 0) > 0 for item in lines):
                order["OrderStatus"] = "PartiallyShipped"
            else:
                order["OrderStatus"] = "Unshipped"
            order["LastUpdateDate"] = iso(time.time())
            self.count_items(order)
            self.store(order)
            self.packages[key] = dict(wanted)
            self.confirmations.append({"AmazonOrderId": order_id, "body": request, "time": iso(time.time()),
                                       "edit": bool(previous)})


# MARK: - What a caller may see


def shown_address(address, order, full):
    """A ShippingAddress as the caller may see it: whole with an RDT for shippingAddress, else
    only its area fields; no Phone on AFN orders nor on shipped MFN orders past their
    LatestDeliveryDate."""
    shown = dict(address) if full else {key: address[key] for key in OPEN_ADDRESS_FIELDS if key in address}
    suppress = order.get("FulfillmentChannel") == "AFN"
    if not suppress and order.get("OrderStatus") in FULFILLED and order.get("LatestDeliveryDate"):
        try:
            suppress = parse_time(order["LatestDeliveryDate"]) < time.time()
        except (ValueError, TypeError):
            pass
    if suppress:
        shown.pop("Phone", None)
    return shown


def shown_order(order, elements):
    """The order as getOrders and getOrder show it: no items; the restricted data only for the
    dataElements of the caller's RDT; what Amazon hides by status hidden whatever the token."""
    shown = {key: value for key, value in order.items() if key != "OrderItems"}
    status = shown.get("OrderStatus")
    if status == "Pending":
        for key in HIDDEN_WHEN_PENDING:
            shown.pop(key, None)
    if status not in ADDRESS_STATUSES:
        shown.pop("ShippingAddress", None)
    if isinstance(shown.get("ShippingAddress"), dict):
        shown["ShippingAddress"] = shown_address(shown["ShippingAddress"], order, "shippingAddress" in elements)
    if isinstance(shown.get("BuyerInfo"), dict) and "buyerInfo" not in elements:
        shown["BuyerInfo"] = {key: value for key, value in shown["BuyerInfo"].items()
                              if key not in RESTRICTED_BUYER_FIELDS}
    if "buyerTaxInformation" not in elements:
        shown.pop("BuyerTaxInformation", None)
    return shown


def shown_item(order, item, buyer_info):
    shown = dict(item)
    if order.get("OrderStatus") == "Pending":
        for key in PENDING_ITEM_FIELDS:
            shown.pop(key, None)
    if not buyer_info:
        shown.pop("BuyerInfo", None)
    return shown


# MARK: - Handler


class AmazonHandler(sim_common.SimHandler):

    def setup(self):
        super().setup()
        # Headers and body leave in two writes: without this, Nagle's algorithm and the
        # client's delayed ACK hold every small reply for about 40 ms.
        self.connection.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)

    def current_operation(self):
        path = urlsplit(self.path).path.rstrip("/") or "/"
        operation, _ = resolve(self.command, path)
        if operation is None:
            operations = path_operations(path)
            operation = next(iter(operations.values()), None) if operations else None
        return operation

    def amazon_headers(self, operation, status):
        headers = [("x-amzn-RequestId", str(uuid.uuid4()))]
        rate = self.state.rate_header(operation) if operation else None
        if rate is not None and status not in NO_RATE_HEADER and status < 500:
            headers.append(("x-amzn-RateLimit-Limit", rate))
        return headers

    def reply(self, status, payload, operation):
        data = json.dumps(payload, ensure_ascii=False, separators=(",", ":")).encode("utf-8")
        self.send_bytes(status, data, headers=self.amazon_headers(operation, status))

    def fault_reply(self, status, retry_after):
        if self.path.startswith("/auth/"):
            error = {429: "too_many_requests", 503: "temporarily_unavailable"}.get(
                status, "server_error" if status >= 500 else "invalid_request")
            self.send_json(status, {"error": error, "error_description": self.responses.get(status, ("Error",))[0]})
            return
        if status == 429:
            self.send_json(429, {"errors": [QUOTA]}, self.amazon_headers(self.current_operation(), 429))
            return
        code, message = {
            400: ("InvalidInput", INVALID_INPUT), 403: ("Unauthorized", UNAUTHORIZED),
            404: ("NotFound", "Resource not found."),
            500: ("InternalFailure", "We encountered an internal error. Please try again."),
            503: ("ServiceUnavailable", "Service temporarily unavailable. Please try again."),
        }.get(status, ("Error", self.responses.get(status, ("Error",))[0]))
        self.send_json(status, {"errors": [{"code": code, "message": message, "details": ""}]},
                       self.amazon_headers(self.current_operation(), status))

    def internal_error(self, error):
        traceback.print_exc(file=sys.stderr)
        self.send_json(500, {"errors": [{"code": "InternalFailure", "message": "simulator error: %s" % error,
                                         "details": ""}]}, self.amazon_headers(None, 500))

    def admit(self):
        """The usage plans: a call of an operation with a live token takes one of its bucket's
        tokens, or gets 429 QuotaExceeded (before injected faults)."""
        state = self.state
        if not state.usage_plans:
            return True
        operation, _ = resolve(self.command, urlsplit(self.path).path.rstrip("/") or "/")
        if operation is None or state.grant(self.headers.get("x-amz-access-token")) is None:
            return True
        if state.take(operation):
            return True
        self.send_json(429, {"errors": [QUOTA]}, self.amazon_headers(operation, 429))
        return False

    def route(self, method, path, params, body):
        path = path.rstrip("/") or "/"
        operation, order_id = resolve(method, path)
        shown_operation = operation or self.current_operation()
        try:
            if path == "/auth/o2/token":
                if method != "POST":
                    raise LwaError(405, "invalid_request", "The token endpoint only accepts POST.")
                self.token(body)
            elif path.startswith("/orders/") or path.startswith("/tokens/"):
                grant = self.state.grant(self.headers.get("x-amz-access-token"))
                if grant is None:
                    raise unauthorized(BAD_TOKEN)
                if operation is None:
                    if path_operations(path):
                        raise AmazonError(405, "MethodNotAllowed", "%s is not allowed on %s." % (method, path))
                    raise AmazonError(404, "NotFound", "Resource %s not found." % path)
                elements, restricted = self.authorize(grant, operation, order_id)
                if operation == "createRestrictedDataToken":
                    self.create_rdt(body)
                elif operation == "getOrders":
                    self.get_orders(params, elements)
                elif operation == "getOrder":
                    self.get_order(order_id, elements)
                elif operation == "getOrderAddress":
                    self.get_address(order_id, restricted)
                elif operation == "getOrderBuyerInfo":
                    self.get_buyer_info(order_id, restricted)
                elif operation == "getOrderItems":
                    self.get_items(order_id, params, "buyerInfo" in elements)
                elif operation == "getOrderItemsBuyerInfo":
                    self.get_items_buyer_info(order_id, params, restricted)
                else:
                    self.confirm_shipment(order_id, body)
            else:
                raise AmazonError(404, "NotFound", "Resource %s not found." % path)
        except LwaError as error:
            self.send_json(error.status, {"error": error.error, "error_description": error.description})
        except AmazonError as error:
            self.reply(error.status, error.body(), shown_operation)

    def authorize(self, grant, operation, order_id):
        """(dataElements granted, whether an RDT covers the call). An access token calls every
        operation without restricted data; an RDT calls only the resources it was made for."""
        kind, resources = grant
        if kind == "lwa":
            return frozenset(), False
        elements, covered = set(), False
        for resource_operation, resource_order, resource_elements in resources:
            if resource_operation == operation and (resource_order is None or resource_order == order_id):
                covered = True
                elements |= resource_elements
        if not covered:
            raise unauthorized()
        return frozenset(elements), True

    # MARK: Token

    def token(self, raw):
        text = raw.decode("utf-8", "replace")
        if "json" in (self.headers.get("Content-Type") or "").lower():
            try:
                form = json.loads(text) if text.strip() else {}
            except ValueError:
                raise LwaError(400, "invalid_request", "The request body is not valid JSON.")
            form = {key: str(value) for key, value in form.items()} if isinstance(form, dict) else {}
        else:
            form = {key: values[-1] for key, values in parse_qs(text, keep_blank_values=True).items()}
        state = self.state
        if not form.get("client_id") or not form.get("client_secret"):
            raise LwaError(401, "invalid_client", "Client authentication failed")
        if form["client_id"] != state.client_id or form["client_secret"] != state.client_secret:
            raise LwaError(401, "invalid_client", "Client authentication failed")
        if not form.get("grant_type"):
            raise LwaError(400, "invalid_request", "The request is missing a required parameter : grant_type")
        if form["grant_type"] != "refresh_token":
            raise LwaError(400, "invalid_grant", "The request has an invalid grant parameter : grant_type")
        if not form.get("refresh_token"):
            raise LwaError(400, "invalid_request", "The request is missing a required parameter : refresh_token")
        if form["refresh_token"] != state.refresh_token:
            raise LwaError(400, "invalid_grant", "The request has an invalid grant parameter : refresh_token")
        self.send_json(200, {"access_token": state.issue_token(), "refresh_token": state.refresh_token,
                             "token_type": "bearer", "expires_in": state.ttl})

    # MARK: createRestrictedDataToken

    def create_rdt(self, raw):
        state = self.state
        try:
            request = json.loads(raw) if raw.strip() else None
        except ValueError:
            raise invalid("The request body is not valid JSON.")
        if not isinstance(request, dict):
            raise invalid("The request body must be a JSON object with restrictedResources.")
        if request.get("targetApplication") is not None and not isinstance(request["targetApplication"], str):
            raise invalid_type("targetApplication")
        resources = request.get("restrictedResources")
        if resources is None:
            raise invalid("Missing required field restrictedResources.")
        if not isinstance(resources, list):
            raise invalid_type("restrictedResources")
        if not resources:
            raise invalid("restrictedResources must hold at least one restricted resource.")
        if len(resources) > MAX_RESOURCES:
            raise invalid("restrictedResources holds %d resources; at most %d are allowed." % (len(resources), MAX_RESOURCES))
        granted, requested = [], set()
        for index, resource in enumerate(resources):
            where = "restrictedResources[%d]" % index
            if not isinstance(resource, dict):
                raise invalid_type(where)
            method, path = resource.get("method"), resource.get("path")
            if method is None or path is None:
                raise invalid("Missing required field %s.%s." % (where, "method" if method is None else "path"))
            if not isinstance(method, str):
                raise invalid_type(where + ".method")
            if not isinstance(path, str):
                raise invalid_type(where + ".path")
            if method not in ("GET", "PUT", "POST", "DELETE"):
                raise invalid("%s.method '%s' is not one of GET, PUT, POST, DELETE." % (where, method))
            found = restricted_resource(method, path)
            if found is None:
                raise invalid("%s: %s %s is not a restricted operation. The Orders API ones are GET "
                              "/orders/v0/orders and GET /orders/v0/orders/{orderId}[/orderItems|/address|"
                              "/buyerInfo|/orderItems/buyerInfo|/regulatedInfo], with {orderId} literal or "
                              "an order id." % (where, method, path))
            operation, order_id, allowed = found
            elements = resource.get("dataElements")
            if elements is None:
                elements = []
            if not isinstance(elements, list) or not all(isinstance(element, str) for element in elements):
                raise invalid_type(where + ".dataElements")
            unknown = [element for element in elements if element not in DATA_ELEMENTS]
            if unknown:
                raise invalid("%s.dataElements: '%s' is not one of %s." % (where, unknown[0], ", ".join(DATA_ELEMENTS)))
            if not allowed and elements:
                raise invalid("%s.dataElements: %s %s (%s) takes no dataElements." % (where, method, path, operation))
            if allowed and not elements:
                raise invalid("%s.dataElements is required for %s %s (%s): one or more of %s."
                              % (where, method, path, operation, ", ".join(e for e in DATA_ELEMENTS if e in allowed)))
            refused = [element for element in elements if element not in allowed]
            if refused:
                raise invalid("%s.dataElements: %s %s (%s) takes only %s, not %s."
                              % (where, method, path, operation, ", ".join(e for e in DATA_ELEMENTS if e in allowed),
                                 refused[0]))
            granted.append((operation, order_id, frozenset(elements)))
            requested |= set(elements)
        if not state.restricted_role:
            if requested:
                raise invalid(NO_ROLE_ELEMENTS % ", ".join(sorted(requested)))
            raise invalid(NO_ROLE_RESOURCES)
        self.reply(200, {"restrictedDataToken": state.issue_rdt(granted), "expiresIn": state.rdt_ttl},
                   "createRestrictedDataToken")

    # MARK: getOrders

    @staticmethod
    def list_param(params, name):
        return [value.strip() for values in params.get(name, []) for value in values.split(",") if value.strip()]

    @staticmethod
    def single(params, name):
        values = params.get(name)
        return values[-1] if values else None

    def time_param(self, params, name):
        text = self.single(params, name)
        if text is None:
            return None
        try:
            return parse_time(text)
        except ValueError:
            raise invalid("%s '%s' is not a valid ISO 8601 date-time (such as 2025-06-02T08:14:05Z)." % (name, text))

    def page_size(self, params, name, default):
        text = self.single(params, name)
        if text is None or text == "":
            return default
        if not text.isdigit() or not 1 <= int(text) <= MAX_PAGE:
            raise invalid("%s must be an integer between 1 and %d, not '%s'." % (name, MAX_PAGE, text))
        return int(text)

    def get_orders(self, params, elements):
        state = self.state
        marketplaces = self.list_param(params, "MarketplaceIds")
        if not marketplaces:
            raise invalid("Missing required parameter MarketplaceIds.")
        if len(marketplaces) > 50:
            raise invalid("MarketplaceIds can hold at most 50 marketplaces.")
        if state.marketplace_id not in marketplaces:
            raise invalid("Invalid MarketplaceIds: %s (this seller sells on %s)."
                          % (",".join(marketplaces), state.marketplace_id))
        token = self.single(params, "NextToken")
        if token:
            cursor = state.cursor(token, "orders")
            query, after = cursor["query"], cursor["after"]
            size = self.page_size(params, "MaxResultsPerPage", cursor["size"])
        else:
            query, after = self.orders_query(params), None
            size = self.page_size(params, "MaxResultsPerPage", state.page_size)
        size = min(size, state.max_page_size)
        with state.lock:
            ids, next_key = state.page(query, after, size)
            payload = {"Orders": [shown_order(state.order(order_id), elements) for order_id in ids]}
            if next_key is not None:
                payload["NextToken"] = state.remember({"kind": "orders", "query": query, "after": next_key, "size": size})
            payload[query["bound_name"]] = query["bound_text"]
            data = json.dumps({"payload": payload}, ensure_ascii=False, separators=(",", ":"))
        self.send_bytes(200, data.encode("utf-8"), headers=self.amazon_headers("getOrders", 200))

    def orders_query(self, params):
        created_after = self.time_param(params, "CreatedAfter")
        created_before = self.time_param(params, "CreatedBefore")
        updated_after = self.time_param(params, "LastUpdatedAfter")
        updated_before = self.time_param(params, "LastUpdatedBefore")
        if created_after is None and updated_after is None:
            raise invalid("Either CreatedAfter or LastUpdatedAfter is required.")
        if created_after is not None and updated_after is not None:
            raise invalid("CreatedAfter and LastUpdatedAfter cannot both be set.")
        if created_after is not None and updated_before is not None:
            raise invalid("LastUpdatedBefore cannot be set with CreatedAfter.")
        if updated_after is not None and created_before is not None:
            raise invalid("CreatedBefore cannot be set with LastUpdatedAfter.")
        statuses = set(self.list_param(params, "OrderStatuses"))
        unknown = sorted(statuses - set(STATUSES))
        if unknown:
            raise invalid("Invalid OrderStatuses: %s (one of %s)." % (", ".join(unknown), ", ".join(STATUSES)))
        channels = set(self.list_param(params, "FulfillmentChannels"))
        if channels - set(CHANNELS):
            raise invalid("Invalid FulfillmentChannels: %s (AFN or MFN)." % ", ".join(sorted(channels - set(CHANNELS))))
        ids = set(self.list_param(params, "AmazonOrderIds"))
        if len(ids) > 50:
            raise invalid("AmazonOrderIds can hold at most 50 order ids.")
        now = float(int(time.time()))
        for name, value in (("CreatedBefore", created_before), ("LastUpdatedBefore", updated_before)):
            if value is not None and value > now - BEFORE_MARGIN:
                raise invalid(INVALID_INPUT, "%s must be at least two minutes before the current time." % name)
        if created_after is not None:
            before = created_before if created_before is not None else now
            if before < created_after:
                raise invalid("CreatedBefore must be equal to or after CreatedAfter.")
            bound_name, updated_before, created_before = "CreatedBefore", None, before
        else:
            before = updated_before if updated_before is not None else now
            if before < updated_after:
                raise invalid("LastUpdatedBefore must be equal to or after LastUpdatedAfter.")
            bound_name, updated_before = "LastUpdatedBefore", before
        return {"created_after": created_after, "created_before": created_before, "updated_after": updated_after,
                "updated_before": updated_before, "statuses": statuses, "channels": channels, "ids": ids,
                "bound_name": bound_name, "bound_text": iso(before)}

    # MARK: getOrder, getOrderAddress, getOrderBuyerInfo

    def found_order(self, order_id):
        """The order (read it under the lock) or a 404."""
        order = self.state.order(order_id)
        if order is None:
            raise AmazonError(404, "NotFound", "Order %s was not found." % order_id)
        return order

    def get_order(self, order_id, elements):
        with self.state.lock:
            payload = shown_order(self.found_order(order_id), elements)
        self.reply(200, {"payload": payload}, "getOrder")

    def get_address(self, order_id, restricted):
        with self.state.lock:
            shown = shown_order(self.found_order(order_id), {"shippingAddress"} if restricted else set())
        payload = {"AmazonOrderId": order_id}
        if "ShippingAddress" in shown:
            payload["ShippingAddress"] = shown["ShippingAddress"]
        self.reply(200, {"payload": payload}, "getOrderAddress")

    def get_buyer_info(self, order_id, restricted):
        with self.state.lock:
            shown = shown_order(self.found_order(order_id), {"buyerInfo"} if restricted else set())
        payload = {"AmazonOrderId": order_id}
        payload.update(shown.get("BuyerInfo") or {})
        self.reply(200, {"payload": payload}, "getOrderBuyerInfo")

    # MARK: getOrderItems, getOrderItemsBuyerInfo

    def item_page(self, order_id, params, kind):
        """(order, items of this page, NextToken or None); caller holds the lock."""
        state = self.state
        token = self.single(params, "NextToken")
        offset = 0
        if token:
            cursor = state.cursor(token, kind)
            if cursor["order"] != order_id:
                raise invalid("Invalid NextToken: it belongs to another order.")
            offset = cursor["offset"]
        order = self.found_order(order_id)
        items = order.get("OrderItems", [])
        size = state.items_page_size
        more = None
        if offset + size < len(items):
            more = state.remember({"kind": kind, "order": order_id, "offset": offset + size})
        return order, items[offset:offset + size], more

    def get_items(self, order_id, params, buyer_info):
        with self.state.lock:
            order, items, more = self.item_page(order_id, params, "items")
            payload = {"AmazonOrderId": order_id, "OrderItems": [shown_item(order, item, buyer_info) for item in items]}
            if more:
                payload["NextToken"] = more
            data = json.dumps({"payload": payload}, ensure_ascii=False, separators=(",", ":"))
        self.send_bytes(200, data.encode("utf-8"), headers=self.amazon_headers("getOrderItems", 200))

    def get_items_buyer_info(self, order_id, params, restricted):
        with self.state.lock:
            order, items, more = self.item_page(order_id, params, "items-buyer-info")
            shown = []
            for item in items:
                entry = {"OrderItemId": item.get("OrderItemId")}
                if restricted and order.get("OrderStatus") != "Pending" and isinstance(item.get("BuyerInfo"), dict):
                    entry.update(item["BuyerInfo"])
                shown.append(entry)
            payload = {"AmazonOrderId": order_id, "OrderItems": shown}
            if more:
                payload["NextToken"] = more
        self.reply(200, {"payload": payload}, "getOrderItemsBuyerInfo")

    # MARK: confirmShipment

    @staticmethod
    def check_string(container, name, where, required):
        """The string at container[name]; 400 when a required one is missing or empty, or when it
        is not a string."""
        value = container.get(name)
        if value is None or (required and isinstance(value, str) and not value.strip()):
            if required:
                raise invalid("Missing required field %s." % where)
            return None
        if not isinstance(value, str):
            raise invalid_type(where)
        return value

    def confirm_shipment(self, order_id, raw):
        try:
            request = json.loads(raw) if raw.strip() else None
        except ValueError:
            raise invalid("The request body is not valid JSON.")
        if not isinstance(request, dict):
            raise invalid("The request body must be a JSON object with marketplaceId and packageDetail.")
        marketplace = self.check_string(request, "marketplaceId", "marketplaceId", True)
        package = request.get("packageDetail")
        if package is None:
            raise invalid("Missing required field packageDetail.")
        if not isinstance(package, dict):
            raise invalid_type("packageDetail")
        reference = self.check_string(package, "packageReferenceId", "packageDetail.packageReferenceId", False)
        if reference is None or not POSITIVE_NUMERIC.match(reference) or int(reference) < 1:
            raise invalid(BAD_PACKAGE_REFERENCE)  # Amazon answers a missing one the same
        carrier = self.check_string(package, "carrierCode", "packageDetail.carrierCode", True)
        self.check_string(package, "carrierName", "packageDetail.carrierName", carrier == "Other")
        self.check_string(package, "shippingMethod", "packageDetail.shippingMethod", False)
        self.check_string(package, "trackingNumber", "packageDetail.trackingNumber", True)
        ship_date = self.check_string(package, "shipDate", "packageDetail.shipDate", True)
        try:
            if not RFC3339.match(ship_date):
                raise ValueError(ship_date)
            parse_time(ship_date)
        except ValueError:
            raise invalid("packageDetail.shipDate '%s' is not an ISO 8601 date-time with a time zone "
                          "(such as 2025-06-02T08:14:05Z or 2025-06-02T10:14:05.000+02:00)." % ship_date)
        self.check_string(package, "shipFromSupplySourceId", "packageDetail.shipFromSupplySourceId", False)
        items = package.get("orderItems")
        if items is None:
            raise invalid("Missing required field packageDetail.orderItems.")
        if not isinstance(items, list):
            raise invalid_type("packageDetail.orderItems")
        if not items:
            raise invalid("packageDetail.orderItems must hold at least one order item.")
        for index, entry in enumerate(items):
            where = "packageDetail.orderItems[%d]" % index
            if not isinstance(entry, dict):
                raise invalid_type(where)
            item_id = self.check_string(entry, "orderItemId", where + ".orderItemId", True)
            quantity = entry.get("quantity")
            if quantity is None:
                raise invalid("Missing required field %s.quantity." % where)
            if not isinstance(quantity, int) or isinstance(quantity, bool):
                raise invalid_type(where + ".quantity")
            if quantity < 1:
                raise invalid("Order item %s: quantity must be an integer >= 1." % item_id)
            codes = entry.get("transparencyCodes")
            if codes is not None and (not isinstance(codes, list) or not all(isinstance(c, str) for c in codes)):
                raise invalid_type(where + ".transparencyCodes")
        cod = request.get("codCollectionMethod")
        if cod is not None and cod not in ("", "DirectPayment"):
            raise invalid("codCollectionMethod '%s' is not DirectPayment." % cod)
        if marketplace != self.state.marketplace_id:
            raise invalid("marketplaceId %s does not match the order's marketplace." % marketplace)
        self.state.confirm(order_id, request)
        self.send_empty(204, self.amazon_headers("confirmShipment", 204))

    # MARK: Control

    def control(self, method, name, body):
        state = self.state
        if method == "GET" and name == "orders":
            with state.lock:
                data = json.dumps(state.all_orders(), ensure_ascii=False, separators=(",", ":"))
            self.send_bytes(200, data.encode("utf-8"))
        elif method == "GET" and name.startswith("orders/"):
            with state.lock:
                order = state.order(name[len("orders/"):])
                if order is None:
                    self.send_json(404, {"error": "no order %s" % name[len("orders/"):]})
                else:
                    self.send_json(200, order)
        elif method == "POST" and name == "orders":
            orders = body.get("Orders", body.get("orders")) if isinstance(body, dict) else body
            self.send_json(200, {"ok": True, "count": state.put_orders(orders)})
        elif method == "GET" and name == "confirmations":
            with state.lock:
                self.send_json(200, list(state.confirmations))
        elif method == "POST" and name == "expire-tokens":
            state.expire_tokens()
            self.send_json(200, {"ok": True})
        elif method == "GET" and name == "quota":
            self.send_json(200, state.quota())
        elif method == "POST" and name == "quota":
            if not isinstance(body, dict):
                raise sim_common.ControlError("the body must be a JSON object")
            state.set_quota(body)
            self.send_json(200, state.quota())
        else:
            return super().control(method, name, body)
        return True


def main():
    parser = sim_common.argument_parser("Amazon Selling Partner API simulator (LWA token, RDT, orders v0).")
    parser.allow_abbrev = False  # the removed --burst must not pass for --burst-scale
    parser.add_argument("--client-id", default="amzn_client", help="LWA client id (default amzn_client)")
    parser.add_argument("--client-secret", default="amzn_secret", help="LWA client secret (default amzn_secret)")
    parser.add_argument("--refresh-token", default="Atzr|syndic-refresh",
                        help="LWA refresh token (default Atzr|syndic-refresh)")
    parser.add_argument("--marketplace-id", default="A13V1IB3VIYZZH",
                        help="the seller's marketplace (default A13V1IB3VIYZZH, Amazon.fr)")
    parser.add_argument("--token-ttl", type=int, default=3600, help="access token lifetime in seconds (default 3600)")
    parser.add_argument("--rdt-ttl", type=int, default=3600,
                        help="restricted data token lifetime in seconds, its expiresIn (default 3600)")
    parser.add_argument("--no-restricted-role", action="store_true",
                        help="the application lacks the restricted roles: createRestrictedDataToken is refused")
    parser.add_argument("--orders", help="JSON list of orders, each with OrderItems (default: none)")
    parser.add_argument("--generate", type=int, default=0, help="N deterministic synthetic orders (default 0)")
    parser.add_argument("--seed", type=int, default=1, help="seed of --generate (default 1)")
    parser.add_argument("--skus", type=int, default=1000,
                        help="--generate draws SellerSKU from SKU-000001..SKU-<N> (default 1000)")
    parser.add_argument("--page-size", type=int, default=MAX_PAGE,
                        help="getOrders page size without MaxResultsPerPage (default 100)")
    parser.add_argument("--max-page-size", type=int, default=MAX_PAGE,
                        help="the most orders a getOrders page holds, whatever MaxResultsPerPage asks (default 100)")
    parser.add_argument("--items-page-size", type=int, default=MAX_PAGE, help="getOrderItems page size (default 100)")
    parser.add_argument("--rate-scale", type=float, default=1.0,
                        help="multiplies every usage plan's rate, not its burst (default 1)")
    parser.add_argument("--burst-scale", type=float, default=1.0,
                        help="multiplies every usage plan's burst, rounded, at least 1 (default 1)")
    parser.add_argument("--no-usage-plans", action="store_true", help="no token buckets: nothing is throttled")
    args = parser.parse_args()
    if args.orders and not os.path.isfile(args.orders):
        parser.error("--orders %s: no such file" % args.orders)
    if args.generate < 0 or args.skus < 1 or not 1 <= args.page_size <= MAX_PAGE or args.items_page_size < 1:
        parser.error("--generate must be >= 0, --skus and --items-page-size >= 1, --page-size within 1..100")
    if not 1 <= args.max_page_size <= MAX_PAGE:
        parser.error("--max-page-size must be within 1..100")
    if not args.rate_scale > 0 or not args.burst_scale > 0 or args.token_ttl < 0 or args.rdt_ttl < 0:
        parser.error("--rate-scale and --burst-scale must be > 0, --token-ttl and --rdt-ttl >= 0")
    sim_common.serve(AmazonHandler, lambda: AmazonState(args), args.port)


if __name__ == "__main__":
    main()
