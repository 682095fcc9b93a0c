"""Rewrite `assert` statements in test code so a failure explains itself, like pytest does.

Runs in the server (the test code is trusted content); the sandbox only executes the result. Each
rewritten assert evaluates every part exactly once and in the original order, keeping the values in
hidden locals (names starting with `@`, which no source code can spell), and on failure raises the
real AssertionError with a short explanation built by the runner's `@explain_*` helpers.
"""

from __future__ import annotations

import ast

# Names the runner defines in the test namespace; `@` keeps them out of reach of source code.
ASSERTION_ERROR = "@AssertionError"
EXPLAIN_COMPARE = "@explain_compare"
EXPLAIN_CALL = "@explain_call"
EXPLAIN_NOT = "@explain_not"
EXPLAIN_VALUE = "@explain_value"
EXPLAIN_MESSAGE = "@explain_message"

_OPERATORS = {
    ast.Eq: "==", ast.NotEq: "!=", ast.Lt: "<", ast.LtE: "<=", ast.Gt: ">", ast.GtE: ">=",
    ast.Is: "is", ast.IsNot: "is not", ast.In: "in", ast.NotIn: "not in",
}


_RAISES_CONTEXTS = ("pytest.raises", "self.assertRaises", "self.assertRaisesRegex")


class _AssertRewriter(ast.NodeTransformer):
    def __init__(self, source: str) -> None:
        self._source = source
        self._counter = 0

    def _hold(self, node: ast.expr) -> tuple[ast.NamedExpr, ast.Name]:
        """`(@vN := node)` plus a load of @vN."""
        name = f"@v{self._counter}"
        self._counter += 1
        store = ast.NamedExpr(target=ast.Name(id=name, ctx=ast.Store()), value=node)
        return store, ast.Name(id=name, ctx=ast.Load())

    def _text(self, node: ast.expr) -> ast.Constant:
        segment = ast.get_source_segment(self._source, node) or ast.unparse(node)
        return ast.Constant(value=" ".join(segment.split()))

    def visit_Assert(self, node: ast.Assert) -> ast.stmt:
        if node.msg is not None and self._single_compare(node.test):
            # The author's message and the values compared, as unittest shows both.
            test, compared = self._explained(node.test)
            explanation = _call(EXPLAIN_MESSAGE, [compared, node.msg])
        elif node.msg is not None:
            test, explanation = node.test, node.msg
        else:
            test, explanation = self._explained(node.test)
        failure = ast.Raise(
            exc=ast.Call(func=ast.Name(id=ASSERTION_ERROR, ctx=ast.Load()), args=[explanation], keywords=[]),
            cause=None,
        )
        rewritten = ast.If(test=ast.UnaryOp(op=ast.Not(), operand=test), body=[failure], orelse=[])
        return ast.copy_location(rewritten, node)

    def visit_With(self, node: ast.With) -> ast.stmt:
        """`with pytest.raises(E):` / `with self.assertRaises(E):` learn the source of their body, so the
        shims (test_styles.py) can say "expected E to be raised by f(-1); nothing was raised"."""
        self.generic_visit(node)
        body = "; ".join(self._text(statement).value for statement in node.body if isinstance(statement, ast.Expr))
        for item in node.items:
            call = item.context_expr
            if isinstance(call, ast.Call) and ast.unparse(call.func) in _RAISES_CONTEXTS and body \
                    and not any(k.arg == "_source" for k in call.keywords):
                call.keywords.append(ast.keyword(arg="_source", value=ast.Constant(body[:120])))
        return node

    @staticmethod
    def _single_compare(test: ast.expr) -> bool:
        return isinstance(test, ast.Compare) and len(test.ops) == 1 and type(test.ops[0]) in _OPERATORS

    def _explained(self, test: ast.expr) -> tuple[ast.expr, ast.expr]:
        if self._single_compare(test):
            assert isinstance(test, ast.Compare)
            left_store, left = self._hold(test.left)
            right_store, right = self._hold(test.comparators[0])
            op = _OPERATORS[type(test.ops[0])]
            new_test = ast.Compare(left=left_store, ops=test.ops, comparators=[right_store])
            args = [left, ast.Constant(op), right, self._text(test.left), self._text(test.comparators[0])]
            return new_test, _call(EXPLAIN_COMPARE, args)
        if isinstance(test, ast.Call) and _plain_call(test):
            func_store, _ = self._hold(test.func)  # evaluated first, as in the original
            held_args = [self._hold(arg) for arg in test.args]
            held_kwargs = [(kw.arg, self._hold(kw.value)) for kw in test.keywords]
            result_store, result = self._hold(ast.Call(
                func=func_store,
                args=[store for store, _ in held_args],
                keywords=[ast.keyword(arg=name, value=store) for name, (store, _) in held_kwargs],
            ))
            # (keyword or None, value, source text) per argument
            described = [
                ast.Tuple(elts=[ast.Constant(None), load, self._text(arg)], ctx=ast.Load())
                for arg, (_, load) in zip(test.args, held_args, strict=True)
            ] + [
                ast.Tuple(elts=[ast.Constant(name), load, self._text(kw.value)], ctx=ast.Load())
                for kw, (name, (_, load)) in zip(test.keywords, held_kwargs, strict=True)
            ]
            args = [result, self._text(test.func), ast.List(elts=described, ctx=ast.Load()), self._text(test)]
            return result_store, _call(EXPLAIN_CALL, args)
        if isinstance(test, ast.UnaryOp) and isinstance(test.op, ast.Not):
            store, load = self._hold(test.operand)
            return ast.UnaryOp(op=ast.Not(), operand=store), _call(EXPLAIN_NOT, [load, self._text(test.operand)])
        store, load = self._hold(test)
        return store, _call(EXPLAIN_VALUE, [load, self._text(test)])


def _plain_call(call: ast.Call) -> bool:
    return not any(isinstance(arg, ast.Starred) for arg in call.args) and all(
        kw.arg is not None for kw in call.keywords
    )


def _call(helper: str, args: list[ast.expr]) -> ast.Call:
    return ast.Call(func=ast.Name(id=helper, ctx=ast.Load()), args=args, keywords=[])


def rewrite_asserts(tree: ast.Module, source: str) -> ast.Module:
    """Return `tree` with every assert statement rewritten (the tree is modified in place)."""
    rewritten = _AssertRewriter(source).visit(tree)
    return ast.fix_missing_locations(rewritten)
