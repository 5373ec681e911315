"""Akeneo's product `search` for the Akeneo simulator (akeneo_sim.py): compiling the
`search` query parameter and evaluating it on Akeneo-format products.

`Search(text, catalog, search_locale, search_scope, now, zone)` compiles `{property:
[{operator, value, locale, scope, locales}]}` against what the catalog knows (`attributes`
code → {localizable, scopable}, `locales`, `scopes`), or raises `ApiError` (400 for text that
is not JSON, 422 for a filter Akeneo refuses, with Akeneo's messages). The compiled search is
a predicate on product dicts.

Fast filtering: conditions on the light properties of a product (`uuid`, `identifier`,
`enabled`, `family`, `categories`, `groups`, `parent`, `created`, `updated`, `completeness`)
are compiled as tests on the product's light record (`light_record`, kept per product by the
simulator, see `LIGHT`), so that a search or a count on them needs no product to be parsed;
only attribute conditions (heavy) read the product itself. `Search.select(columns,
positions)` keeps the positions whose light record passes. A search that bounds `created`
or `updated` splits (`count_split`) into those bounds and the other conditions: the sorted
times of the products passing the others, computed once, answer a count with two bisections
(what a client splitting a catalog into `created` ranges asks again and again).

Dates: filter datetimes are "YYYY-MM-DD hh:mm:ss" read in the server's time zone (Akeneo's
filter reference: "dates are interpreted in the time zone of the server that runs Akeneo";
`zone`, UTC by default, as Akeneo SaaS). Products' `created` / `updated` compare at whole
seconds, so `=` matches that exact second.
"""
import json
import math
import sys
import time
from datetime import datetime, timezone

# The light properties of a product, in the order of its light record (`light_record`).
LIGHT = ("uuid", "identifier", "enabled", "family", "categories", "groups", "parent", "created", "updated",
         "completeness")
UUID, IDENTIFIER, ENABLED, FAMILY, CATEGORIES, GROUPS, PARENT, CREATED, UPDATED, COMPLETENESS = range(len(LIGHT))
NO_COMPLETENESS = {}


class ApiError(Exception):
    """An error answered as Akeneo does: `{"code", "message"}` with the status."""

    def __init__(self, status, message):
        super().__init__(message)
        self.status = status
        self.message = message


def unprocessable(message):
    return ApiError(422, message)



def pick(entries, locale, scope):
    """The data of the value entry that applies at `locale` and `scope` (null locale or scope
    applies to any; the most specific entry wins), or None."""
    best, best_score = None, -1
    for entry in entries if isinstance(entries, list) else ():
        if not isinstance(entry, dict):
            continue
        score = 0
        if entry.get("locale") is not None:
            if entry["locale"] != locale:
                continue
            score += 2
        if entry.get("scope") is not None:
            if entry["scope"] != scope:
                continue
            score += 1
        if score > best_score:
            best, best_score = entry.get("data"), score
    return best


def parse_server_time(text, prop, zone=timezone.utc):
    """Seconds since the epoch of "YYYY-MM-DD hh:mm:ss" read in the server's time zone `zone`."""
    try:
        return datetime.strptime(text, "%Y-%m-%d %H:%M:%S").replace(tzinfo=zone).timestamp()
    except (TypeError, ValueError):
        raise unprocessable('Property "%s" expects a string with the format "yyyy-mm-dd H:i:s" as data, "%s" given.'
                            % (prop, text))


def product_time(text):
    """Seconds since the epoch of a product's ISO 8601 date, or None."""
    if not isinstance(text, str):
        return None
    try:
        moment = datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError:
        return None
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=timezone.utc)
    return int(moment.timestamp())


def intern(text):
    """`text` shared with every equal code (family, category, scope…) when it is a string."""
    return sys.intern(text) if type(text) is str else text


def light_record(product):
    """The light properties of a product dict, in `LIGHT` order: codes as they are (categories
    and groups as lists), `created` / `updated` as whole seconds since the epoch (or None),
    completeness as {scope: {locale: percentage}} (entries whose data is not a number left
    out, a later entry for the same scope and locale winning)."""
    categories = product.get("categories") or []
    if type(categories) is list:
        categories = [intern(code) for code in categories]
    groups = product.get("groups") or []
    if type(groups) is list:
        groups = [intern(code) for code in groups]
    completeness = {}
    entries = product.get("completenesses") or product.get("completeness") or ()
    for entry in entries if isinstance(entries, (list, tuple)) else ():
        if isinstance(entry, dict):
            try:
                percentage = float(entry.get("data"))
            except (TypeError, ValueError):
                continue
            completeness.setdefault(intern(entry.get("scope")), {})[intern(entry.get("locale"))] = percentage
    return (product.get("uuid"), product.get("identifier"), product.get("enabled"), intern(product.get("family")),
            categories, groups, intern(product.get("parent")), product_time(product.get("created")),
            product_time(product.get("updated")), completeness or NO_COMPLETENESS)


def column_value(record, column):
    """The value of column `column` for a light record: a light column (an index in `LIGHT`)
    or a derived one (see `derived_value`)."""
    return record[column] if type(column) is int else derived_value(column, record[COMPLETENESS])


def derived_value(column, completeness):
    """A derived column's value: ("max" or "min", scope) is the highest (lowest) completeness
    percentage at the scope, None without any."""
    found = completeness.get(column[1])
    if not found:
        return None
    return max(found.values()) if column[0] == "max" else min(found.values())


class Operand:
    """One operand of an attribute condition, prepared for comparisons."""

    def __init__(self, value):
        self.is_number = isinstance(value, (int, float)) and not isinstance(value, bool)
        self.bool = value if isinstance(value, bool) else None
        self.text = value.lower() if isinstance(value, str) else None
        self.number = float(value) if self.is_number else None
        if isinstance(value, str):
            try:
                self.number = float(value)
            except ValueError:
                pass
        self.is_day = isinstance(value, str) and len(value) == 10 and is_day(value)


def is_day(text):
    return len(text) >= 10 and text[4] == "-" and text[7] == "-" and text[:4].isdigit() \
        and text[5:7].isdigit() and text[8:10].isdigit() and (len(text) == 10 or text[10] in "T ")


def order(left, right):
    return -1 if left < right else (0 if left == right else 1)


def compare(term, operand):
    """-1, 0 or 1 as `term` is below, equal to or above `operand`; None when they do not compare."""
    if isinstance(term, bool):
        return None if operand.bool is None else order(term, operand.bool)
    if isinstance(term, float):
        return None if operand.number is None else order(term, operand.number)
    if operand.is_number:
        try:
            return order(float(term), operand.number)
        except ValueError:
            return None
    if operand.text is None:
        return None
    if operand.is_day and is_day(term):
        return order(term[:10], operand.text)
    return order(term.lower(), operand.text)


class Search:
    """A compiled `search` parameter: `{property: [{operator, value, locale, scope, …}]}`,
    every condition ANDed, evaluated on products as Akeneo does.

    Properties: `uuid`, `identifier`, `enabled`, `family`, `categories`, `groups`, `parent`,
    `completeness`, `created`, `updated`, and attribute codes the catalog knows. Attribute
    conditions read the value at their locale and scope (`search_locale` / `search_scope`
    by default), which a localizable (scopable) attribute requires and any other refuses.
    A value is a set of terms (a multiselect's options, a price collection's amounts — in
    the operand's currency when it is `{amount, currency}` —, a metric's amount); a positive
    operator holds when a term satisfies it, a negative one (`!=`, `NOT IN`, `DOES NOT
    CONTAIN`, `NOT BETWEEN`) when there is a term and none satisfies the positive one.
    Text compares case-insensitively; `YYYY-MM-DD` operands compare with a date's day.

    Conditions on light properties are tests of one light record column (`light`, cheapest
    first); attribute conditions are tests of the product dict (`heavy`). `ranges` holds, for
    `created` / `updated`, bounds every matching product's time is within.
    """

    NEGATED = {"!=": "=", "NOT IN": "IN", "DOES NOT CONTAIN": "CONTAINS", "NOT BETWEEN": "BETWEEN"}
    ATTRIBUTE_OPERATORS = {"=", "!=", "<", "<=", ">", ">=", "IN", "NOT IN", "EMPTY", "NOT EMPTY", "CONTAINS",
                           "DOES NOT CONTAIN", "STARTS WITH", "BETWEEN", "NOT BETWEEN"}
    NO_VALUE = {"EMPTY", "NOT EMPTY", "UNCLASSIFIED"}
    LIST_VALUE = {"IN", "NOT IN", "IN OR UNCLASSIFIED", "IN CHILDREN", "NOT IN CHILDREN"}

    def __init__(self, text, catalog, search_locale=None, search_scope=None, now=None, zone=timezone.utc):
        self.catalog = catalog
        self.search_locale = search_locale
        self.search_scope = search_scope
        self.now = now if now is not None else time.time()
        self.zone = zone
        self.light = []    # (column, test of the column's value), cheapest first
        self.heavy = []    # tests of a product dict
        self.ranges = {}   # CREATED / UPDATED -> (low, high) whole seconds, inclusive, None when open
        self.conditions = []  # (property, condition, the column it bounds or None)
        if text is None or text == "":
            return
        try:
            query = json.loads(text)
        except ValueError:
            raise ApiError(400, "Search query parameter should be valid JSON.")
        if not isinstance(query, dict):
            raise unprocessable('Search query parameter has to be an array of filters, "%s" given.' % text)
        ranked = []
        for prop, conditions in query.items():
            if not isinstance(conditions, list) or not all(isinstance(item, dict) and isinstance(item.get("operator"), str)
                                                           for item in conditions):
                raise unprocessable('Structure of filter "%s" should respect this structure: '
                                    '{"%s":[{"operator": "my_operator", "value": "my_value"}]}' % (prop, prop))
            for condition in conditions:
                compiled = self.compile(prop, condition)
                self.conditions.append((prop, condition, compiled[1] if compiled[0] == 0 else None))
                if compiled[0] is None:
                    self.heavy.append(compiled[2])
                else:
                    ranked.append(compiled)
        ranked.sort(key=lambda check: check[0])
        self.light = [(column, test) for _, column, test in ranked]

    def __call__(self, product):
        record = light_record(product)
        return all(test(column_value(record, column)) for column, test in self.light) \
            and self.matches_product(product)

    def matches_product(self, product):
        """Whether a product passes the attribute (heavy) conditions."""
        return all(check(product) for check in self.heavy)

    def select(self, columns, positions):
        """The `positions` (in their order) whose light record passes every light condition;
        `columns(c)[position]` is the value of column `c` (a light column or a derived one)."""
        for column, test in self.light:
            values = columns(column)
            positions = [position for position in positions if test(values[position])]
            if not positions:
                break
        return positions

    def count_split(self):
        """(column, search text of the other conditions) when the search bounds `created` (or
        else `updated`): a product matches when it passes the others and its time at that
        column is within `ranges[column]` (exact: times are whole seconds); else None."""
        if not self.ranges:
            return None
        column = CREATED if CREATED in self.ranges else UPDATED
        others = {}
        for prop, condition, bounded in self.conditions:
            if bounded != column:
                others.setdefault(prop, []).append(condition)
        return column, json.dumps(others, sort_keys=True, ensure_ascii=False)

    # MARK: Compiling

    def compile(self, prop, condition):
        """(rank, light column, test of its value) for a light property, (None, None, test of
        the product) for an attribute. Rank: 0 bounded times, 1 single codes, 2 code lists,
        3 completeness."""
        op = condition["operator"]
        value = condition.get("value")
        unsupported = unprocessable('Filter on property "%s" is not supported or does not support operator "%s"' % (prop, op))
        if op not in self.NO_VALUE and "value" not in condition and op != "SINCE LAST N DAYS":
            raise unprocessable('Property "%s" expects a value with the operator "%s".' % (prop, op))
        if op in self.LIST_VALUE and not isinstance(value, list):
            raise unprocessable('Property "%s" expects an array as data, "%s" given.' % (prop, json.dumps(value)))
        if prop == "enabled":
            if op not in ("=", "!="):
                raise unsupported
            if not isinstance(value, bool):
                raise unprocessable('Property "enabled" expects a boolean as data, "%s" given.' % json.dumps(value))
            positive = op == "="
            return 1, ENABLED, lambda enabled: isinstance(enabled, bool) and (enabled == value) == positive
        if prop == "family":
            return 1, FAMILY, self.code_check(unsupported, op, value, ("IN", "NOT IN", "EMPTY", "NOT EMPTY"), "optional")
        if prop in ("categories", "groups"):
            operators = ("IN", "NOT IN", "EMPTY", "NOT EMPTY") if prop == "groups" else \
                ("IN", "NOT IN", "IN CHILDREN", "NOT IN CHILDREN", "UNCLASSIFIED", "IN OR UNCLASSIFIED")
            return 2, (CATEGORIES if prop == "categories" else GROUPS), \
                self.code_check(unsupported, op, value, operators, "list")
        if prop == "parent":
            return 1, PARENT, self.code_check(unsupported, op, value, ("IN", "EMPTY", "NOT EMPTY"), "optional")
        if prop == "uuid":
            return 1, UUID, self.code_check(unsupported, op, value, ("IN", "NOT IN"), "one")
        if prop in ("created", "updated"):
            return self.date_check(unsupported, prop, op, value)
        if prop == "completeness":
            check = self.completeness_check(unsupported, op, value, condition)
            return (1,) + check if isinstance(check, tuple) else (3, COMPLETENESS, check)
        if prop == "identifier":
            if op not in ("=", "!=", "IN", "NOT IN", "CONTAINS", "DOES NOT CONTAIN", "STARTS WITH", "EMPTY", "NOT EMPTY"):
                raise unsupported
            return 1, IDENTIFIER, self.term_check(op, value, lambda identifier: identifier)
        if prop in self.catalog.attributes:
            if op not in self.ATTRIBUTE_OPERATORS:
                raise unsupported
            locale, scope = self.locale_and_scope(prop, condition)
            currency = unit = None
            for item in value if isinstance(value, list) else [value]:
                if isinstance(item, dict):
                    currency = item.get("currency", currency)
                    unit = item.get("unit", unit)
            return None, None, self.term_check(op, value, lambda p: pick((p.get("values") or {}).get(prop), locale, scope),
                                               currency, unit)
        raise unsupported

    def locale_and_scope(self, prop, condition):
        info = self.catalog.attributes[prop]
        locale = condition.get("locale", self.search_locale)
        scope = condition.get("scope", self.search_scope)
        if info["localizable"] and locale is None:
            raise unprocessable('Attribute "%s" expects a locale, none given.' % prop)
        if not info["localizable"] and locale is not None and "locale" in condition:
            raise unprocessable('Attribute "%s" does not expect a locale, "%s" given.' % (prop, locale))
        if info["scopable"] and scope is None:
            raise unprocessable('Attribute "%s" expects a scope, none given.' % prop)
        if not info["scopable"] and scope is not None and "scope" in condition:
            raise unprocessable('Attribute "%s" does not expect a scope, "%s" given.' % (prop, scope))
        if locale is not None and self.catalog.locales and locale not in self.catalog.locales:
            raise unprocessable('Attribute "%s" expects an existing and activated locale, "%s" given.' % (prop, locale))
        if scope is not None and self.catalog.scopes and scope not in self.catalog.scopes:
            raise unprocessable('Attribute "%s" expects an existing scope, "%s" given.' % (prop, scope))
        return (locale if info["localizable"] else None), (scope if info["scopable"] else None)

    @staticmethod
    def code_check(unsupported, op, value, operators, shape):
        """Family, categories, groups, parent, uuid: sets of codes compared exactly. `shape` of
        the light value: "list" (categories, groups: the codes), "optional" (family, parent: one
        code, none when empty) or "one" (uuid: one code)."""
        if op not in operators:
            raise unsupported
        wanted = set(value) if isinstance(value, list) else set()
        positive = op in ("IN", "IN CHILDREN")
        if shape == "one":
            return (lambda code: code in wanted) if positive else (lambda code: code not in wanted)
        if shape == "optional":
            if positive or op in ("NOT IN", "NOT IN CHILDREN"):
                inside = (lambda code: bool(code) and code in wanted)
                return inside if positive else (lambda code: not inside(code))
            if op in ("EMPTY", "UNCLASSIFIED"):
                return lambda code: not code
            if op == "NOT EMPTY":
                return lambda code: bool(code)
            raise unsupported
        if positive:
            return lambda codes: bool(wanted.intersection(codes))
        if op in ("NOT IN", "NOT IN CHILDREN"):
            return lambda codes: not wanted.intersection(codes)
        if op in ("EMPTY", "UNCLASSIFIED"):
            return lambda codes: not codes
        if op == "NOT EMPTY":
            return lambda codes: bool(codes)
        if op == "IN OR UNCLASSIFIED":
            return lambda codes: not codes or bool(wanted.intersection(codes))
        raise unsupported

    def date_check(self, unsupported, prop, op, value):
        """A condition on `created` / `updated` (whole seconds): (rank, column, test); rank 0
        when it bounds the time, its bounds (exact, in whole seconds) added to `ranges`."""
        column = CREATED if prop == "created" else UPDATED
        if op == "SINCE LAST N DAYS":
            if not isinstance(value, int) or isinstance(value, bool) or value < 0:
                raise unprocessable('Property "%s" expects an integer as data, "%s" given.' % (prop, json.dumps(value)))
            since = self.now - value * 86400
            self.bound(column, math.ceil(since), None)
            return 0, column, lambda moment: moment is not None and moment >= since
        if op in ("BETWEEN", "NOT BETWEEN"):
            if not isinstance(value, list) or len(value) != 2:
                raise unprocessable('Property "%s" expects an array with valid data, two dates, as data.' % prop)
            low, high = (parse_server_time(item, prop, self.zone) for item in value)
            if op == "BETWEEN":
                self.bound(column, math.ceil(low), math.floor(high))
                return 0, column, lambda moment: moment is not None and low <= moment <= high
            return 1, column, lambda moment: moment is not None and not low <= moment <= high
        if op not in ("=", "!=", "<", ">"):
            raise unsupported
        given = parse_server_time(value, prop, self.zone)
        if op == "=":
            self.bound(column, math.ceil(given), math.floor(given))
            return 0, column, lambda moment: moment is not None and moment == given
        if op == "<":
            self.bound(column, None, math.ceil(given) - 1)
            return 0, column, lambda moment: moment is not None and moment < given
        if op == ">":
            self.bound(column, math.floor(given) + 1, None)
            return 0, column, lambda moment: moment is not None and moment > given
        return 1, column, lambda moment: moment is not None and moment != given

    def bound(self, column, low, high):
        """Narrows the bounds of `column` (a product matches only when its time is within
        [low, high], whole seconds)."""
        old_low, old_high = self.ranges.get(column, (None, None))
        if old_low is not None and (low is None or old_low > low):
            low = old_low
        if old_high is not None and (high is None or old_high < high):
            high = old_high
        self.ranges[column] = (low, high)

    def completeness_check(self, unsupported, op, value, condition):
        """A test of the completeness light value ({scope: {locale: percentage}})."""
        scope = condition.get("scope", self.search_scope)
        if scope is None:
            raise unprocessable('Property "completeness" expects a scope.')
        if not isinstance(value, (int, float)) or isinstance(value, bool):
            raise unprocessable('Property "completeness" expects a numeric as data, "%s" given.' % json.dumps(value))
        locales = condition.get("locales")
        if locales is not None and not (isinstance(locales, list) and all(isinstance(item, str) for item in locales)):
            raise unprocessable('Property "completeness" expects an array of locales.')
        tests = {"<": lambda d: d < value, "<=": lambda d: d <= value, "=": lambda d: d == value,
                 "!=": lambda d: d != value, ">": lambda d: d > value, ">=": lambda d: d >= value}
        all_locales = {"GREATER THAN ON ALL LOCALES": tests[">"], "GREATER OR EQUALS THAN ON ALL LOCALES": tests[">="],
                       "LOWER THAN ON ALL LOCALES": tests["<"], "LOWER OR EQUALS THAN ON ALL LOCALES": tests["<="]}

        def percentages(completeness):
            """locale -> percentage at the scope."""
            return completeness.get(scope, NO_COMPLETENESS)

        if op in all_locales:
            if not locales:
                raise unprocessable('Property "completeness" expects a list of locales with the operator "%s".' % op)
            test = all_locales[op]

            def on_all(completeness):
                found = percentages(completeness)
                return all(locale in found and test(found[locale]) for locale in locales)

            return on_all
        if op not in tests:
            raise unsupported
        test = tests[op]
        if locales:
            return lambda c: any(test(data) for locale, data in percentages(c).items() if locale in locales)
        # Some locale at the scope passes: for an order, the highest (lowest) percentage at the
        # scope decides, a derived column (see `derived_value`).
        if op in (">", ">=", "<", "<="):
            return ("max" if op in (">", ">=") else "min", scope), lambda extreme: extreme is not None and test(extreme)
        return lambda c: any(map(test, percentages(c).values()))

    def term_check(self, op, value, read, currency=None, unit=None):
        """A condition on a value seen as terms (see the class summary)."""
        if op in ("EMPTY", "NOT EMPTY"):
            want = op == "NOT EMPTY"
            return lambda p: bool(self.terms(read(p), currency, unit)) == want
        positive = self.NEGATED.get(op, op)
        items = value if isinstance(value, list) else [value]
        if positive == "BETWEEN" and len(items) != 2:
            raise unprocessable('Operator "%s" expects an array of two values.' % op)
        operands = [Operand(item.get("amount") if isinstance(item, dict) else item) for item in items]

        def satisfies(term):
            if positive == "=":
                return compare(term, operands[0]) == 0
            if positive == "IN":
                return any(compare(term, operand) == 0 for operand in operands)
            if positive in ("<", "<=", ">", ">="):
                result = compare(term, operands[0])
                return result is not None and {"<": result < 0, "<=": result <= 0, ">": result > 0,
                                               ">=": result >= 0}[positive]
            if positive == "BETWEEN":
                low, high = compare(term, operands[0]), compare(term, operands[1])
                return low is not None and high is not None and low >= 0 and high <= 0
            if positive in ("CONTAINS", "STARTS WITH"):
                needle = operands[0].text
                if not isinstance(term, str) or needle is None:
                    return False
                return needle in term.lower() if positive == "CONTAINS" else term.lower().startswith(needle)
            return False

        negated = op in self.NEGATED

        def check(product):
            terms = self.terms(read(product), currency, unit)
            if negated:
                return bool(terms) and not any(map(satisfies, terms))
            return any(map(satisfies, terms))

        return check

    @classmethod
    def terms(cls, data, currency=None, unit=None):
        """The terms of a value's data: numbers as floats, text as str, booleans."""
        if data is None or data == "":
            return []
        if isinstance(data, bool) or isinstance(data, str):
            return [data]
        if isinstance(data, (int, float)):
            return [float(data)]
        if isinstance(data, list):
            return [term for item in data for term in cls.terms(item, currency, unit)]
        if isinstance(data, dict) and "amount" in data:
            if currency and data.get("currency") not in (None, currency):
                return []
            if unit and data.get("unit") not in (None, unit):
                return []
            amount = data.get("amount")
            if isinstance(amount, str):
                try:
                    return [float(amount)] if amount else []
                except ValueError:
                    return [amount]
            return cls.terms(amount)
        return []
