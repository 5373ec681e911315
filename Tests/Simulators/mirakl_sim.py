"""A Mirakl Seller API simulator on 127.0.0.1, following the design's API-NOTES.md.

    python3 mirakl_sim.py --api-key KEY [--shop-id ID] [--attributes FILE.json]
        [--orders FILE.json] [--polls-until-complete N] [--port N]

Binds port 0 unless told otherwise and prints `port N` once listening. Every `/api/` call
needs the header `Authorization: <KEY>` (a missing or wrong key gets 401 `{"message":
"Unauthorized", "status": 401}`); with `--shop-id`, a `shop_id` query parameter naming
another shop gets 401 too. Errors are `{"message", "status"}` (plus `"code"` for state
errors). Routes:

- PM11 `GET /api/products/attributes` (`hierarchy`): `{"attributes": [...]}` from the
  attributes file (default: mirakl_attributes.json beside this script); VL11
  `GET /api/values_lists` (`code`): `{"values_lists": [...]}` from the same file.
- OF01 `POST /api/offers/imports`: multipart/form-data with a `file` part (CSV, `;`
  separated, header row, UTF-8) and an optional `import_mode` (NORMAL, PARTIAL_UPDATE,
  REPLACE) → 201 `{"import_id": N}`. Rows need `sku`, `price` (a decimal >= 0) and `state`;
  `quantity` must be an integer >= 0 when given, `product-id` needs `product-id-type`,
  `update-delete` is empty, `update` or `delete`. A file without a header or missing a
  required column fails as a whole (status FAILED, `reason_status`).
- OF02 `GET /api/offers/imports/{id}`: `{import_id, status, reason_status, mode,
  date_created, lines_read, lines_in_success, lines_in_error, offer_inserted,
  offer_updated, offer_deleted, has_error_report}`. Poll 1 says WAITING, polls 2..N say
  RUNNING, later polls COMPLETE (or FAILED), N = `--polls-until-complete` (2); counts are
  0 until then.
- OF03 `GET /api/offers/imports/{id}/error_report`: the rows in error as CSV (`;`), their
  original columns plus `error-line` (the row's line in the file, the header being line
  1) and `error-message`; 404 while the import is not done or when no row failed.
- OR11 `GET /api/orders`: `order_state_codes`, `order_ids` (comma lists),
  `start_update_date` (less a 5-minute safety margin, so calls overlap),
  `end_update_date`, `start_date`, `end_date` (ISO 8601), `max` (10 by default, 1..100),
  `offset`, `paginate` (false: everything), `sort` (dateCreated | dateUpdated), `order`
  (asc | desc, default asc) → `{"orders": [...], "total_count": N}`.
- OR21 `PUT /api/orders/{id}/accept` `{"order_lines": [{"id", "accepted"}]}` (only in
  WAITING_ACCEPTANCE; accepted lines go straight to SHIPPING, the debit being instant here),
  OR23 `PUT /api/orders/{id}/tracking` (only in SHIPPING) → 204, OR24
  `PUT /api/orders/{id}/ship` (only in SHIPPING; the order and its shipping lines become
  SHIPPED) → 204, OR29 `PUT /api/orders/{id}/cancel` (before shipment) → 204. A wrong state
  gets 400 with `"code": "ORDER_INVALID_STATE"`; an unknown order 404.

Control routes (sim_common.py): `/_sim/fail`, `/_sim/die-after`, `/_sim/hang`,
`/_sim/requests`, `/_sim/reset` (also forgets imports and offers and restores the orders
file), plus `GET /_sim/imports` (every import with its parsed rows), `GET /_sim/offers`
(offers by sku after the imports), `GET /_sim/orders` and `POST /_sim/orders` (a list of
orders, or `{"orders": [...]}`, added or replacing those with the same `order_id`).
"""
import copy
import csv
import io
import json
import os
import re
import sys
from datetime import datetime, timedelta, timezone

sys.dont_write_bytecode = True  # no __pycache__ beside the sources when importing the shared modules

import sim_common  # noqa: E402

HERE = os.path.dirname(os.path.abspath(__file__))
REQUIRED_COLUMNS = ("sku", "price", "state")
PRODUCT_ID_TYPES = {"SHOP_SKU", "SKU", "EAN", "UPC", "ISBN", "MPN"}
IMPORT_MODES = {"NORMAL", "PARTIAL_UPDATE", "REPLACE"}
DECIMAL = re.compile(r"^\d+(\.\d+)?$")
SAFETY_MARGIN = timedelta(minutes=5)
MAX_PAGE = 100
CANCELABLE = {"STAGING", "WAITING_ACCEPTANCE", "WAITING_DEBIT", "WAITING_DEBIT_PAYMENT", "SHIPPING"}


class MiraklError(Exception):
    """An error answered as Mirakl does: `{"message", "status"}` (and `code` when given)."""

    def __init__(self, status, message, code=None):
        super().__init__(message)
        self.status, self.message, self.code = status, message, code


def now_text():
    return datetime.now(timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")


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


# MARK: - Offer imports


class OfferImport:
    """One OF01 upload: its rows validated at once, its status revealed poll by poll."""

    def __init__(self, import_id, mode, file_name, data):
        self.import_id = import_id
        self.mode = mode
        self.file_name = file_name
        self.date_created = now_text()
        self.polls = 0
        self.header = []
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

    def error_report(self):
        out = io.StringIO(newline="")
        writer = csv.writer(out, delimiter=";", lineterminator="\n")
        writer.writerow(self.header + ["error-line", "error-message"])
        for row in self.errors():
            fields = (row["fields"] + [""] * len(self.header))[:len(self.header)]
            writer.writerow(fields + [row["line"], row["error"]])
        return out.getvalue()

    def snapshot(self, polls_until_complete):
        return {"import_id": self.import_id, "mode": self.mode, "file_name": self.file_name,
                "date_created": self.date_created, "polls": self.polls, "failure": self.failure,
                "status": self.status(polls_until_complete),
                "header": self.header,
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


# MARK: - State


class MiraklState(sim_common.SimState):
    def __init__(self, args):
        super().__init__()
        self.api_key, self.shop_id = args.api_key, args.shop_id
        self.polls_until_complete = args.polls_until_complete
        with open(args.attributes or os.path.join(HERE, "mirakl_attributes.json"), encoding="utf-8") as file:
            document = json.load(file)
        self.attributes = document.get("attributes", []) if isinstance(document, dict) else document
        self.values_lists = document.get("values_lists", []) if isinstance(document, dict) else []
        self.initial_orders = []
        if args.orders:
            with open(args.orders, encoding="utf-8") as file:
                loaded = json.load(file)
            self.initial_orders = loaded.get("orders", []) if isinstance(loaded, dict) else loaded
        self.orders = {}
        self.imports = {}
        self.offers = {}
        self.next_import = 1
        self.restore()

    def restore(self):
        self.orders = {order["order_id"]: copy.deepcopy(order) for order in self.initial_orders}
        self.imports.clear()
        self.offers.clear()
        self.next_import = 1

    def reset(self):
        super().reset()
        with self.lock:
            self.restore()

    def add_import(self, mode, file_name, data):
        with self.lock:
            offer_import = OfferImport(self.next_import, mode, file_name, data)
            offer_import.apply(self.offers)
            self.imports[offer_import.import_id] = offer_import
            self.next_import += 1
            return offer_import.import_id

    def put_orders(self, orders):
        if not isinstance(orders, list) or not all(isinstance(order, dict) and order.get("order_id") for order in orders):
            raise sim_common.ControlError("expected a list of orders, each with an order_id")
        with self.lock:
            for order in orders:
                self.orders[order["order_id"]] = copy.deepcopy(order)
        return len(orders)


# MARK: - Handler


class MiraklHandler(sim_common.SimHandler):

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
        file_name, data = parts["file"]
        self.send_json(201, {"import_id": self.state.add_import(mode, file_name, data)})

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
        with self.state.lock:
            offer_import = self.find_import(text)
            if not offer_import.done(self.state.polls_until_complete) or not offer_import.errors():
                raise MiraklError(404, "No error report for import %s" % text)
            report = offer_import.error_report()
        self.send_bytes(200, report.encode("utf-8"), "text/csv; charset=UTF-8")

    # MARK: OR11

    def list_orders(self, params):
        states = {code for code in params.get("order_state_codes", "").split(",") if code}
        ids = {code for code in params.get("order_ids", "").split(",") if code}
        bounds = []  # (order date key, moment, whether it is a lower bound)
        for name, key, is_start, margin in (("start_update_date", "last_updated_date", True, SAFETY_MARGIN),
                                            ("end_update_date", "last_updated_date", False, timedelta(0)),
                                            ("start_date", "created_date", True, timedelta(0)),
                                            ("end_date", "created_date", False, timedelta(0))):
            if params.get(name):
                bounds.append((key, parse_date(params[name], name) - margin, is_start))
        max_items = self.number(params, "max", 10, 1, MAX_PAGE)
        offset = self.number(params, "offset", 0, 0, None)
        sort_key = {"dateCreated": "created_date", "dateUpdated": "last_updated_date",
                    "lastUpdatedDate": "last_updated_date"}.get(params.get("sort", "dateCreated"))
        if sort_key is None:
            raise MiraklError(400, "Unknown sort '%s' (dateCreated or dateUpdated)." % params["sort"])
        if params.get("order", "asc") not in ("asc", "desc"):
            raise MiraklError(400, "Unknown order '%s' (asc or desc)." % params["order"])

        def matches(order):
            if states and order.get("order_state") not in states:
                return False
            if ids and order.get("order_id") not in ids:
                return False
            for key, moment, is_start in bounds:
                date = order_date(order, key)
                if date is None or (date < moment if is_start else date > moment):
                    return False
            return True

        with self.state.lock:
            found = [copy.deepcopy(order) for order in self.state.orders.values() if matches(order)]
        epoch = datetime.min.replace(tzinfo=timezone.utc)
        found.sort(key=lambda order: (order_date(order, sort_key) or epoch, order.get("order_id", "")),
                   reverse=params.get("order") == "desc")
        page = found if params.get("paginate") == "false" else found[offset:offset + max_items]
        self.send_json(200, {"orders": page, "total_count": len(found)})

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
            order = self.state.orders.get(order_id)
            if order is None:
                raise MiraklError(404, "Order %s not found" % order_id)
            {"accept": self.accept, "tracking": self.tracking, "ship": self.ship, "cancel": self.cancel}[action](order, request)
            order["last_updated_date"] = now_text()
        self.send_empty(204)

    @staticmethod
    def require_state(order, states, action):
        if order.get("order_state") not in states:
            raise MiraklError(400, "Cannot %s order %s in state %s." % (action, order["order_id"], order.get("order_state")),
                              "ORDER_INVALID_STATE")

    def accept(self, order, request):
        self.require_state(order, {"WAITING_ACCEPTANCE"}, "accept or refuse")
        decisions = request.get("order_lines")
        if not isinstance(decisions, list) or not all(isinstance(item, dict) and "id" in item
                                                      and isinstance(item.get("accepted"), bool) for item in decisions):
            raise MiraklError(400, "order_lines must be a list of {id, accepted}.")
        lines = {line.get("order_line_id"): line for line in order.get("order_lines", [])}
        unknown = [str(item["id"]) for item in decisions if item["id"] not in lines]
        if unknown:
            raise MiraklError(400, "Unknown order line(s): %s." % ", ".join(unknown))
        for item in decisions:
            lines[item["id"]]["order_line_state"] = "SHIPPING" if item["accepted"] else "REFUSED"
        accepted = any(line.get("order_line_state") == "SHIPPING" for line in lines.values())
        order["order_state"] = "SHIPPING" if accepted else "REFUSED"

    def tracking(self, order, request):
        self.require_state(order, {"SHIPPING"}, "update the tracking of")
        order["shipping_carrier_code"] = request.get("carrier_code", order.get("shipping_carrier_code"))
        order["shipping_company"] = request.get("carrier_name", order.get("shipping_company"))
        order["shipping_tracking_url"] = request.get("carrier_url", order.get("shipping_tracking_url"))
        order["shipping_tracking"] = request.get("tracking_number", order.get("shipping_tracking"))

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
                self.send_json(200, list(state.orders.values()))
        elif method == "POST" and name == "orders":
            count = state.put_orders(body.get("orders") if isinstance(body, dict) else body)
            self.send_json(200, {"ok": True, "count": count})
        else:
            return super().control(method, name, body)
        return True


def main():
    parser = sim_common.argument_parser("Mirakl Seller API simulator.")
    parser.add_argument("--api-key", required=True, help="the shop API key the Authorization header must carry")
    parser.add_argument("--shop-id", help="the shop id; a shop_id parameter naming another shop gets 401")
    parser.add_argument("--attributes", help="PM11 attributes file (default: mirakl_attributes.json beside this script)")
    parser.add_argument("--orders", help="JSON list of orders OR11 serves (default: none)")
    parser.add_argument("--polls-until-complete", type=int, default=2,
                        help="OF02 polls answered WAITING/RUNNING before COMPLETE (default 2)")
    args = parser.parse_args()
    for flag, path in (("--attributes", args.attributes), ("--orders", args.orders)):
        if path and not os.path.isfile(path):
            parser.error("%s %s: no such file" % (flag, path))
    sim_common.serve(MiraklHandler, lambda: MiraklState(args), args.port)


if __name__ == "__main__":
    main()
