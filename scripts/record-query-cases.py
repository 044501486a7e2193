#!/usr/bin/python3
"""Records test/output/fixtures/query-cases.json: --query expressions evaluated by jmespath.py as the AWS CLI
v2 does (the Debian AWS CLI's Python, /usr/bin/python3, with its jmespath), each with what the AWS CLI would
show: the compile error (`Bad value for --query EXPR: ...`, exit 252), the evaluation error (exit 255), or
the result as its JSON formatter prints it (json.dump(indent=4, ensure_ascii=False), nothing for {}).

    /usr/bin/python3 scripts/record-query-cases.py
"""
import json
import os

import jmespath

DATA = json.dumps({
    "s": "a\U0001F600b",
    "l": ["\U0001F600", "\uffff", "a", "\u00e9", "Z"],
    "n": [3, 1.5, -2, 10],
    "big": 12345678901234567890,
    "objs": [{"k": "b", "v": 2}, {"k": "a", "v": 1.0}, {"k": "\U0001F600", "v": 3}],
    "mixed": [{"a": 1}, {"a": "x"}],
    "Namespaces": [{"Name": "web", "ServiceCount": 2}, {"Name": "api", "ServiceCount": 0}],
    "empty": [],
    "d": {"b": 1, "10": 2, "a": None},
}, ensure_ascii=False)

EXPRESSIONS = [
    # numbers keep Python's types and text
    "`1.0`", "`1e21`", "`1E400`", "`-0.0`", "`0.1`", "`1.5e-7`", "`12345678901234567890`", "big", "`[1.0, 2]`",
    "avg(`[]`)", "avg(`[1, 2]`)", "avg(n)", "sum(n)", "sum(`[]`)", "sum(`[12345678901234567890, 1]`)",
    "abs(`-1.0`)", "abs(`-3`)", "ceil(`1.5`)", "floor(`-1.5`)", "ceil(`1`)", "max(n)", "min(`[1.0, 1]`)", "max(`[1, 1.0]`)",
    "sort(n)", "sort_by(objs, &v)[].k", "max_by(objs, &v).k", "min_by(Namespaces, &ServiceCount).Name",
    "to_number('1.0')", "to_number(' 42 ')", "to_number('1_000')", "to_number('\u0663')", "to_number('\uff11\uff12')",
    "to_number('1e3')", "to_number('inf')", "to_number('-Infinity')", "to_number('nan')", "to_number('abc')", "to_number('0x10')",
    "to_number('12345678901234567890')", "to_number('1__0')", "to_number('.5')", "to_number('5.')", "to_number(`true`)", "to_number(`2.50`)",
    "to_string(`1.0`)", "to_string('\u00e9')", "to_string(`[\"\u00e9\", 1.5, {\"a\": null}, 1e21]`)", "to_string(d)",
    "`1` == `1.0`", "`true` == `1`", "`[1]` == `[true]`", "`0` == `false`", "`2` > `1.5`", "`2` >= `2.0`",
    "type(`1.0`)", "type(big)", "not `0`", "not `0.0`", "not `1`", "not ''", "`[0.0]`",
    "Namespaces[?ServiceCount > `0`].Name", "Namespaces[?ServiceCount == `0.0`].Name", "length(Namespaces)",
    # strings count and order by code point
    "length(s)", "reverse(s)", "sort(l)", "max(l)", "min(l)", "reverse(l)", "sort_by(objs, &k)[].k", "max_by(objs, &k).v",
    "l[?@ > 'a']", "contains(s, '\U0001F600')", "starts_with(s, 'a')", "ends_with(s, 'b')", "join('-', l)", "length(`\"\U0001F600\"`)",
    "keys(d)", "values(d)", "merge(d, `{\"a\": 1, \"z\": 2}`)", "{b: d.b, \"10\": d.\"10\", a: `1.0`}",
    # backtick literals that are not JSON: legacy raw strings
    "`foo`", "`  foo bar`", "`{bad`", "`[1, 2`", "`a\\`b`", "'a\\\\b'", "'it\\'s'", "`\"unterminated`", "`tru`",
    # slices and projections
    "n[::-1]", "n[-2:]", "n[5:1:-2]", "n[1]", "n[-1]", "n[10]", "s[0]", "d.*", "n[::0]", "empty[0]",
    # evaluation errors (exit 255)
    "length(`1`)", "length(@, @)", "not_null()", "foo(@)", "merge()", "max(`[1, \"a\"]`)", "sort(`[1, \"a\"]`)",
    "sort_by(mixed, &a)", "max_by(mixed, &a)", "sort_by(objs, &@)", "join(',', `[1]`)", "contains('abc', `1`)",
    "ceil(`1E400`)", "avg(`[\"a\"]`)", "`1` < `\"a\"`", "abs('x')", "to_number(d)",
    # compile errors (exit 252)
    "[?", "a.", "a ~ b", "'x", "a.`b`", "foo[", "a[1:2:3:4]", "=", "a =", "-", "\"\\q\"", "\"a\"(b)", "@(1)", "a b", "!",
    "{a: b", "{1: b}", "", "a[?b==`1`]]", "a||", "&", "`x", "a[1", "a.[", "[1,",
]


def aws_json(value):
    if value == {}:
        return ""
    return json.dumps(value, indent=4, ensure_ascii=False) + "\n"


def case(expression):
    try:
        compiled = jmespath.compile(expression)
    except Exception as e:
        return {"expression": expression, "compileError": "Bad value for --query %s: %s" % (expression, e)}
    try:
        result = compiled.search(json.loads(DATA))
    except Exception as e:
        return {"expression": expression, "error": str(e)}
    return {"expression": expression, "stdout": aws_json(result)}


out = os.path.join(os.path.dirname(__file__), "..", "test", "output", "fixtures", "query-cases.json")
with open(out, "w", encoding="utf-8") as f:
    json.dump({"jmespath": jmespath.__version__, "data": DATA, "cases": [case(e) for e in EXPRESSIONS]}, f, indent=1, ensure_ascii=False)
    f.write("\n")
print("%d cases (jmespath.py %s) written to %s" % (len(EXPRESSIONS), jmespath.__version__, out))
