"""An Amazon Selling Partner API simulator (LWA token, orders v0) on 127.0.0.1, following
the design's API-NOTES.md.

    python3 amazon_sim.py [--client-id ID] [--client-secret S] [--refresh-token T]
        [--marketplace-id ID] [--token-ttl SECONDS] [--orders FILE.json]
        [--generate N [--seed S] [--skus K]] [--page-size N] [--items-page-size N]
        [--burst N] [--port N]

Binds port 0 unless told otherwise and prints `port N` once listening. Serves:

- `POST /auth/o2/token` (Login with Amazon): form body (or JSON) `grant_type=refresh_token`,
  `refresh_token`, `client_id`, `client_secret` → `{"access_token": "Atza|…",
  "token_type": "bearer", "expires_in": TTL, "refresh_token": …}` (the same refresh token).
  A wrong client → 401 `{"error": "invalid_client", "error_description"}`; a wrong refresh
  token or grant type → 400 `invalid_grant`; a missing parameter → 400 `invalid_request`.
- Every `/orders/` call needs `x-amz-access-token: <live access token>`, else 403
  `{"errors": [{"code": "Unauthorized", "message", "details"}]}`. Errors are
  `{"errors": [{"code", "message"}]}` (InvalidInput 400, NotFound 404, QuotaExceeded 429).
- getOrders `GET /orders/v0/orders`: `MarketplaceIds` (required, must hold the configured
  id), exactly one of `CreatedAfter` / `LastUpdatedAfter` (ISO 8601), `CreatedBefore` /
  `LastUpdatedBefore` (the matching one only), `OrderStatuses`, `FulfillmentChannels`
  (AFN, MFN), `MaxResultsPerPage` (1..100, default `--page-size`), `NextToken` (the first
  call's filters are kept server-side; only `MarketplaceIds` is needed with it). Orders
  come sorted by (LastUpdateDate, AmazonOrderId); `LastUpdatedAfter` means LastUpdateDate
  >= value; the upper bound defaults to now. → `{"payload": {"Orders": […], "NextToken"
  (absent on the last page), "LastUpdatedBefore" or "CreatedBefore": the upper bound}}`.
  Pending orders come without OrderTotal, ShippingAddress and BuyerInfo, as Amazon does.
- getOrder `GET /orders/v0/orders/{id}` → `{"payload": order}`.
- getOrderItems `GET /orders/v0/orders/{id}/orderItems` (`NextToken` beyond
  `--items-page-size` items) → `{"payload": {"AmazonOrderId", "OrderItems": […],
  "NextToken"?}}`; `ItemPrice` is the price of all units of the line.
- confirmShipment `POST /orders/v0/orders/{id}/shipmentConfirmation` `{"marketplaceId",
  "packageDetail": {"packageReferenceId", "carrierCode", "carrierName" (when carrierCode
  is Other), "trackingNumber", "shipDate", "orderItems": [{"orderItemId", "quantity"}]}}`
  → 204. 400 InvalidInput for a missing field, another marketplace, an AFN order, an order
  not Unshipped / PartiallyShipped, an unknown item, a quantity above what remains to ship
  or a packageReferenceId already confirmed for the order; 404 for an unknown order. It
  ships the quantities, sets OrderStatus (Shipped when every unit is shipped, else
  PartiallyShipped), NumberOfItemsShipped/Unshipped and LastUpdateDate (now).

`--burst N`: more than N getOrders calls within one rolling second get 429 QuotaExceeded.
A 429 carries `x-amzn-RateLimit-Limit` and, like Amazon, no `Retry-After`; every orders
reply carries `x-amzn-RateLimit-Limit` and `x-amzn-RequestId`.

`--generate N --seed S`: N synthetic orders (ids `402-NNNNNNN-NNNNNNN`, 1–3 items of
SellerSKU `SKU-000001`…`SKU-<K>` with K = `--skus`, 1000 by default; mostly Unshipped,
some Shipped, Pending, Canceled and PartiallyShipped; about 10 % AFN; shipping to FR, ES,
DE, IT, BE; LastUpdateDate over the 30 days before 2025-06-30T00:00:00Z), the same for
the same N and seed. They are indexed at start-up and built on demand, so 100,000 orders
start in well under a second. `--orders` orders are added on top (replacing by id).

Control routes (sim_common.py): `/_sim/fail`, `/_sim/die-after`, `/_sim/hang`,
`/_sim/requests`, `/_sim/reset` (also restores the initial orders and forgets
confirmations), plus `GET /_sim/orders` (every order with its `OrderItems`),
`GET /_sim/orders/{id}`, `POST /_sim/orders` (a list of orders, or `{"Orders": […]}`,
each with `OrderItems`, added or replacing by AmazonOrderId), `GET /_sim/confirmations`
(every accepted shipment confirmation: `{AmazonOrderId, body, time}`) and
`POST /_sim/expire-tokens` (every access token issued so far expires now).
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
import secrets
import socket
import sys
import time
import traceback
import uuid
from datetime import datetime, timezone
from urllib.parse import parse_qs

sys.dont_write_bytecode = True  # no __pycache__ beside the sources when importing the shared modules

import sim_common  # noqa: E402

STATUSES = ("PendingAvailability", "Pending", "Unshipped", "PartiallyShipped", "Shipped",
            "InvoiceUnconfirmed", "Canceled", "Unfulfillable")
CHANNELS = ("AFN", "MFN")
CONFIRMABLE = {"Unshipped", "PartiallyShipped"}
HIDDEN_WHEN_PENDING = ("OrderTotal", "ShippingAddress", "BuyerInfo")
MAX_PAGE = 100
MAX_TOKENS = 100000
GENERATION_END = calendar.timegm((2025, 6, 30, 0, 0, 0))
GENERATION_SPAN = 30 * 86400
# x-amzn-RateLimit-Limit of each operation (requests per second, Amazon's default plan).
RATE_LIMITS = {"getOrders": "0.0167", "getOrder": "0.5", "getOrderItems": "0.5", "confirmShipment": "2.0",
               "token": "1.0"}
FORBIDDEN = {"code": "Unauthorized", "message": "Access to requested resource is denied.",
             "details": "The access token you provided is revoked, malformed or invalid."}
QUOTA = {"code": "QuotaExceeded", "message": "You exceeded your quota for the requested resource."}


class AmazonError(Exception):
    """An SP-API error: `{"errors": [{"code", "message"}]}` with `status`."""

    def __init__(self, status, code, message, extra=None):
        super().__init__(message)
        self.status, self.code, self.message, self.extra = status, code, message, extra or {}

    def body(self):
        return {"errors": [dict({"code": self.code, "message": self.message}, **self.extra)]}


class LwaError(Exception):
    """A Login with Amazon error: `{"error", "error_description"}` with `status`."""

    def __init__(self, status, error, description):
        super().__init__(description)
        self.status, self.error, self.description = status, error, description


def invalid(message):
    return AmazonError(400, "InvalidInput", message)


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
        self.ttl, self.burst = args.token_ttl, args.burst
        self.page_size, self.items_page_size = args.page_size, args.items_page_size
        self.access_tokens = {}  # token -> expiry (epoch seconds)
        self.page_tokens = collections.OrderedDict()  # NextToken -> what the next page needs
        self.recent_get_orders = collections.deque()
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
        self.restore()

    def restore(self):
        self.explicit = {}
        self.meta = dict(self.generator.meta) if self.generator else {}
        self.by_update = list(self.generator.sorted) if self.generator else []
        self.confirmations = []
        for order in self.initial_orders:
            self.store(copy.deepcopy(order))

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

    def token_alive(self, token):
        with self.lock:
            return bool(token) and self.access_tokens.get(token, 0) > time.time()

    def expire_tokens(self):
        with self.lock:
            for token in self.access_tokens:
                self.access_tokens[token] = 0

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

    def over_burst(self):
        """Counts one getOrders call; True when it is beyond `--burst` in the last second."""
        with self.lock:
            now = time.monotonic()
            while self.recent_get_orders and self.recent_get_orders[0] <= now - 1:
                self.recent_get_orders.popleft()
            if len(self.recent_get_orders) >= self.burst:
                return True
            self.recent_get_orders.append(now)
            return False

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
            if self.matches(self.meta[key[1]], query):
                found.append(key)
                if len(found) > size:
                    break
        more = len(found) > size
        found = found[:size]
        return [order_id for _, order_id in found], (found[-1] if more and found else None)

    @staticmethod
    def matches(meta, query):
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
        return True

    def confirm(self, order_id, request):
        """Applies a validated shipment confirmation; AmazonError when the order refuses it."""
        package = request["packageDetail"]
        with self.lock:
            order = self.mutable_order(order_id)
            if order is None:
                raise AmazonError(404, "NotFound", "Order %s was not found." % order_id)
            if order.get("FulfillmentChannel") == "AFN":
                raise invalid("Order %s: FBA orders are fulfilled by Amazon and cannot be confirmed by the seller." % order_id)
            reference = str(package["packageReferenceId"])
            if any(entry["AmazonOrderId"] == order_id and str(entry["body"]["packageDetail"]["packageReferenceId"]) == reference
                   for entry in self.confirmations):
                raise invalid("Order %s: package already confirmed (packageReferenceId %s)." % (order_id, reference))
            if order.get("OrderStatus") not in CONFIRMABLE:
                raise invalid("Order %s is %s: only Unshipped or PartiallyShipped orders can be confirmed."
                              % (order_id, order.get("OrderStatus")))
            items = {str(item.get("OrderItemId")): item for item in order.get("OrderItems", [])}
            wanted = collections.OrderedDict()
            for entry in package["orderItems"]:
                item_id = str(entry["orderItemId"])
                if item_id not in items:
                    raise invalid("Order %s has no order item %s." % (order_id, item_id))
                wanted[item_id] = wanted.get(item_id, 0) + entry["quantity"]
            for item_id, quantity in wanted.items():
                item = items[item_id]
                remaining = int(item.get("QuantityOrdered") or 0) - int(item.get("QuantityShipped") or 0)
                if quantity > remaining:
                    raise invalid("Order %s, order item %s: quantity %d is above the %d left to ship."
                                  % (order_id, item_id, quantity, remaining))
            for item_id, quantity in wanted.items():
                items[item_id]["QuantityShipped"] = int(items[item_id].get("QuantityShipped") or 0) + quantity
            done = all(int(item.get("QuantityShipped") or 0) >= int(item.get("QuantityOrdered") or 0)
                       for item in order.get("OrderItems", []))
            order["OrderStatus"] = "Shipped" if done else "PartiallyShipped"
            order["LastUpdateDate"] = iso(time.time())
            self.count_items(order)
            self.store(order)
            self.confirmations.append({"AmazonOrderId": order_id, "body": request, "time": iso(time.time())})


# MARK: - Handler


class AmazonHandler(sim_common.SimHandler):

    def setup(self):
        super().setup()
        # Headers and body leave in two writes: without this, Nagle's algorithm and the
        # client's delayed ACK hold every small reply for about 40 ms.
        self.connection.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)

    def fault_reply(self, status, retry_after):
        if self.path.startswith("/auth/"):
            error = {429: "too_many_requests", 503: "temporarily_unavailable"}.get(
                status, "server_error" if status >= 500 else "invalid_request")
            self.send_json(status, {"error": error, "error_description": self.responses.get(status, ("Error",))[0]})
            return
        code, message = {
            400: ("InvalidInput", "Invalid input."), 403: (FORBIDDEN["code"], FORBIDDEN["message"]),
            404: ("NotFound", "Resource not found."), 429: (QUOTA["code"], QUOTA["message"]),
            500: ("InternalFailure", "We encountered an internal error. Please try again."),
            503: ("ServiceUnavailable", "Service temporarily unavailable. Please try again."),
        }.get(status, ("Error", self.responses.get(status, ("Error",))[0]))
        self.send_json(status, {"errors": [{"code": code, "message": message}]}, self.amazon_headers(self.operation()))

    def internal_error(self, error):
        traceback.print_exc(file=sys.stderr)
        self.send_json(500, {"errors": [{"code": "InternalFailure", "message": "simulator error: %s" % error}]})

    def admit(self):
        if (self.state.burst and self.command == "GET" and self.path.split("?", 1)[0].rstrip("/") == "/orders/v0/orders"
                and self.state.over_burst()):
            self.send_json(429, {"errors": [QUOTA]}, self.amazon_headers("getOrders"))
            return False
        return True

    def operation(self):
        path = self.path.split("?", 1)[0].rstrip("/")
        if path.startswith("/auth/"):
            return "token"
        if path.endswith("/orderItems"):
            return "getOrderItems"
        if path.endswith("/shipmentConfirmation"):
            return "confirmShipment"
        return "getOrders" if path == "/orders/v0/orders" else "getOrder"

    @staticmethod
    def amazon_headers(operation):
        return [("x-amzn-RequestId", str(uuid.uuid4())), ("x-amzn-RateLimit-Limit", RATE_LIMITS.get(operation, "1.0"))]

    def route(self, method, path, params, body):
        path = path.rstrip("/") or "/"
        operation = self.operation()
        try:
            if path == "/auth/o2/token":
                if method != "POST":
                    raise LwaError(405, "invalid_request", "The token endpoint only accepts POST.")
                self.token(body)
            elif path.startswith("/orders/"):
                if not self.state.token_alive(self.headers.get("x-amz-access-token")):
                    raise AmazonError(403, FORBIDDEN["code"], FORBIDDEN["message"], {"details": FORBIDDEN["details"]})
                self.dispatch(method, path, params, body)
            else:
                raise AmazonError(404, "NotFound", "Resource %s not found." % path)
        except LwaError as error:
            self.send_json(error.status, {"error": error.error, "error_description": error.description})
        except AmazonError as error:
            self.send_json(error.status, error.body(), self.amazon_headers(operation))

    def dispatch(self, method, path, params, body):
        parts = path.split("/")[1:]  # ["orders", "v0", "orders", ...]
        routes = {}
        if parts == ["orders", "v0", "orders"]:
            routes = {"GET": lambda: self.get_orders(params)}
        elif parts[:3] == ["orders", "v0", "orders"] and len(parts) == 4:
            routes = {"GET": lambda: self.get_order(parts[3])}
        elif parts[:3] == ["orders", "v0", "orders"] and len(parts) == 5 and parts[4] == "orderItems":
            routes = {"GET": lambda: self.get_items(parts[3], params)}
        elif parts[:3] == ["orders", "v0", "orders"] and len(parts) == 5 and parts[4] == "shipmentConfirmation":
            routes = {"POST": lambda: self.confirm_shipment(parts[3], body)}
        if not routes:
            raise AmazonError(404, "NotFound", "Resource %s not found." % path)
        if method not in routes:
            raise AmazonError(405, "MethodNotAllowed", "%s is not allowed on %s." % (method, path))
        routes[method]()

    def reply(self, status, body, operation):
        self.send_json(status, body, self.amazon_headers(operation))

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

    def get_orders(self, params):
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
        with state.lock:
            ids, next_key = state.page(query, after, size)
            payload = {"Orders": [self.summary(state.order(order_id)) for order_id in ids]}
            if next_key is not None:
                payload["NextToken"] = state.remember({"kind": "orders", "query": query, "after": next_key, "size": size})
            payload[query["bound_name"]] = query["bound_text"]
            data = json.dumps({"payload": payload}, ensure_ascii=False, separators=(",", ":"))
        self.send_bytes(200, data.encode("utf-8"), headers=self.amazon_headers("getOrders"))

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
        now = float(int(time.time()))
        if created_after is not None:
            before = created_before if created_before is not None else now
            if before < created_after:
                raise invalid("CreatedBefore must be later than CreatedAfter.")
            bound_name, updated_before, created_before = "CreatedBefore", None, before
        else:
            before = updated_before if updated_before is not None else now
            if before < updated_after:
                raise invalid("LastUpdatedBefore must be later than LastUpdatedAfter.")
            bound_name, updated_before = "LastUpdatedBefore", before
        return {"created_after": created_after, "created_before": created_before, "updated_after": updated_after,
                "updated_before": updated_before, "statuses": statuses, "channels": channels,
                "bound_name": bound_name, "bound_text": iso(before)}

    @staticmethod
    def summary(order):
        """The order as getOrders and getOrder show it: no items; Pending orders without PII or total."""
        shown = {key: value for key, value in order.items() if key != "OrderItems"}
        if shown.get("OrderStatus") == "Pending":
            for key in HIDDEN_WHEN_PENDING:
                shown.pop(key, None)
        return shown

    def get_order(self, order_id):
        with self.state.lock:
            order = self.state.order(order_id)
            if order is None:
                raise AmazonError(404, "NotFound", "Order %s was not found." % order_id)
            data = json.dumps({"payload": self.summary(order)}, ensure_ascii=False, separators=(",", ":"))
        self.send_bytes(200, data.encode("utf-8"), headers=self.amazon_headers("getOrder"))

    # MARK: getOrderItems

    def get_items(self, order_id, params):
        state = self.state
        token = self.single(params, "NextToken")
        offset = 0
        if token:
            cursor = state.cursor(token, "items")
            if cursor["order"] != order_id:
                raise invalid("Invalid NextToken: it belongs to another order.")
            offset = cursor["offset"]
        size = state.items_page_size
        with state.lock:
            order = state.order(order_id)
            if order is None:
                raise AmazonError(404, "NotFound", "Order %s was not found." % order_id)
            items = order.get("OrderItems", [])
            payload = {"AmazonOrderId": order_id, "OrderItems": items[offset:offset + size]}
            if offset + size < len(items):
                payload["NextToken"] = state.remember({"kind": "items", "order": order_id, "offset": offset + size})
            data = json.dumps({"payload": payload}, ensure_ascii=False, separators=(",", ":"))
        self.send_bytes(200, data.encode("utf-8"), headers=self.amazon_headers("getOrderItems"))

    # MARK: confirmShipment

    def confirm_shipment(self, order_id, raw):
        try:
            request = json.loads(raw) if raw.strip() else None
        except ValueError:
            raise invalid("The request body is not valid JSON.")
        if not isinstance(request, dict):
            raise invalid("The request body must be a JSON object with marketplaceId and packageDetail.")
        if not isinstance(request.get("marketplaceId"), str) or not request["marketplaceId"]:
            raise invalid("Missing required field marketplaceId.")
        package = request.get("packageDetail")
        if not isinstance(package, dict):
            raise invalid("Missing required field packageDetail.")
        for name in ("packageReferenceId", "carrierCode", "trackingNumber", "shipDate"):
            value = package.get(name)
            if value is None or (isinstance(value, str) and not value.strip()) or isinstance(value, (dict, list, bool)):
                raise invalid("Missing required field packageDetail.%s." % name)
        if package["carrierCode"] == "Other" and not package.get("carrierName"):
            raise invalid("packageDetail.carrierName is required when carrierCode is Other.")
        try:
            parse_time(package["shipDate"])
        except (ValueError, TypeError):
            raise invalid("packageDetail.shipDate '%s' is not a valid ISO 8601 date-time." % package["shipDate"])
        items = package.get("orderItems")
        if not isinstance(items, list) or not items:
            raise invalid("Missing required field packageDetail.orderItems.")
        for entry in items:
            if not isinstance(entry, dict) or entry.get("orderItemId") in (None, ""):
                raise invalid("Each packageDetail.orderItems entry needs an orderItemId.")
            quantity = entry.get("quantity")
            if not isinstance(quantity, int) or isinstance(quantity, bool) or quantity < 1:
                raise invalid("Order item %s: quantity must be an integer >= 1." % entry["orderItemId"])
        if request["marketplaceId"] != self.state.marketplace_id:
            raise invalid("marketplaceId %s does not match the order's marketplace." % request["marketplaceId"])
        self.state.confirm(order_id, request)
        self.send_empty(204, self.amazon_headers("confirmShipment"))

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
        else:
            return super().control(method, name, body)
        return True


def main():
    parser = sim_common.argument_parser("Amazon Selling Partner API simulator (LWA token, orders v0).")
    parser.add_argument("--client-id", default="amzn_client", help="LWA client id (default amzn_client)")
    parser.add_argument("--client-secret", default="amzn_secret", help="LWA client secret (default amzn_secret)")
    parser.add_argument("--refresh-token", default="Atzr|syndic-refresh",
                        help="LWA refresh token (default Atzr|syndic-refresh)")
    parser.add_argument("--marketplace-id", default="A13V1IB3VIYZZH",
                        help="the seller's marketplace (default A13V1IB3VIYZZH, Amazon.fr)")
    parser.add_argument("--token-ttl", type=int, default=3600, help="access token lifetime in seconds (default 3600)")
    parser.add_argument("--orders", help="JSON list of orders, each with OrderItems (default: none)")
    parser.add_argument("--generate", type=int, default=0, help="N deterministic synthetic orders (default 0)")
    parser.add_argument("--seed", type=int, default=1, help="seed of --generate (default 1)")
    parser.add_argument("--skus", type=int, default=1000,
                        help="--generate draws SellerSKU from SKU-000001..SKU-<N> (default 1000)")
    parser.add_argument("--page-size", type=int, default=MAX_PAGE,
                        help="getOrders page size without MaxResultsPerPage (default 100)")
    parser.add_argument("--items-page-size", type=int, default=MAX_PAGE, help="getOrderItems page size (default 100)")
    parser.add_argument("--burst", type=int, default=0,
                        help="getOrders calls per rolling second before 429 (default: no limit)")
    args = parser.parse_args()
    if args.orders and not os.path.isfile(args.orders):
        parser.error("--orders %s: no such file" % args.orders)
    if args.generate < 0 or args.skus < 1 or not 1 <= args.page_size <= MAX_PAGE or args.items_page_size < 1:
        parser.error("--generate must be >= 0, --skus and --items-page-size >= 1, --page-size within 1..100")
    sim_common.serve(AmazonHandler, lambda: AmazonState(args), args.port)


if __name__ == "__main__":
    main()
