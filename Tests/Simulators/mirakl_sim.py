"""A Mirakl Seller API simulator on 127.0.0.1.

    python3 mirakl_sim.py --api-key KEY [--shop-id ID] [--attributes FILE.json]
        [--orders FILE.json] [--generate N [--seed S] [--skus K]]
        [--polls-until-complete N] [--carriers FILE.json] [--port N]

Binds port 0 unless told otherwise and prints `port N` once listening. Every `/api/` call
needs the header `Authorization: <KEY>` (a missing or wrong key gets 401 `{"message":
"Unauthorized", "status": 401}`); with `--shop-id`, a `shop_id` query parameter naming
another shop gets 401 too. Errors are `{"message", "status"}` (plus `"code"` for state
errors). Dates the simulator writes (changes, imports) are UTC ISO 8601 with milliseconds
(`2025-06-30T12:00:00.123Z`). Routes:

- PM11 `GET /api/products/attributes` (`hierarchy`): `{"attributes": [...]}` from the
  attributes file (default: mirakl_attributes.json beside this script); VL11
  `GET /api/values_lists` (`code`): `{"values_lists": [...]}` from the same file.
- SH21 `GET /api/shipping/carriers`: `{"carriers": [{code, label, standard_code,
  tracking_url}]}`, `tracking_url` a template where `{trackingId}` stands for the tracking
  number (null: the carrier has no tracking page). Default: COLISSIMO, CHRONOPOST,
  MONDIAL_RELAY, COLIS_PRIVE, UPS, DHL, DPD, GLS, FEDEX, TNT, GEODIS (no URL), POSTNL,
  BPOST, CORREOS, SEUR, BRT, POSTE_ITALIANE; `--carriers FILE.json` (a list, or
  `{"carriers": [...]}`, each with `code` and `label`, optionally `tracking_url` and
  `standard_code`) replaces the list.
- OF01 `POST /api/offers/imports`: multipart/form-data with a `file` part (CSV, `;`
  separated, header row, UTF-8), an optional `import_mode` (NORMAL, PARTIAL_UPDATE,
  REPLACE) and an optional `with_products` (`true` or `false`, the default; anything else
  gets 400) → 201 `{"import_id": N}`. Rows need `sku`, `price` (a decimal >= 0) and
  `state`; `quantity` must be an integer >= 0 when given, `product-id` needs
  `product-id-type`, `update-delete` is empty, `update` or `delete`. A file without a header
  or missing a required column fails as a whole (status FAILED, `reason_status`). Offer
  columns are those of Mirakl's offer file (OFFER_COLUMNS below), any `discount-*` column,
  `<price|discount-price|discount-start-date|discount-end-date|discount-ranges|
  price-ranges>[channel=CODE]` and `<producer-id|eco-contribution-amount>[CATEGORY]`; any
  other column is a product column, and a file with product columns fails as a whole
  unless `with_products=true` (then they are kept on the import's rows).
- OF02 `GET /api/offers/imports/{id}`: `{import_id, status, reason_status, mode,
  date_created, lines_read, lines_in_success, lines_in_error, offer_inserted,
  offer_updated, offer_deleted, has_error_report}`. Poll 1 says WAITING, polls 2..N say
  RUNNING, later polls COMPLETE (or FAILED), N = `--polls-until-complete` (2); counts are
  0 until then.
- OF03 `GET /api/offers/imports/{id}/error_report`: a file (`Content-Type:
  application/octet-stream`): the rows in error as CSV (`;`), their original columns plus
  `error-line` (the row's line in the file, the header being line 1) and `error-message`;
  406 when the request's `Accept` admits neither application/octet-stream, application/*
  nor */* (no Accept admits anything); 404 while the import is not done or when no row
  failed. `POST /_sim/error-report` changes what the file holds (see below).
- OR11 `GET /api/orders`: `order_state_codes`, `order_ids` (comma lists),
  `start_update_date` (less a 5-minute safety margin, so calls overlap),
  `end_update_date`, `start_date`, `end_date` (ISO 8601), `max` (10 by default, 1..100),
  `offset`, `paginate` (false: everything), `sort` (only `dateCreated`, the default: by
  created_date then order_id; any other value gets 400), `order` (asc | desc, default asc)
  → `{"orders": [...], "total_count": N}`. Before acceptance — STAGING,
  WAITING_ACCEPTANCE, WAITING_DEBIT, WAITING_DEBIT_PAYMENT, REFUSED, and CANCELED without
  `customer_debited_date` (canceled before acceptance) — an order shows
  `customer.shipping_address`, `customer.billing_address` and `customer_notification_email`
  as null (and `customer.accounting_contact`, `customer.delivery_contact`,
  `customer.organization.{address, identification_number, tax_identification_number}` when
  the order has them); the stored order keeps them and shows them once accepted.
- OR21 `PUT /api/orders/{id}/accept` `{"order_lines": [{"id", "accepted"}]}`: only in
  WAITING_ACCEPTANCE; every line of the order exactly once, `id` a string naming a line of
  the order, `accepted` a boolean, else 400. Accepted lines go straight to SHIPPING (the
  debit is instant here: `acceptance_decision_date` and `customer_debited_date` are set to
  now), refused ones to REFUSED; all refused → the order is REFUSED.
- OR23 `PUT /api/orders/{id}/tracking` (only in SHIPPING): `{"carrier_code",
  "tracking_number"}` for a carrier of SH21's list (unknown code → 400; `tracking_number`
  required when the carrier's tracking_url holds `{trackingId}`; `carrier_name` and
  `carrier_url` are then unused: the order gets the carrier's label and URL), or
  `{"carrier_name", "carrier_url"?, "tracking_number"?}` for another carrier (no
  carrier_code). Sets `shipping_carrier_code` (null for another carrier),
  `shipping_company`, `shipping_tracking`, `shipping_tracking_url`. Fields must be strings.
- OR24 `PUT /api/orders/{id}/ship` (only in SHIPPING; the order and its shipping lines
  become SHIPPED) → 204, OR29 `PUT /api/orders/{id}/cancel` (before shipment) → 204. A
  wrong state gets 400 with `"code": "ORDER_INVALID_STATE"`; an unknown order 404. Each
  change sets `last_updated_date` to now.

Every stored order has a `customer_notification_email` (an anonymized address
`<token>.<token>@notification.mirakl.net`, invented from the order id when missing) and a
`customer.billing_address` (the shipping address when missing).

`--generate N --seed S`: N synthetic orders in the shape of mirakl_orders.json (ids
`G0000001-A`…, 1–3 lines of offer_sku `SKU-000001`…`SKU-<K>` with K = `--skus`, 1000 by
default; mostly SHIPPING, WAITING_ACCEPTANCE, SHIPPED and CLOSED, a few CANCELED (half of
them before acceptance) and REFUSED; shipping to FRA, ESP, DEU, ITA, BEL; carriers
COLISSIMO, CHRONOPOST, DHL; last_updated_date over the 30 days before
2025-06-30T00:00:00Z), the same for the same N and seed. They are indexed at start-up and
built on demand; `--orders` orders are added on top. OR11 keeps the orders sorted by
created and by updated date, narrows a date range by bisection and keeps the last few
results, so paging through 100,000 orders costs a slice per page.

Control routes (sim_common.py): `/_sim/fail`, `/_sim/die-after`, `/_sim/hang`,
`/_sim/requests` (headers included, Accept among them), `/_sim/reset` (also forgets
imports, offers, hooks and trackings, sets the error report back to normal and restores
the orders), plus:
- `GET /_sim/imports` (every import with `with_products`, `product_columns` and its parsed
  rows), `GET /_sim/offers` (offers by sku after the imports), `GET /_sim/orders` (the
  stored orders, nothing hidden) and `POST /_sim/orders` (a list of orders, or
  `{"orders": [...]}`, added or replacing those with the same `order_id`).
- `POST /_sim/update-after-page` `{"page": K (>= 1, default 1), "order_id", "changes":
  {...}}`: once the K-th paginated OR11 request from now (any filters; not `paginate=false`)
  is answered, the order gets `changes` merged (top-level keys) and `last_updated_date` now
  (unless `changes` sets it), once. `{"page": K, "new_order": {...}}` adds an order instead
  (`created_date` and `last_updated_date` default to now). Answers `{"ok", "id"}`.
  `GET /_sim/hooks`: every rule `{id, page, order_id, changes, new_order, pages_seen, fired,
  fired_at, last_updated_date}`.
- `GET /_sim/trackings`: every accepted OR23 call `{order_id, body, time}`.
- `POST /_sim/error-report` `{"mode": "normal" | "truncated" | "unmatched"}` (default
  normal; `GET` shows it): `truncated` = OF03 lists only the first row in error while OF02
  still counts them all; `unmatched` = the rows carry an empty `sku`, `product-id` and
  `error-line`.
"""
import bisect
import collections
import copy
import csv
import hashlib
import io
import itertools
import json
import os
import random
import re
import socket
import sys
from datetime import datetime, timedelta, timezone

sys.dont_write_bytecode = True  # no __pycache__ beside the sources when importing the shared modules

import sim_common  # noqa: E402

HERE = os.path.dirname(os.path.abspath(__file__))
REQUIRED_COLUMNS = ("sku", "price", "state")
# The columns of Mirakl's offer import file (OF01); a column that is none of these (nor a
# `discount-*` column, nor one of the bracketed channel or EPR forms below) is a product column.
OFFER_COLUMNS = frozenset((
    "sku", "product-id", "product-id-type", "description", "internal-description", "price",
    "price-additional-info", "quantity", "min-quantity-alert", "state", "available-start-date",
    "available-end-date", "logistic-class", "discount-price", "discount-start-date", "discount-end-date",
    "discount-ranges", "allow-quote-requests", "leadtime-to-ship", "min-order-quantity", "max-order-quantity",
    "package-quantity", "update-delete", "price-ranges", "ecotax", "gift-wrap", "min-quantity-ordered",
    "pricing-unit", "product-tax-code"))
CHANNEL_COLUMNS = frozenset(("price", "discount-price", "discount-start-date", "discount-end-date",
                             "discount-ranges", "price-ranges"))      # also as `price[channel=CODE]`
EPR_COLUMNS = frozenset(("producer-id", "eco-contribution-amount"))  # as `producer-id[FR-DEEE]`
BRACKETED = re.compile(r"^([a-z-]+)\[([^\]]+)\]$")
ERROR_REPORT_MODES = ("normal", "truncated", "unmatched")
# Before the shop accepts the order (and when it never did) Mirakl shows these as null.
BEFORE_ACCEPTANCE = frozenset(("STAGING", "WAITING_ACCEPTANCE", "WAITING_DEBIT", "WAITING_DEBIT_PAYMENT", "REFUSED"))
HIDDEN_CUSTOMER_FIELDS = ("billing_address", "shipping_address")
HIDDEN_IF_PRESENT = ("accounting_contact", "delivery_contact")
HIDDEN_ORGANIZATION_FIELDS = ("address", "identification_number", "tax_identification_number")
NOTIFICATION_DOMAIN = "notification.mirakl.net"
TRACKING_PLACEHOLDER = "{trackingId}"
DEFAULT_CARRIERS = (  # code, label, tracking URL template ({trackingId}: the tracking number)
    ("COLISSIMO", "Colissimo", "https://www.laposte.fr/outils/suivre-vos-envois?code={trackingId}"),
    ("CHRONOPOST", "Chronopost", "https://www.chronopost.fr/tracking-no-cms/suivi-page?listeNumerosLT={trackingId}"),
    ("MONDIAL_RELAY", "Mondial Relay", "https://www.mondialrelay.fr/suivi-de-colis/?NumeroExpedition={trackingId}"),
    ("COLIS_PRIVE", "Colis Privé", "https://www.colisprive.com/moncolis/pages/detailColis.aspx?numColis={trackingId}"),
    ("UPS", "UPS", "https://www.ups.com/track?tracknum={trackingId}"),
    ("DHL", "DHL", "https://www.dhl.com/fr-fr/home/suivi.html?tracking-id={trackingId}"),
    ("DPD", "DPD", "https://trace.dpd.fr/fr/trace/{trackingId}"),
    ("GLS", "GLS", "https://gls-group.com/FR/fr/suivi-colis?match={trackingId}"),
    ("FEDEX", "FedEx", "https://www.fedex.com/fedextrack/?trknbr={trackingId}"),
    ("TNT", "TNT", "https://www.tnt.com/express/fr_fr/site/outils-expedition/suivi.html?searchType=con&cons={trackingId}"),
    ("GEODIS", "Geodis", None),
    ("POSTNL", "PostNL", "https://postnl.nl/tracktrace/?B={trackingId}"),
    ("BPOST", "bpost", "https://track.bpost.cloud/btr/web/#/search?itemCode={trackingId}"),
    ("CORREOS", "Correos", "https://www.correos.es/es/es/herramientas/localizador/envios/detalle?tracking-number={trackingId}"),
    ("SEUR", "SEUR", "https://www.seur.com/livetracking/?segOnlineIdentificador={trackingId}"),
    ("BRT", "BRT", "https://vas.brt.it/vas/sped_det_show.hsm?Nspediz={trackingId}"),
    ("POSTE_ITALIANE", "Poste Italiane", "https://www.poste.it/cerca/index.html#/risultati-spedizioni/{trackingId}"),
)
PRODUCT_ID_TYPES = {"SHOP_SKU", "SKU", "EAN", "UPC", "ISBN", "MPN"}
IMPORT_MODES = {"NORMAL", "PARTIAL_UPDATE", "REPLACE"}
DECIMAL = re.compile(r"^\d+(\.\d+)?$")
SAFETY_MARGIN = timedelta(minutes=5)
MAX_PAGE = 100
CANCELABLE = {"STAGING", "WAITING_ACCEPTANCE", "WAITING_DEBIT", "WAITING_DEBIT_PAYMENT", "SHIPPING"}
GENERATION_END = int(datetime(2025, 6, 30, tzinfo=timezone.utc).timestamp())
GENERATION_SPAN = 30 * 86400
NO_DATE = float("-inf")      # where orders without a date sort (first, as before)
AFTER_ANY_ID = "\U0010ffff"  # sorts after every order id
LISTINGS_KEPT = 16           # OR11 results kept for the next pages


class MiraklError(Exception):
    """An error answered as Mirakl does: `{"message", "status"}` (and `code` when given)."""

    def __init__(self, status, message, code=None):
        super().__init__(message)
        self.status, self.message, self.code = status, message, code


def now_text():
    """Now in UTC, ISO 8601 with milliseconds (`2025-06-30T12:00:00.123Z`)."""
    moment = datetime.now(timezone.utc)
    return moment.strftime("%Y-%m-%dT%H:%M:%S.") + "%03dZ" % (moment.microsecond // 1000)


def parse_date(text, name):
    try:
        moment = datetime.fromisoformat(text.strip().replace("Z", "+00:00"))
    except ValueError:
        raise MiraklError(400, "Invalid date for parameter %s: '%s' (expected ISO 8601, such as "
                               "2025-06-02T08:00:00Z)" % (name, text))
    return moment if moment.tzinfo else moment.replace(tzinfo=timezone.utc)


def order_date(order, key):
    try:
        return parse_date(order.get(key) or "", key)
    except MiraklError:
        return None


def order_epoch(order, key):
    moment = order_date(order, key)
    return moment.timestamp() if moment is not None else None


def iso(epoch):
    return datetime.fromtimestamp(int(epoch), timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")


def base36(number, length):
    digits = "0123456789abcdefghijklmnopqrstuvwxyz"
    text = ""
    for _ in range(length):
        number, digit = divmod(number, 36)
        text += digits[digit]
    return text


SHOP_TOKEN = base36(int.from_bytes(hashlib.sha1(b"syndic-sim-shop").digest()[:8], "big"), 9)


def notification_email(order_id):
    """The anonymized address Mirakl gives for the buyer of `order_id` (the same every time)."""
    digest = hashlib.sha1(str(order_id).encode("utf-8")).digest()
    return "%s.%s@%s" % (base36(int.from_bytes(digest[:8], "big"), 11), SHOP_TOKEN, NOTIFICATION_DOMAIN)


def complete_order(order):
    """Fills what every stored order has: the buyer's notification email and a billing address
    (the shipping address when the order has none). Changes `order` in place."""
    if not order.get("customer_notification_email"):
        order["customer_notification_email"] = notification_email(order.get("order_id"))
    customer = order.get("customer")
    if isinstance(customer, dict) and customer.get("billing_address") is None \
            and isinstance(customer.get("shipping_address"), dict):
        customer["billing_address"] = dict(customer["shipping_address"])
    return order


def before_acceptance(order):
    """Whether the shop has not accepted the order (yet, or ever): STAGING, WAITING_*,
    REFUSED, or CANCELED without a customer debit (canceled before acceptance)."""
    state = order.get("order_state")
    return state in BEFORE_ACCEPTANCE or (state == "CANCELED" and not order.get("customer_debited_date"))


def seller_view(order):
    """The order as OR11 shows it: before acceptance, the customer's addresses, contacts and
    the notification email are null (the stored order keeps them)."""
    if order is None or not before_acceptance(order):
        return order
    view = dict(order)
    customer = order.get("customer")
    if isinstance(customer, dict):
        customer = dict(customer)
        for key in HIDDEN_CUSTOMER_FIELDS:
            customer[key] = None
        for key in HIDDEN_IF_PRESENT:
            if key in customer:
                customer[key] = None
        organization = customer.get("organization")
        if isinstance(organization, dict):
            customer["organization"] = dict(organization, **{key: None for key in HIDDEN_ORGANIZATION_FIELDS
                                                             if key in organization})
        view["customer"] = customer
    view["customer_notification_email"] = None
    return view


def is_offer_column(name):
    if name in OFFER_COLUMNS or name.startswith("discount-"):
        return True
    match = BRACKETED.match(name)
    if not match:
        return False
    base, inside = match.groups()
    return (base in CHANNEL_COLUMNS and inside.startswith("channel=")) or base in EPR_COLUMNS


def accepts(header, media_type):
    """Whether an Accept header admits `media_type` (no header admits anything; the most
    specific matching range decides, q=0 refuses)."""
    if header is None or not header.strip():
        return True
    main = media_type.split("/")[0]
    best = None  # (specificity, q)
    for part in header.split(","):
        pieces = [piece.strip() for piece in part.split(";")]
        media_range = pieces[0].lower()
        specificity = {media_type: 3, main + "/*": 2, "*/*": 1}.get(media_range)
        if specificity is None:
            continue
        quality = 1.0
        for parameter in pieces[1:]:
            if parameter.lower().startswith("q="):
                try:
                    quality = float(parameter[2:])
                except ValueError:
                    quality = 0.0
        if best is None or specificity > best[0]:
            best = (specificity, quality)
    return best is not None and best[1] > 0


def tracking_url(template, number):
    if not template:
        return None
    return template.replace(TRACKING_PLACEHOLDER, number or "")


# MARK: - Offer imports


class OfferImport:
    """One OF01 upload: its rows validated at once, its status revealed poll by poll."""

    def __init__(self, import_id, mode, file_name, data, with_products=False):
        self.import_id = import_id
        self.mode = mode
        self.with_products = with_products
        self.file_name = file_name
        self.date_created = now_text()
        self.polls = 0
        self.header = []
        self.product_columns = []  # header columns that are not offer columns
        self.rows = []          # {"line", "fields", "values", "error"}
        self.failure = None     # reason_status of an import that failed as a whole
        self.inserted = self.updated = self.deleted = 0
        self.parse(data)

    def parse(self, data):
        try:
            text = data.decode("utf-8-sig")
        except UnicodeDecodeError:
            self.failure = "The file is not encoded in UTF-8."
            return
        try:
            records = [record for record in csv.reader(io.StringIO(text, newline=""), delimiter=";") if record]
        except csv.Error as error:
            self.failure = "The file is not valid CSV: %s." % error
            return
        if not records:
            self.failure = "The file is empty."
            return
        self.header = [name.strip() for name in records[0]]
        missing = [name for name in REQUIRED_COLUMNS if name not in self.header]
        if missing:
            self.failure = "The file misses the required column(s): %s." % ", ".join(missing)
            return
        self.product_columns = [name for name in self.header if name and not is_offer_column(name)]
        if self.product_columns and not self.with_products:
            self.failure = ("The file contains product columns (%s): import it with with_products=true to send "
                            "products with the offers." % ", ".join(self.product_columns))
            return
        for line, fields in enumerate(records[1:], start=2):
            values = dict(zip(self.header, fields))
            error = self.check(fields, values)
            self.rows.append({"line": line, "fields": fields, "values": values, "error": error})

    def check(self, fields, values):
        """The error message of one row, or None."""
        if len(fields) != len(self.header):
            return "The line has %d fields, the header has %d." % (len(fields), len(self.header))
        if not values["sku"].strip():
            return "The column 'sku' is required."
        if not values["state"].strip():
            return "The column 'state' is required."
        action = values.get("update-delete", "").strip().lower()
        if action not in ("", "update", "delete"):
            return "The column 'update-delete' must be empty, 'update' or 'delete', not '%s'." % values["update-delete"]
        if action == "delete":
            return None
        if not DECIMAL.match(values["price"].strip()):
            return "The price '%s' is not a decimal number greater than or equal to 0." % values["price"]
        quantity = values.get("quantity", "").strip()
        if quantity and not quantity.isdigit():
            return "The quantity '%s' is not an integer greater than or equal to 0." % values["quantity"]
        product_id, id_type = values.get("product-id", "").strip(), values.get("product-id-type", "").strip()
        if product_id and not id_type:
            return "The column 'product-id-type' is required when 'product-id' is given."
        if id_type and id_type not in PRODUCT_ID_TYPES:
            return "The product-id-type '%s' is unknown (one of %s)." % (id_type, ", ".join(sorted(PRODUCT_ID_TYPES)))
        return None

    def apply(self, offers):
        """Applies the valid rows to the shop's offers (sku -> row values)."""
        if self.failure:
            return
        seen = set()
        for row in self.rows:
            if row["error"]:
                continue
            sku = row["values"]["sku"].strip()
            seen.add(sku)
            if row["values"].get("update-delete", "").strip().lower() == "delete":
                if offers.pop(sku, None) is not None:
                    self.deleted += 1
                continue
            if sku in offers:
                self.updated += 1
                if self.mode == "PARTIAL_UPDATE":
                    offers[sku].update({key: value for key, value in row["values"].items() if value != ""})
                    continue
            else:
                self.inserted += 1
            offers[sku] = dict(row["values"])
        if self.mode == "REPLACE":
            for sku in [sku for sku in offers if sku not in seen]:
                del offers[sku]
                self.deleted += 1

    # MARK: Status

    def errors(self):
        return [row for row in self.rows if row["error"]]

    def poll(self, polls_until_complete):
        """OF02's answer, advancing the status by one poll."""
        self.polls += 1
        return self.report(self.status(polls_until_complete))

    def status(self, polls_until_complete):
        """The status the last poll showed (WAITING before any)."""
        if self.done(polls_until_complete):
            return "FAILED" if self.failure else "COMPLETE"
        return "RUNNING" if self.polls > 1 else "WAITING"

    def done(self, polls_until_complete):
        return self.polls > polls_until_complete

    def report(self, status):
        done = status in ("COMPLETE", "FAILED")
        errors = len(self.errors()) if done else 0
        return {
            "import_id": self.import_id, "status": status,
            "reason_status": self.failure if status == "FAILED" else None,
            "mode": self.mode, "date_created": self.date_created,
            "lines_read": len(self.rows) if done else 0,
            "lines_in_success": len(self.rows) - errors if done else 0,
            "lines_in_error": errors,
            "offer_inserted": self.inserted if done else 0,
            "offer_updated": self.updated if done else 0,
            "offer_deleted": self.deleted if done else 0,
            "has_error_report": done and errors > 0,
        }

    def error_report(self, mode="normal"):
        """OF03's file. `truncated`: only the first row in error; `unmatched`: rows without
        their sku, product-id and error-line (nothing to tell which product failed)."""
        out = io.StringIO(newline="")
        writer = csv.writer(out, delimiter=";", lineterminator="\n")
        writer.writerow(self.header + ["error-line", "error-message"])
        rows = self.errors()[:1] if mode == "truncated" else self.errors()
        for row in rows:
            fields = (row["fields"] + [""] * len(self.header))[:len(self.header)]
            line = row["line"]
            if mode == "unmatched":
                fields = ["" if name in ("sku", "product-id") else value for name, value in zip(self.header, fields)]
                line = ""
            writer.writerow(fields + [line, row["error"]])
        return out.getvalue()

    def snapshot(self, polls_until_complete):
        return {"import_id": self.import_id, "mode": self.mode, "with_products": self.with_products,
                "file_name": self.file_name,
                "date_created": self.date_created, "polls": self.polls, "failure": self.failure,
                "status": self.status(polls_until_complete),
                "header": self.header, "product_columns": self.product_columns,
                "rows": [{"line": row["line"], "values": row["values"], "error": row["error"]} for row in self.rows],
                "offer_inserted": self.inserted, "offer_updated": self.updated, "offer_deleted": self.deleted}


def multipart_parts(content_type, body):
    """The parts of a multipart/form-data body: {name: (filename or None, bytes)}."""
    match = re.search(r'boundary="?([^";]+)"?', content_type or "")
    if not (content_type or "").lower().startswith("multipart/form-data") or not match:
        raise MiraklError(400, "The request must be multipart/form-data.")
    delimiter = b"--" + match.group(1).encode()
    parts = {}
    for chunk in body.split(delimiter)[1:]:
        if chunk.startswith(b"--"):
            break
        chunk = chunk[2:] if chunk.startswith(b"\r\n") else chunk
        head, separator, content = chunk.partition(b"\r\n\r\n")
        if not separator:
            continue
        if content.endswith(b"\r\n"):
            content = content[:-2]
        headers = head.decode("utf-8", "replace")
        name = re.search(r'(?i)content-disposition:[^\r\n]*;\s*name="([^"]*)"', headers)
        filename = re.search(r'(?i)content-disposition:[^\r\n]*;\s*filename="([^"]*)"', headers)
        if name:
            parts[name.group(1)] = (filename.group(1) if filename else None, content)
    return parts


# MARK: - Synthetic orders

COUNTRIES = (  # ISO 3166-1 alpha-3, weight, first names, last names, (city, zip code), streets, phone format
    ("FRA", 50, ("Élodie", "Jérôme", "Camille", "Théo", "Manon", "Lucas", "Chloé", "Hugo", "Léa", "Anaïs"),
     ("Marchand", "N'Diaye", "Lefèvre", "Dubois", "Moreau", "Girard", "Roux", "Fournier", "Bonnet", "Mercier"),
     (("Paris", "75005"), ("Lyon", "69003"), ("Marseille", "13008"), ("Toulouse", "31000"), ("Nantes", "44000"),
      ("Lille", "59000"), ("Bordeaux", "33000"), ("Strasbourg", "67000")),
     ("rue des Écoles", "avenue Jean Jaurès", "boulevard Voltaire", "allée des Tilleuls", "rue de la République"),
     "+33 6 %02d %02d %02d %02d"),
    ("ESP", 15, ("Lucía", "Javier", "María José", "Álvaro", "Sofía", "Martín"),
     ("García", "Fernández", "López", "Martínez", "Núñez", "Peña"),
     (("Madrid", "28013"), ("Barcelona", "08001"), ("Valencia", "46002"), ("Sevilla", "41001")),
     ("Calle Mayor", "Avenida de la Constitución", "Calle de Alcalá", "Carrer de Mallorca"),
     "+34 6%02d %02d %02d %02d"),
    ("DEU", 15, ("Jürgen", "Lena", "Maximilian", "Sophie", "Jonas", "Mia"),
     ("Müller", "Schäfer", "Weiß", "Becker", "Groß", "Köhler"),
     (("Berlin", "10115"), ("München", "80331"), ("Hamburg", "20095"), ("Köln", "50667")),
     ("Hauptstraße", "Schloßallee", "Bahnhofstraße", "Goethestraße"),
     "+49 151 %02d%02d%02d%02d"),
    ("ITA", 12, ("Giulia", "Niccolò", "Francesca", "Lorenzo", "Chiara"),
     ("Rossi", "Bianchi", "D'Amico", "Esposito", "Ricci"),
     (("Roma", "00184"), ("Milano", "20121"), ("Napoli", "80133"), ("Torino", "10121")),
     ("Via Roma", "Corso Vittorio Emanuele II", "Via Garibaldi", "Piazza del Duomo"),
     "+39 3%02d %02d %02d %02d"),
    ("BEL", 8, ("Lotte", "Maxime", "Noé", "Émilie", "Wout"),
     ("Peeters", "Janssens", "Dupont", "Van den Broeck", "Lambert"),
     (("Bruxelles", "1000"), ("Antwerpen", "2000"), ("Liège", "4000"), ("Gent", "9000")),
     ("Rue Neuve", "Meir", "Boulevard d'Avroy", "Veldstraat"),
     "+32 4%02d %02d %02d %02d"),
)
COUNTRY_WEIGHTS = list(itertools.accumulate(country[1] for country in COUNTRIES))
GENERATED_CARRIERS = (  # carrier of the default list, tracking number pattern
    ("COLISSIMO", "6A%011d"),
    ("CHRONOPOST", "XW%09dFR"),
    ("DHL", "%010d"),
)
CARRIERS = tuple((code, label, url, number) for wanted, number in GENERATED_CARRIERS
                 for code, label, url in DEFAULT_CARRIERS if code == wanted)
CANCEL_REASONS = ("NO_STOCK", "CUSTOMER_REQUEST", "SHOP_CANCEL")


class OrderGenerator:
    """`--generate`: N orders drawn from a seed. Their index (id, dates, state) is built at
    start-up from one random stream; each order's details come from its own generator seeded
    by (seed, position), so that any order is built alone, on demand."""

    def __init__(self, count, seed, skus):
        self.count, self.seed, self.skus = count, seed, max(1, skus)
        rng = random.Random(seed)
        self.rows = []  # (created, updated, state) by position
        self.meta = {}  # id -> (created, updated, state)
        for position in range(count):
            pick = rng.random()
            state = ("SHIPPING" if pick < 0.40 else "WAITING_ACCEPTANCE" if pick < 0.60 else "SHIPPED" if pick < 0.80
                     else "CLOSED" if pick < 0.94 else "CANCELED" if pick < 0.97 else "REFUSED")
            updated = float(GENERATION_END - 1 - rng.randrange(GENERATION_SPAN))
            created = updated - rng.randrange(3600 if state == "WAITING_ACCEPTANCE" else 3 * 86400)
            row = (created, updated, state)
            self.rows.append(row)
            self.meta["G%07d-A" % (position + 1)] = row
        self.by_created = sorted((row[0], order_id) for order_id, row in self.meta.items())
        self.by_updated = sorted((row[1], order_id) for order_id, row in self.meta.items())

    def position(self, order_id):
        if not isinstance(order_id, str) or len(order_id) != 10 or order_id[0] != "G" or not order_id.endswith("-A"):
            return None
        digits = order_id[1:8]
        position = int(digits) - 1 if digits.isdigit() else -1
        return position if 0 <= position < self.count else None

    def order(self, order_id):
        """The whole order, or None when `order_id` is not a generated one."""
        position = self.position(order_id)
        if position is None:
            return None
        created, updated, state = self.rows[position]
        rng = random.Random(self.seed * 1000003 + position)
        country, _, firsts, lasts, cities, streets, phone = rng.choices(COUNTRIES, cum_weights=COUNTRY_WEIGHTS)[0]
        city, zip_code = rng.choice(cities)
        commercial_id = order_id[:-2]
        updated_text = iso(updated)
        count = rng.choices((1, 2, 3), (60, 30, 10))[0]
        numbers = rng.sample(range(1, self.skus + 1), min(count, self.skus))
        partial = state == "SHIPPING" and len(numbers) > 1 and rng.random() < 0.2
        all_canceled = state == "CANCELED" or (state == "CLOSED" and rng.random() < 0.15)
        lines, total = [], 0.0
        for index, number in enumerate(numbers, 1):
            price = round((number * 37) % 240 + 9.9, 2)
            quantity = rng.choices((1, 2, 3), (80, 15, 5))[0]
            line_total = round(price * quantity, 2)
            if all_canceled:
                line_state = "CANCELED"
            elif state == "SHIPPING":
                line_state = "SHIPPED" if partial and index == 1 else "SHIPPING"
            else:
                line_state = state
            cancelations = []
            if line_state == "CANCELED":
                cancelations.append({"id": "C-%s-%d" % (commercial_id, index), "quantity": quantity, "amount": line_total,
                                     "reason_code": rng.choice(CANCEL_REASONS), "created_date": updated_text})
            lines.append({"order_line_id": "%s-%d" % (order_id, index), "order_line_index": index,
                          "order_line_state": line_state, "offer_sku": "SKU-%06d" % number,
                          "product_sku": "MP%06d" % number, "quantity": quantity, "price": price,
                          "total_price": line_total,
                          "shipped_date": updated_text if line_state in ("SHIPPED", "CLOSED") else None,
                          "cancelations": cancelations})
            total += line_total
        tracking = carrier = company = url = None
        if any(line["shipped_date"] for line in lines):
            carrier, company, url_pattern, number_pattern = rng.choice(CARRIERS)
            tracking = number_pattern % rng.randrange(10 ** 9)
            url = tracking_url(url_pattern, tracking)
        digits = rng.randrange(10 ** 8)
        customer = {"firstname": rng.choice(firsts), "lastname": rng.choice(lasts), "shipping_address": {
            "street_1": "%d %s" % (rng.randint(1, 120), rng.choice(streets)),
            "street_2": rng.choice(("Bâtiment B", "3e étage", "Apt. 12")) if rng.random() < 0.25 else None,
            "zip_code": zip_code, "city": city, "country_iso_code": country,
            "phone": phone % (digits // 10 ** 6, digits // 10 ** 4 % 100, digits // 100 % 100, digits % 100)}}
        customer["billing_address"] = dict(customer["shipping_address"])
        # Accepted (and debited) unless waiting, refused, or canceled before acceptance (half of the CANCELED).
        decided = debited = None
        if state in ("SHIPPING", "SHIPPED", "CLOSED") or (state == "CANCELED" and rng.random() < 0.5):
            decided = created + min(updated - created, rng.randrange(60, 7200))
            debited = min(updated, decided + rng.randrange(1, 120))
        elif state == "REFUSED":
            decided = updated
        return {
            "order_id": order_id, "commercial_id": commercial_id, "order_state": state,
            "created_date": iso(created), "last_updated_date": updated_text,
            "acceptance_decision_date": iso(decided) if decided is not None else None,
            "customer_debited_date": iso(debited) if debited is not None else None,
            "currency_iso_code": "EUR", "customer": customer,
            "customer_notification_email": notification_email(order_id),
            "shipping_tracking": tracking, "shipping_carrier_code": carrier, "shipping_company": company,
            "shipping_tracking_url": url, "total_price": round(total, 2), "order_lines": lines,
        }


# MARK: - State


def load_carriers(path):
    """`--carriers FILE.json`: a list of carriers (or {"carriers": [...]}), each with a `code`
    and a `label`, optionally `tracking_url` (a template, {trackingId} standing for the tracking
    number) and `standard_code`."""
    with open(path, encoding="utf-8") as file:
        document = json.load(file)
    carriers = document.get("carriers") if isinstance(document, dict) else document
    if not isinstance(carriers, list):
        raise ValueError("expected a list of carriers or {\"carriers\": [...]}")
    seen, loaded = set(), []
    for carrier in carriers:
        if not isinstance(carrier, dict) or not isinstance(carrier.get("code"), str) or not carrier["code"] \
                or not isinstance(carrier.get("label"), str):
            raise ValueError("every carrier needs a code and a label (strings): %r" % (carrier,))
        if not isinstance(carrier.get("tracking_url"), (str, type(None))):
            raise ValueError("tracking_url of %s must be a string or null" % carrier["code"])
        if carrier["code"] in seen:
            raise ValueError("carrier code %s given twice" % carrier["code"])
        seen.add(carrier["code"])
        loaded.append({"code": carrier["code"], "label": carrier["label"],
                       "standard_code": carrier.get("standard_code"), "tracking_url": carrier.get("tracking_url")})
    return loaded


class MiraklState(sim_common.SimState):
    def __init__(self, args):
        super().__init__()
        self.api_key, self.shop_id = args.api_key, args.shop_id
        self.polls_until_complete = args.polls_until_complete
        with open(args.attributes or os.path.join(HERE, "mirakl_attributes.json"), encoding="utf-8") as file:
            document = json.load(file)
        self.attributes = document.get("attributes", []) if isinstance(document, dict) else document
        self.values_lists = document.get("values_lists", []) if isinstance(document, dict) else []
        self.carriers = load_carriers(args.carriers) if args.carriers else [
            {"code": code, "label": label, "standard_code": None, "tracking_url": url} for code, label, url in DEFAULT_CARRIERS]
        self.generator = OrderGenerator(args.generate, args.seed, args.skus) if args.generate else None
        self.initial_orders = []
        if args.orders:
            with open(args.orders, encoding="utf-8") as file:
                loaded = json.load(file)
            self.initial_orders = loaded.get("orders", []) if isinstance(loaded, dict) else loaded
        self.explicit = {}     # order id -> whole order: from the file, the control route, or changed
        self.meta = {}         # order id -> (created, updated, state) of every order (dates as epochs or None)
        self.by_created = []   # sorted (created or NO_DATE, order id)
        self.by_updated = []   # sorted (updated or NO_DATE, order id)
        self.version = 0       # bumped on every change of the orders: OR11 results are kept per version
        self.listings = collections.OrderedDict()
        self.imports = {}
        self.offers = {}
        self.next_import = 1
        self.hooks = []            # POST /_sim/update-after-page rules, fired or not
        self.trackings = []        # every accepted OR23 call
        self.error_report_mode = "normal"
        self.restore()

    def carrier(self, code):
        return next((carrier for carrier in self.carriers if carrier["code"] == code), None)

    def restore(self):
        self.explicit = {}
        self.meta = dict(self.generator.meta) if self.generator else {}
        self.by_created = list(self.generator.by_created) if self.generator else []
        self.by_updated = list(self.generator.by_updated) if self.generator else []
        for order in self.initial_orders:
            self.store(complete_order(copy.deepcopy(order)))
        self.version += 1
        self.listings.clear()
        self.imports.clear()
        self.offers.clear()
        self.next_import = 1
        self.hooks = []
        self.trackings = []
        self.error_report_mode = "normal"

    def reset(self):
        super().reset()
        with self.lock:
            self.restore()

    def add_import(self, mode, file_name, data, with_products=False):
        with self.lock:
            offer_import = OfferImport(self.next_import, mode, file_name, data, with_products)
            offer_import.apply(self.offers)
            self.imports[offer_import.import_id] = offer_import
            self.next_import += 1
            return offer_import.import_id

    def put_orders(self, orders):
        if not isinstance(orders, list) or not all(isinstance(order, dict) and order.get("order_id") for order in orders):
            raise sim_common.ControlError("expected a list of orders, each with an order_id")
        with self.lock:
            for order in orders:
                self.store(complete_order(copy.deepcopy(order)))
        return len(orders)

    # MARK: Hooks between OR11 pages

    def add_hook(self, body):
        if not isinstance(body, dict):
            raise sim_common.ControlError("the body must be a JSON object")
        page = body.get("page", 1)
        if not isinstance(page, int) or isinstance(page, bool) or page < 1:
            raise sim_common.ControlError("page must be an integer >= 1")
        new_order, order_id, changes = body.get("new_order"), body.get("order_id"), body.get("changes")
        if new_order is not None:
            if order_id is not None or changes is not None:
                raise sim_common.ControlError("give either new_order, or order_id and changes")
            if not isinstance(new_order, dict) or not isinstance(new_order.get("order_id"), str) or not new_order["order_id"]:
                raise sim_common.ControlError("new_order must be an order with an order_id")
        else:
            if not isinstance(order_id, str) or not order_id:
                raise sim_common.ControlError("order_id must be the id of an order (or give new_order)")
            if not isinstance(changes, dict) or not changes:
                raise sim_common.ControlError("changes must be a non-empty object of top-level order fields")
            if "order_id" in changes:
                raise sim_common.ControlError("changes cannot change order_id")
        with self.lock:
            if new_order is None and self.order(order_id) is None:
                raise sim_common.ControlError("no order %s" % order_id)
            hook = {"id": len(self.hooks) + 1, "page": page, "order_id": order_id if new_order is None else new_order["order_id"],
                    "changes": copy.deepcopy(changes), "new_order": copy.deepcopy(new_order),
                    "pages_seen": 0, "fired": False, "fired_at": None, "last_updated_date": None}
            self.hooks.append(hook)
            return hook["id"]

    def page_served(self):
        """Counts one OR11 page for the hooks and fires those whose page it was."""
        for hook in self.hooks:
            if hook["fired"]:
                continue
            hook["pages_seen"] += 1
            if hook["pages_seen"] < hook["page"]:
                continue
            now = now_text()
            if hook["new_order"] is not None:
                order = complete_order(copy.deepcopy(hook["new_order"]))
                order.setdefault("created_date", now)
                order.setdefault("last_updated_date", now)
            else:
                order = self.mutable_order(hook["order_id"])
                if order is None:  # removed since: nothing to change
                    hook.update(fired=True, fired_at=now, error="order %s not found" % hook["order_id"])
                    continue
                order.update(copy.deepcopy(hook["changes"]))
                if "last_updated_date" not in hook["changes"]:
                    order["last_updated_date"] = now
            self.store(order)
            hook.update(fired=True, fired_at=now, last_updated_date=order.get("last_updated_date"))

    # MARK: Orders (callers hold the lock)

    def store(self, order):
        """Adds or replaces a whole order and keeps both date indexes sorted."""
        order_id = order["order_id"]
        old = self.meta.get(order_id)
        if old is not None:
            for keys, value in ((self.by_created, old[0]), (self.by_updated, old[1])):
                key = (NO_DATE if value is None else value, order_id)
                position = bisect.bisect_left(keys, key)
                if position < len(keys) and keys[position] == key:
                    del keys[position]
        meta = (order_epoch(order, "created_date"), order_epoch(order, "last_updated_date"), order.get("order_state"))
        self.explicit[order_id] = order
        self.meta[order_id] = meta
        bisect.insort(self.by_created, (NO_DATE if meta[0] is None else meta[0], order_id))
        bisect.insort(self.by_updated, (NO_DATE if meta[1] is None else meta[1], order_id))
        self.version += 1

    def order(self, order_id):
        """The order to read (shared or built now; do not change it), or None."""
        found = self.explicit.get(order_id)
        if found is None and self.generator and order_id in self.meta:
            found = self.generator.order(order_id)
        return found

    def mutable_order(self, order_id):
        """The order, held whole from now on so that changes stick (call `store` after them)."""
        found = self.explicit.get(order_id)
        if found is None and self.generator and order_id in self.meta:
            found = self.explicit[order_id] = self.generator.order(order_id)
        return found

    def all_orders(self):
        return [self.order(order_id) for order_id in self.meta]

    def select(self, states, ids, bounds, sort_field, descending):
        """Ids of the orders OR11 finds, in its order. `bounds` are (field, epoch, is_start) with
        field 0 = created_date, 1 = last_updated_date; the result is kept for the next pages."""
        signature = (self.version, frozenset(states), frozenset(ids), tuple(bounds), sort_field, descending)
        found = self.listings.get(signature)
        if found is not None:
            self.listings.move_to_end(signature)
            return found
        if ids:
            keys, source_field = [(None, order_id) for order_id in ids if order_id in self.meta], None
        else:
            # The smaller of the ranges the date bounds leave in either index.
            choices = []
            for field, source in ((0, self.by_created), (1, self.by_updated)):
                low, high = 0, len(source)
                for bound_field, moment, is_start in bounds:
                    if bound_field != field:
                        continue
                    if is_start:
                        low = max(low, bisect.bisect_left(source, (moment, "")))
                    else:
                        high = min(high, bisect.bisect_right(source, (moment, AFTER_ANY_ID)))
                choices.append((max(0, high - low), field != sort_field, field, source, low, high))
            _, _, source_field, source, low, high = min(choices, key=lambda choice: choice[:2])
            keys = source[low:high]
        meta = self.meta
        found = []
        for _, order_id in keys:
            created, updated, state = meta[order_id]
            if states and state not in states:
                continue
            for field, moment, is_start in bounds:
                value = updated if field else created
                if value is None or (value < moment if is_start else value > moment):
                    break
            else:
                found.append(order_id)
        if source_field != sort_field:
            found.sort(key=lambda order_id: (NO_DATE if meta[order_id][sort_field] is None else meta[order_id][sort_field],
                                             order_id))
        if descending:
            found.reverse()
        self.listings[signature] = found
        while len(self.listings) > LISTINGS_KEPT:
            self.listings.popitem(last=False)
        return found


# MARK: - Handler


class MiraklHandler(sim_common.SimHandler):

    def setup(self):
        super().setup()
        # Headers and body leave in two writes: without this, Nagle's algorithm and the
        # client's delayed ACK hold every small reply for about 40 ms.
        self.connection.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)

    def fault_reply(self, status, retry_after):
        headers = [("Retry-After", str(retry_after))] if status in (429, 503) else []
        self.send_json(status, {"message": self.responses.get(status, ("Error",))[0], "status": status}, headers)

    def route(self, method, path, params, body):
        params = {key: values[-1] for key, values in params.items()}
        try:
            self.authenticate(params)
            self.dispatch(method, path.rstrip("/"), params, body)
        except MiraklError as error:
            reply = {"message": error.message, "status": error.status}
            if error.code:
                reply["code"] = error.code
            self.send_json(error.status, reply)

    def authenticate(self, params):
        key = self.headers.get("Authorization")
        if key != self.state.api_key:
            raise MiraklError(401, "Unauthorized")
        if self.state.shop_id and params.get("shop_id") not in (None, "", self.state.shop_id):
            raise MiraklError(401, "Unauthorized")

    def dispatch(self, method, path, params, body):
        parts = path.split("/")[1:]  # ["api", ...]
        routes = []
        if parts[:3] == ["api", "products", "attributes"] and len(parts) == 3:
            routes = [("GET", lambda: self.attributes(params))]
        elif parts == ["api", "values_lists"]:
            routes = [("GET", lambda: self.values_lists(params))]
        elif parts == ["api", "offers", "imports"]:
            routes = [("POST", lambda: self.import_offers(body))]
        elif parts[:3] == ["api", "offers", "imports"] and len(parts) == 4:
            routes = [("GET", lambda: self.import_status(parts[3]))]
        elif parts[:3] == ["api", "offers", "imports"] and len(parts) == 5 and parts[4] == "error_report":
            routes = [("GET", lambda: self.import_errors(parts[3]))]
        elif parts == ["api", "orders"]:
            routes = [("GET", lambda: self.list_orders(params))]
        elif parts == ["api", "shipping", "carriers"]:
            routes = [("GET", lambda: self.send_json(200, {"carriers": self.state.carriers}))]
        elif parts[:2] == ["api", "orders"] and len(parts) == 4 and parts[3] in ("accept", "tracking", "ship", "cancel"):
            routes = [("PUT", lambda: self.change_order(parts[2], parts[3], body))]
        if not routes:
            raise MiraklError(404, "Not Found")
        for allowed, handler in routes:
            if method == allowed:
                return handler()
        raise MiraklError(405, "Method Not Allowed")

    # MARK: PM11, VL11

    def attributes(self, params):
        hierarchy = params.get("hierarchy")
        attributes = [attribute for attribute in self.state.attributes
                      if not hierarchy or attribute.get("hierarchy_code") in (None, "", hierarchy)]
        self.send_json(200, {"attributes": attributes})

    def values_lists(self, params):
        code = params.get("code")
        self.send_json(200, {"values_lists": [entry for entry in self.state.values_lists
                                              if not code or entry.get("code") == code]})

    # MARK: OF01, OF02, OF03

    def import_offers(self, body):
        parts = multipart_parts(self.headers.get("Content-Type"), body)
        if "file" not in parts:
            raise MiraklError(400, "The multipart request needs a 'file' part.")
        mode = (parts["import_mode"][1].decode("utf-8", "replace").strip() if "import_mode" in parts else "") or "NORMAL"
        if mode not in IMPORT_MODES:
            raise MiraklError(400, "Unknown import_mode '%s' (one of %s)." % (mode, ", ".join(sorted(IMPORT_MODES))))
        with_products = parts["with_products"][1].decode("utf-8", "replace").strip() if "with_products" in parts else ""
        if with_products.lower() not in ("", "true", "false"):
            raise MiraklError(400, "Invalid value '%s' for with_products (true or false)." % with_products)
        file_name, data = parts["file"]
        import_id = self.state.add_import(mode, file_name, data, with_products.lower() == "true")
        self.send_json(201, {"import_id": import_id})

    def find_import(self, text):
        offer_import = self.state.imports.get(int(text)) if text.isdigit() else None
        if offer_import is None:
            raise MiraklError(404, "Import %s not found" % text)
        return offer_import

    def import_status(self, text):
        with self.state.lock:
            reply = self.find_import(text).poll(self.state.polls_until_complete)
        self.send_json(200, reply)

    def import_errors(self, text):
        accept = self.headers.get("Accept")
        if not accepts(accept, "application/octet-stream"):
            raise MiraklError(406, "Not Acceptable: the error report is a file (application/octet-stream); "
                                   "the request accepts only %s." % accept.strip())
        with self.state.lock:
            offer_import = self.find_import(text)
            if not offer_import.done(self.state.polls_until_complete) or not offer_import.errors():
                raise MiraklError(404, "No error report for import %s" % text)
            report = offer_import.error_report(self.state.error_report_mode)
        self.send_bytes(200, report.encode("utf-8"), "application/octet-stream",
                        [("Content-Disposition", 'attachment; filename="error_report_%s.csv"' % text)])

    # MARK: OR11

    def list_orders(self, params):
        states = {code for code in params.get("order_state_codes", "").split(",") if code}
        ids = {code for code in params.get("order_ids", "").split(",") if code}
        bounds = []  # (0 created_date | 1 last_updated_date, epoch, whether it is a lower bound)
        for name, field, is_start, margin in (("start_update_date", 1, True, SAFETY_MARGIN),
                                              ("end_update_date", 1, False, timedelta(0)),
                                              ("start_date", 0, True, timedelta(0)),
                                              ("end_date", 0, False, timedelta(0))):
            if params.get(name):
                bounds.append((field, (parse_date(params[name], name) - margin).timestamp(), is_start))
        max_items = self.number(params, "max", 10, 1, MAX_PAGE)
        offset = self.number(params, "offset", 0, 0, None)
        sort = params.get("sort") or "dateCreated"
        if sort != "dateCreated":  # the only sort field OR11 documents
            raise MiraklError(400, "Invalid value '%s' for parameter sort: the only sort field is dateCreated." % sort)
        if params.get("order", "asc") not in ("asc", "desc"):
            raise MiraklError(400, "Unknown order '%s' (asc or desc)." % params["order"])
        paginated = params.get("paginate") != "false"

        state = self.state
        with state.lock:
            found = state.select(states, ids, bounds, 0, params.get("order") == "desc")
            page = found[offset:offset + max_items] if paginated else found
            data = json.dumps({"orders": [seller_view(state.order(order_id)) for order_id in page],
                               "total_count": len(found)}, ensure_ascii=False, separators=(",", ":"))
            if paginated:
                state.page_served()  # hooks change orders between this page and the next
        self.send_bytes(200, data.encode("utf-8"))

    @staticmethod
    def number(params, name, default, low, high):
        text = params.get(name)
        if text is None or text == "":
            return default
        if not text.isdigit() or int(text) < low or (high is not None and int(text) > high):
            raise MiraklError(400, "Parameter %s must be an integer %s." % (
                name, "between %d and %d" % (low, high) if high is not None else ">= %d" % low))
        return int(text)

    # MARK: OR21, OR23, OR24, OR29

    def change_order(self, order_id, action, body):
        try:
            request = json.loads(body) if body.strip() else {}
        except ValueError:
            raise MiraklError(400, "The request body is not valid JSON.")
        if not isinstance(request, dict):
            raise MiraklError(400, "The request body must be a JSON object.")
        with self.state.lock:
            order = self.state.mutable_order(order_id)
            if order is None:
                raise MiraklError(404, "Order %s not found" % order_id)
            {"accept": self.accept, "tracking": self.tracking, "ship": self.ship, "cancel": self.cancel}[action](order, request)
            order["last_updated_date"] = now_text()
            self.state.store(order)
            if action == "tracking":
                self.state.trackings.append({"order_id": order_id, "body": request, "time": order["last_updated_date"]})
        self.send_empty(204)

    @staticmethod
    def require_state(order, states, action):
        if order.get("order_state") not in states:
            raise MiraklError(400, "Cannot %s order %s in state %s." % (action, order["order_id"], order.get("order_state")),
                              "ORDER_INVALID_STATE")

    def accept(self, order, request):
        self.require_state(order, {"WAITING_ACCEPTANCE"}, "accept or refuse")
        decisions = request.get("order_lines")
        if not isinstance(decisions, list) or not decisions:
            raise MiraklError(400, "The body needs order_lines: a non-empty list of {\"id\": <order line id>, "
                                   "\"accepted\": true|false}, one for every line of the order.")
        for position, item in enumerate(decisions):
            if not isinstance(item, dict):
                raise MiraklError(400, "order_lines[%d] must be an object {\"id\", \"accepted\"}." % position)
            if not isinstance(item.get("id"), str) or not item["id"]:
                raise MiraklError(400, "order_lines[%d].id must be an order line id (a non-empty string)." % position)
            if "accepted" not in item:
                raise MiraklError(400, "order_lines[%d].accepted is required (true or false)." % position)
            if not isinstance(item["accepted"], bool):
                raise MiraklError(400, "order_lines[%d].accepted must be a boolean (true or false), not %s."
                                  % (position, json.dumps(item["accepted"], ensure_ascii=False)))
        lines = {line.get("order_line_id"): line for line in order.get("order_lines", [])}
        given = [item["id"] for item in decisions]
        unknown = list(dict.fromkeys(line_id for line_id in given if line_id not in lines))
        if unknown:
            raise MiraklError(400, "Order %s has no order line %s." % (order["order_id"], ", ".join(unknown)))
        twice = list(dict.fromkeys(line_id for line_id in given if given.count(line_id) > 1))
        if twice:
            raise MiraklError(400, "Order line(s) given more than once: %s." % ", ".join(twice))
        missing = [line_id for line_id in lines if line_id not in given]
        if missing:
            raise MiraklError(400, "Every line of order %s must be accepted or refused; missing: %s."
                              % (order["order_id"], ", ".join(str(line_id) for line_id in missing)))
        for item in decisions:
            lines[item["id"]]["order_line_state"] = "SHIPPING" if item["accepted"] else "REFUSED"
        accepted = any(item["accepted"] for item in decisions)
        now = now_text()
        order["order_state"] = "SHIPPING" if accepted else "REFUSED"  # the debit is instant here
        order["acceptance_decision_date"] = now
        if accepted:
            order["customer_debited_date"] = now
        complete_order(order)

    def tracking(self, order, request):
        self.require_state(order, {"SHIPPING"}, "update the tracking of")
        for key in ("carrier_code", "carrier_name", "carrier_url", "carrier_standard_code", "tracking_number"):
            if request.get(key) is not None and not isinstance(request[key], str):
                raise MiraklError(400, "%s must be a string." % key)
        code = (request.get("carrier_code") or "").strip()
        name = (request.get("carrier_name") or "").strip()
        number = (request.get("tracking_number") or "").strip() or None
        if code:  # a carrier of the marketplace: its label and URL; carrier_name and carrier_url are unused
            carrier = self.state.carrier(code)
            if carrier is None:
                raise MiraklError(400, "Unknown carrier_code '%s': not a carrier of the marketplace (SH21 GET "
                                       "/api/shipping/carriers). For another carrier send carrier_name (and "
                                       "carrier_url) without carrier_code." % code)
            if carrier.get("tracking_url") and TRACKING_PLACEHOLDER in carrier["tracking_url"] and not number:
                raise MiraklError(400, "tracking_number is required for carrier '%s'." % code)
            order["shipping_carrier_code"] = code
            order["shipping_company"] = carrier["label"]
            order["shipping_tracking_url"] = tracking_url(carrier.get("tracking_url"), number)
        elif name:  # a carrier the marketplace does not know
            order["shipping_carrier_code"] = None
            order["shipping_company"] = name
            order["shipping_tracking_url"] = (request.get("carrier_url") or "").strip() or None
        else:
            raise MiraklError(400, "carrier_code (a carrier of the marketplace) or carrier_name (another carrier) "
                                   "is required.")
        order["shipping_tracking"] = number

    def ship(self, order, request):
        self.require_state(order, {"SHIPPING"}, "ship")
        shipped = now_text()
        for line in order.get("order_lines", []):
            if line.get("order_line_state") == "SHIPPING":
                line["order_line_state"] = "SHIPPED"
                line["shipped_date"] = shipped
        order["order_state"] = "SHIPPED"

    def cancel(self, order, request):
        self.require_state(order, CANCELABLE, "cancel")
        if any(line.get("order_line_state") == "SHIPPED" for line in order.get("order_lines", [])):
            raise MiraklError(400, "Cannot cancel order %s: some lines are shipped." % order["order_id"],
                              "ORDER_INVALID_STATE")
        for line in order.get("order_lines", []):
            line["order_line_state"] = "CANCELED"
        order["order_state"] = "CANCELED"

    # MARK: Control

    def control(self, method, name, body):
        state = self.state
        if method == "GET" and name == "imports":
            with state.lock:
                self.send_json(200, [offer_import.snapshot(state.polls_until_complete)
                                     for offer_import in state.imports.values()])
        elif method == "GET" and name == "offers":
            with state.lock:
                self.send_json(200, dict(state.offers))
        elif method == "GET" and name == "orders":
            with state.lock:
                data = json.dumps(state.all_orders(), ensure_ascii=False, separators=(",", ":"))
            self.send_bytes(200, data.encode("utf-8"))
        elif method == "POST" and name == "orders":
            count = state.put_orders(body.get("orders") if isinstance(body, dict) else body)
            self.send_json(200, {"ok": True, "count": count})
        elif method == "POST" and name == "update-after-page":
            self.send_json(200, {"ok": True, "id": state.add_hook(body)})
        elif method == "GET" and name == "hooks":
            with state.lock:
                self.send_json(200, copy.deepcopy(state.hooks))
        elif method == "GET" and name == "trackings":
            with state.lock:
                self.send_json(200, copy.deepcopy(state.trackings))
        elif name == "error-report" and method in ("GET", "POST"):
            if method == "POST":
                mode = body.get("mode", "normal") if isinstance(body, dict) else None
                if mode not in ERROR_REPORT_MODES:
                    raise sim_common.ControlError("mode must be one of %s" % ", ".join(ERROR_REPORT_MODES))
                with state.lock:
                    state.error_report_mode = mode
            self.send_json(200, {"ok": True, "mode": state.error_report_mode})
        else:
            return super().control(method, name, body)
        return True


def main():
    parser = sim_common.argument_parser("Mirakl Seller API simulator.")
    parser.add_argument("--api-key", required=True, help="the shop API key the Authorization header must carry")
    parser.add_argument("--shop-id", help="the shop id; a shop_id parameter naming another shop gets 401")
    parser.add_argument("--attributes", help="PM11 attributes file (default: mirakl_attributes.json beside this script)")
    parser.add_argument("--orders", help="JSON list of orders OR11 serves (default: none)")
    parser.add_argument("--generate", type=int, default=0, help="N deterministic synthetic orders (default 0)")
    parser.add_argument("--seed", type=int, default=1, help="seed of --generate (default 1)")
    parser.add_argument("--skus", type=int, default=1000,
                        help="--generate draws offer_sku from SKU-000001..SKU-<N> (default 1000)")
    parser.add_argument("--polls-until-complete", type=int, default=2,
                        help="OF02 polls answered WAITING/RUNNING before COMPLETE (default 2)")
    parser.add_argument("--carriers", help="JSON list of the carriers SH21 lists, replacing the default list")
    args = parser.parse_args()
    for flag, path in (("--attributes", args.attributes), ("--orders", args.orders), ("--carriers", args.carriers)):
        if path and not os.path.isfile(path):
            parser.error("%s %s: no such file" % (flag, path))
    if args.carriers:
        try:
            load_carriers(args.carriers)
        except (ValueError, OSError) as error:
            parser.error("--carriers %s: %s" % (args.carriers, error))
    if args.generate < 0 or args.skus < 1:
        parser.error("--generate must be >= 0 and --skus >= 1")
    sim_common.serve(MiraklHandler, lambda: MiraklState(args), args.port)


if __name__ == "__main__":
    main()
