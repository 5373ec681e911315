"""Akeneo's product `search` for the Akeneo simulator (akeneo_sim.py): compiling the
`search` query parameter and evaluating it on Akeneo-format products.

`Search(text, catalog, search_locale, search_scope)` compiles `{property: [{operator, value,
locale, scope, locales}]}` against what the catalog knows (`attributes` code → {localizable,
scopable}, `locales`, `scopes`), or raises `ApiError` (400 for text that is not JSON, 422 for
a filter Akeneo refuses, with Akeneo's messages). The compiled search is a predicate on
product dicts.
"""
import json
import time
from datetime import datetime, timezone


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


def parse_server_time(text, prop):
    """Seconds since the epoch of "YYYY-MM-DD hh:mm:ss" (server time: UTC)."""
    try:
        return datetime.strptime(text, "%Y-%m-%d %H:%M:%S").replace(tzinfo=timezone.utc).timestamp()
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
    """

    NEGATED = {"!=": "=", "NOT IN": "IN", "DOES NOT CONTAIN": "CONTAINS", "NOT BETWEEN": "BETWEEN"}
    ATTRIBUTE_OPERATORS = {"=", "!=", "<", "<=", ">", ">=", "IN", "NOT IN", "EMPTY", "NOT EMPTY", "CONTAINS",
                           "DOES NOT CONTAIN", "STARTS WITH", "BETWEEN", "NOT BETWEEN"}
    NO_VALUE = {"EMPTY", "NOT EMPTY", "UNCLASSIFIED"}
    LIST_VALUE = {"IN", "NOT IN", "IN OR UNCLASSIFIED", "IN CHILDREN", "NOT IN CHILDREN"}

    def __init__(self, text, catalog, search_locale=None, search_scope=None, now=None):
        self.catalog = catalog
        self.search_locale = search_locale
        self.search_scope = search_scope
        self.now = now if now is not None else time.time()
        self.checks = []
        if text is None or text == "":
            return
        try:
            query = json.loads(text)
        except ValueError:
            raise ApiError(400, "Search query parameter should be valid JSON.")
        if not isinstance(query, dict):
            raise unprocessable('Search query parameter has to be an array of filters, "%s" given.' % text)
        for prop, conditions in query.items():
            if not isinstance(conditions, list) or not all(isinstance(item, dict) and isinstance(item.get("operator"), str)
                                                           for item in conditions):
                raise unprocessable('Structure of filter "%s" should respect this structure: '
                                    '{"%s":[{"operator": "my_operator", "value": "my_value"}]}' % (prop, prop))
            for condition in conditions:
                self.checks.append(self.compile(prop, condition))

    def __call__(self, product):
        return all(check(product) for check in self.checks)

    # MARK: Compiling

    def compile(self, prop, condition):
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
            return lambda p: isinstance(p.get("enabled"), bool) and (p["enabled"] == value) == (op == "=")
        if prop == "family":
            return self.code_check(unsupported, op, value, lambda p: [p["family"]] if p.get("family") else [],
                                   ("IN", "NOT IN", "EMPTY", "NOT EMPTY"))
        if prop in ("categories", "groups"):
            operators = ("IN", "NOT IN", "EMPTY", "NOT EMPTY") if prop == "groups" else \
                ("IN", "NOT IN", "IN CHILDREN", "NOT IN CHILDREN", "UNCLASSIFIED", "IN OR UNCLASSIFIED")
            return self.code_check(unsupported, op, value, lambda p: p.get(prop) or [], operators)
        if prop == "parent":
            return self.code_check(unsupported, op, value, lambda p: [p["parent"]] if p.get("parent") else [],
                                   ("IN", "EMPTY", "NOT EMPTY"))
        if prop == "uuid":
            return self.code_check(unsupported, op, value, lambda p: [p.get("uuid")], ("IN", "NOT IN"))
        if prop in ("created", "updated"):
            return self.date_check(unsupported, prop, op, value)
        if prop == "completeness":
            return self.completeness_check(unsupported, op, value, condition)
        if prop == "identifier":
            if op not in ("=", "!=", "IN", "NOT IN", "CONTAINS", "DOES NOT CONTAIN", "STARTS WITH", "EMPTY", "NOT EMPTY"):
                raise unsupported
            return self.term_check(op, value, lambda p: p.get("identifier"))
        if prop in self.catalog.attributes:
            if op not in self.ATTRIBUTE_OPERATORS:
                raise unsupported
            locale, scope = self.locale_and_scope(prop, condition)
            currency = unit = None
            for item in value if isinstance(value, list) else [value]:
                if isinstance(item, dict):
                    currency = item.get("currency", currency)
                    unit = item.get("unit", unit)
            return self.term_check(op, value, lambda p: pick((p.get("values") or {}).get(prop), locale, scope),
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
    def code_check(unsupported, op, value, codes, operators):
        """Family, categories, groups, parent, uuid: sets of codes compared exactly."""
        if op not in operators:
            raise unsupported
        wanted = set(value) if isinstance(value, list) else set()
        if op in ("IN", "IN CHILDREN"):
            return lambda p: bool(wanted.intersection(codes(p)))
        if op in ("NOT IN", "NOT IN CHILDREN"):
            return lambda p: not wanted.intersection(codes(p))
        if op in ("EMPTY", "UNCLASSIFIED"):
            return lambda p: not codes(p)
        if op == "NOT EMPTY":
            return lambda p: bool(codes(p))
        if op == "IN OR UNCLASSIFIED":
            return lambda p: not codes(p) or bool(wanted.intersection(codes(p)))
        raise unsupported

    def date_check(self, unsupported, prop, op, value):
        if op == "SINCE LAST N DAYS":
            if not isinstance(value, int) or isinstance(value, bool) or value < 0:
                raise unprocessable('Property "%s" expects an integer as data, "%s" given.' % (prop, json.dumps(value)))
            since = self.now - value * 86400
            return lambda p: (product_time(p.get(prop)) or float("-inf")) >= since
        if op in ("BETWEEN", "NOT BETWEEN"):
            if not isinstance(value, list) or len(value) != 2:
                raise unprocessable('Property "%s" expects an array with valid data, two dates, as data.' % prop)
            low, high = (parse_server_time(item, prop) for item in value)
            inside = (lambda t: low <= t <= high) if op == "BETWEEN" else (lambda t: not low <= t <= high)
            return lambda p: product_time(p.get(prop)) is not None and inside(product_time(p.get(prop)))
        tests = {"=": lambda t, v: t == v, "!=": lambda t, v: t != v, "<": lambda t, v: t < v, ">": lambda t, v: t > v}
        if op not in tests:
            raise unsupported
        moment = parse_server_time(value, prop)
        test = tests[op]
        return lambda p: product_time(p.get(prop)) is not None and test(product_time(p.get(prop)), moment)

    def completeness_check(self, unsupported, op, value, condition):
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

        def percentages(product):
            """locale -> percentage at the scope."""
            found = {}
            for entry in product.get("completenesses") or product.get("completeness") or ():
                if isinstance(entry, dict) and entry.get("scope") == scope:
                    try:
                        found[entry.get("locale")] = float(entry.get("data"))
                    except (TypeError, ValueError):
                        pass
            return found

        if op in all_locales:
            if not locales:
                raise unprocessable('Property "completeness" expects a list of locales with the operator "%s".' % op)
            test = all_locales[op]
            return lambda p: all(locale in percentages(p) and test(percentages(p)[locale]) for locale in locales)
        if op not in tests:
            raise unsupported
        test = tests[op]
        if locales:
            return lambda p: any(test(data) for locale, data in percentages(p).items() if locale in locales)
        return lambda p: any(test(data) for data in percentages(p).values())

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
