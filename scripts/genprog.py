#!/usr/bin/env python3
"""Grammar-based fuzzing of bp: writes random programs from bp's grammar (docs: SPEC.md
sections 3-7) and runs the release binary on each, as a script (`bp FILE`), as a shell
session (`bp -i EMPTY < FILE`, where an error does not stop the rest) or as `bp --check FILE`.

A finding is any exit status other than 0/1/2/130, any signal, or a timeout. Each distinct
cause (the signal or status plus the trap message) is saved once in the findings folder:
the program, its minimized form (line and expression delta reduction), the command, and
the standard error of the minimized program run with Swift's backtracer on.

Usage: scripts/genprog.py [--seconds S | --count N] [--bp PATH] [--out DIR] [--seed N]
                          [--timeout S] [--print | --write DIR N]
  --print writes one program to standard output; --write N programs into DIR (seeds for
  libFuzzer); neither runs bp.
"""
import argparse
import hashlib
import os
import random
import re
import shutil
import subprocess
import sys
import tempfile
import time

# ---------------------------------------------------------------------------------------
# the grammar

VARS = ["a", "b", "c", "x", "y", "W", "L", "s", "t", "δ"]
FUNCS = ["f", "g", "h"]
KEYWORDS_AS_VALUES = ["true", "false", "none"]
EDGE_NUMBERS = ["0", "-0", "1", "-1", "2", "0.5", ".5", "1e308", "-1e308", "1e-300", "1e-320",
                "1e400", "nan", "inf", "-inf", "2^53", "2^53 + 1", "2^60", "2^63", "2^64", "-2^63",
                "9007199254740993", "1e16", "1e19", "2^31", "2^32", "1e6", "1e9", "-1e9", "3.5",
                "-2.5", "0.1", "1000", "65536", "4294967296", "e", "pi"]
SIZES = ["1", "2", "3", "4", "1", "2", "3"]
EDGE_SIZES = ["0", "-1", "-5", "1000", "1e6", "1e9", "2^53", "2^60", "2^63", "nan", "inf",
              "-inf", "2.5", "-0", "1e308", "1000000", "1001", "true", "none", "\"3\"", "[2, 2]"]

UNARY_FUNCS = ["exp", "log", "sqrt", "abs", "sin", "cos", "tan", "tanh", "sigmoid", "relu",
               "softplus", "floor", "ceil", "isnan", "any", "all", "len", "str", "float",
               "shape", "size", "transpose", "flatten", "detach", "const", "copy", "print"]
REDUCTIONS = ["sum", "mean", "norm", "max", "min"]
CREATORS = ["zeros", "ones", "rand", "randn"]
BINARY_OPS = ["+", "-", "*", "/", "@", "%", "^", "**"]
COMPARE_OPS = ["<", "<=", ">", ">=", "==", "!="]
FORMAT_TYPES = ["", "f", "e", "g", "d", "%", "E", "G", "s", "x", "n", "b"]
META = [":vars", ":help", ":help sum", ":reset", ":precision 3", ":precision 0", ":precision 17",
        ":precision 99999999999999999999", ":time x = 1", ":time for i in range(3) { }", "?sigmoid",
        "?nothing", ":quit", ":nonsense", ":help backward", ":vars x"]


class Gen:
    def __init__(self, rng):
        self.r = rng
        self.depth = 0
        self.funcs = []       # (name, number of parameters)
        self.in_function = False
        self.loop_depth = 0

    def chance(self, p):
        return self.r.random() < p

    def pick(self, xs):
        return self.r.choice(xs)

    # -- literals ------------------------------------------------------------------------
    def number(self):
        if self.chance(0.3):
            return self.pick(EDGE_NUMBERS)
        if self.chance(0.5):
            return str(self.r.randint(0, 5))
        return self.pick(["0.25", "1.5", "-3", "2.0", "1e-3", "2.5E+4", "7", "0.001", "10"])

    def size(self):
        return self.pick(EDGE_SIZES) if self.chance(0.08) else self.pick(SIZES)

    def tensor_literal(self):
        rows = self.r.randint(1, 3)
        cols = self.r.randint(1, 3)
        num = lambda: self.pick(["0", "1", "-1", "2", "0.5", "-2.5", "3", "1e-3", "1e308", "1e-300"])
        if self.chance(0.4):
            return "[" + ", ".join(num() for _ in range(cols)) + "]"
        if self.chance(0.1):  # ragged: a list or an error
            return "[[1, 2], [3]]"
        if self.chance(0.05):
            return "[" * 3 + num() + "]" * 3
        return "[" + ", ".join("[" + ", ".join(num() for _ in range(cols)) + "]" for _ in range(rows)) + "]"

    def string(self):
        return self.pick(['"abc"', '""', '"a\\n\\tb"', '"\\"q\\""', '"δ→x"', '"1.5"', '"nan"', '" inf "',
                          '"-inf"', '"1e400"', '"x"'])

    def fstring(self):
        parts = []
        for _ in range(self.r.randint(1, 3)):
            if self.chance(0.3):
                parts.append(self.pick(["loss ", "a=", "{{", "}}", " % ", "δ"]))
                continue
            e = self.expr(no_strings=True)
            if '"' in e:  # an f-string's expression has no '"'
                e = self.number()
            spec = self.format_spec() if self.chance(0.7) else ""
            parts.append("{" + e + (":" + spec if spec or self.chance(0.1) else "") + "}")
        return 'f"' + "".join(parts) + '"'

    def format_spec(self):
        s = ""
        if self.chance(0.2):
            s += self.pick(["*", "0", "x", " ", "δ"]) + self.pick(["<", ">", "^", "="])
        elif self.chance(0.3):
            s += self.pick(["<", ">", "^", "="])
        if self.chance(0.2):
            s += self.pick(["+", "-", " "])
        if self.chance(0.05):
            s += "#"
        if self.chance(0.15):
            s += "0"
        if self.chance(0.4):
            s += self.pick(["1", "5", "10", "0", "100", "1000", "100000", "99999999999999999999",
                            "9223372036854775807", "2147483648"])
        if self.chance(0.2):
            s += self.pick([",", "_"])
        if self.chance(0.5):
            s += "." + self.pick(["0", "1", "2", "4", "6", "17", "50", "100", "400", "1000",
                                  "99999999999999999999", ""])
        if self.chance(0.7):
            s += self.pick(FORMAT_TYPES)
        if self.chance(0.03):
            s += self.pick(["{", "}", ":", "!r", "ff", "%%"])
        return s

    # -- expressions ---------------------------------------------------------------------
    def name(self):
        if self.chance(0.03):
            return self.pick(["pi", "e", "inf", "nan", "args", "_", "sum", "sigmoid", "unknown_name",
                              "sigmod", "α", "x1"])
        return self.pick(VARS)

    def expr(self, no_strings=False, d=None):
        if d is None:
            d = self.depth
        if d > 4 or self.chance(0.25 + 0.12 * d):
            return self.atom(no_strings)
        self.depth = d + 1
        try:
            k = self.r.random()
            if k < 0.25:
                op = self.pick(BINARY_OPS)
                return f"{self.expr(no_strings)} {op} {self.expr(no_strings)}"
            if k < 0.32:
                return f"{self.pick(['-', '+', 'not ', '-', '- -'])}{self.expr(no_strings)}"
            if k < 0.40:
                n = 1 if self.chance(0.7) else 2
                out = self.expr(no_strings)
                for _ in range(n):
                    out += f" {self.pick(COMPARE_OPS)} {self.expr(no_strings)}"
                return out
            if k < 0.44:
                return f"{self.expr(no_strings)} {self.pick(['and', 'or'])} {self.expr(no_strings)}"
            if k < 0.70:
                return self.call(no_strings)
            if k < 0.80:
                return self.index(self.postfix_base(no_strings), no_strings)
            if k < 0.86:
                return f"{self.postfix_base(no_strings)}.{self.pick(['T', 'shape', 'grad', 'value', 'name', 'size', 'sum()', 'mean()', 'reshape(2, 1)', 'layers', 'nope'])}"
            if k < 0.92:
                return f"({self.expr(no_strings)})"
            if k < 0.96:
                items = [self.expr(no_strings) for _ in range(self.r.randint(0, 3))]
                return "[" + ", ".join(items) + "]"
            return self.atom(no_strings)
        finally:
            self.depth = d

    def postfix_base(self, no_strings):
        return self.pick([self.name(), self.name(), "(" + self.expr(no_strings) + ")", self.tensor_literal(), self.call(no_strings)])

    def atom(self, no_strings=False):
        k = self.r.random()
        if k < 0.35:
            return self.name()
        if k < 0.6:
            return self.number()
        if k < 0.72:
            return self.tensor_literal()
        if k < 0.78:
            return self.pick(KEYWORDS_AS_VALUES)
        if k < 0.85 and not no_strings:
            return self.string() if self.chance(0.6) else self.fstring()
        if k < 0.9:
            return "[]"
        return f"{self.pick(CREATORS)}({', '.join(self.size() for _ in range(self.r.randint(0, 3)))})"

    def index(self, base, no_strings):
        items = []
        for _ in range(self.r.randint(1, 3)):
            k = self.r.random()
            if k < 0.5:
                items.append(self.pick(["0", "1", "-1", "2", "-2", "i", "0.5", "2^53", "-2^63", "1e19",
                                        "nan", "inf", "true", "[0, 1]", "x > 0", "none", "\"a\""])
                             if self.chance(0.7) else self.expr(no_strings))
            else:
                lo = self.pick(["", "0", "1", "-1", "-5", "100", "2^60", "nan"])
                hi = self.pick(["", "0", "2", "-1", "3", "1e19", "-2^63"])
                st = self.pick(["", "", "1", "2", "-1", "0", "-2", "2^63"])
                items.append(f"{lo}:{hi}" + (f":{st}" if st or self.chance(0.2) else ""))
        return f"{base}[{', '.join(items)}]"

    def args(self, positional, no_strings, keywords=()):
        out = [self.expr(no_strings) for _ in range(positional)]
        for k in keywords:
            if self.chance(0.4):
                out.append(f"{k}={self.kwvalue(k, no_strings)}")
        return ", ".join(out)

    def kwvalue(self, k, no_strings):
        if k in ("axis",):
            return self.pick(["0", "1", "-1", "2", "-3", "none", "0.5", "2^63", "[0, 1]", "nan"])
        if k in ("keepdims", "accumulate", "trace", "create_graph"):
            return self.pick(["true", "false", "1", "0", "none", "nan"])
        if k in ("argnum",):
            return self.pick(["0", "1", "-1", "5", "2^63", "0.5"])
        if k in ("h", "tol", "slope"):
            return self.pick(["1e-5", "0", "-1", "1e308", "nan", "inf", "1e-300", "0.1"])
        return self.expr(no_strings)

    def call(self, no_strings=False):
        k = self.r.random()
        e = lambda: self.expr(no_strings)
        if k < 0.2:
            return f"{self.pick(UNARY_FUNCS)}({e()})"
        if k < 0.32:
            return f"{self.pick(REDUCTIONS)}({self.args(1, no_strings, ['axis', 'keepdims'])})"
        if k < 0.42:
            fn = self.pick(CREATORS + ["full", "eye", "linspace", "arange", "uniform", "range", "reshape"])
            n = self.r.randint(0, 3)
            sizes = ", ".join(self.size() for _ in range(n))
            if fn == "full":
                return f"full({sizes}{', ' if sizes else ''}{self.number()})"
            if fn == "eye":
                return f"eye({self.size()})"
            if fn == "linspace":
                return f"linspace({self.number()}, {self.number()}{', ' + self.size() if self.chance(0.7) else ''})"
            if fn in ("arange", "range"):
                return f"{fn}({', '.join(self.pick([self.size(), self.number()]) for _ in range(self.r.randint(1, 3)))})"
            if fn == "uniform":
                return f"uniform({self.number()}, {self.number()}{', ' if sizes else ''}{sizes})"
            if fn == "reshape":
                return f"reshape({e()}, {sizes or self.size()}{', -1' if self.chance(0.3) else ''})"
            return f"{fn}({sizes})"
        if k < 0.52:
            fn = self.pick(["maximum", "minimum", "max", "min", "where", "clip", "close", "leaky_relu",
                            "softmax", "log_softmax", "argmax", "round", "append", "concat", "stack",
                            "hstack", "vstack", "column_stack", "seed", "help", "time"])
            if fn in ("maximum", "minimum", "max", "min"):
                return f"{fn}({e()}, {e()})"
            if fn == "where":
                return f"where({e()}, {e()}, {e()})"
            if fn == "clip":
                return f"clip({e()}, {self.number()}, {self.number()})"
            if fn == "close":
                return f"close({e()}, {e()}{', tol=' + self.kwvalue('tol', no_strings) if self.chance(0.3) else ''})"
            if fn == "leaky_relu":
                return f"leaky_relu({self.args(1, no_strings, ['slope'])})"
            if fn in ("softmax", "log_softmax", "argmax"):
                return f"{fn}({self.args(1, no_strings, ['axis'])})"
            if fn == "round":
                return f"round({e()}{', ' + self.pick(['0', '2', '-1', '400', '-400', '2^63', 'nan']) if self.chance(0.5) else ''})"
            if fn == "append":
                n = self.name()
                return f"append({n}, {self.pick([n, e(), e()])})"  # also a list inside itself
            if fn in ("concat", "stack"):
                return f"{fn}([{', '.join(e() for _ in range(self.r.randint(0, 3)))}]{', axis=' + self.kwvalue('axis', no_strings) if self.chance(0.4) else ''})"
            if fn in ("hstack", "vstack", "column_stack"):
                return f"{fn}([{', '.join(e() for _ in range(self.r.randint(0, 3)))}])"
            if fn == "seed":
                return f"seed({self.pick(['0', '1', '42', '-1', '2^32', '2^32 - 1', '0.5', 'nan', '2^64'])})"
            if fn == "help":
                return "help(" + self.pick(['sum', '"sigmoid"', '', '1', 'f', '"nope"']) + ")"
            return "time()"
        if k < 0.6:
            return self.autodiff_call(no_strings)
        if k < 0.7:
            return self.network_call(no_strings)
        if k < 0.85 and self.funcs:
            name, n = self.pick(self.funcs)
            m = max(0, n + self.pick([0, 0, 0, -1, 1]))
            return f"{name}({', '.join(e() for _ in range(m))})"
        if k < 0.9:
            return f"{self.name()}({e()})"  # calling a variable: an error or a function
        return f"{self.pick(UNARY_FUNCS)}({e()})"

    def network_call(self, no_strings=False):
        """Networks, losses, optimizers, training, data sets and terminal pictures (SPEC §8);
        never a file (save, load, csv and file= write or read anywhere)."""
        e = lambda: self.expr(no_strings)
        act = lambda: self.pick(["sigmoid", "relu", "tanh", "none", "exp", "1", '"relu"', self.name()])
        init = lambda: self.pick(['"xavier"', '"he"', '"normal"', '0.5', '-1', 'nan', '"nope"', '1e308'])
        small = lambda: self.pick(["0", "1", "2", "3", "-1", "2.5", "nan", "50"])
        sizes = lambda: "[" + ", ".join(self.pick(SIZES + ["0", "-1", "2.5"]) for _ in range(self.r.randint(0, 4))) + "]"
        loss = lambda: self.pick(["mse", "bce", "bce_logits", "cross_entropy", "hinge", "sigmoid", self.name()])
        k = self.r.randint(0, 17)
        if k == 0:
            return f"mlp({sizes()}, act={act()}, out={act()}, bias={self.pick(['true', 'false', '1'])}, init={init()})"
        if k == 1:
            return f"dense({self.size()}, {self.size()}, act={act()}, init={init()})"
        if k == 2:
            return f"seq(dense({self.size()}, {self.size()}), {act()}{', ' + e() if self.chance(0.3) else ''})"
        if k == 3:
            return f"{loss()}({e()}, {e()})"
        if k == 4:
            return (f"train({self.name()}, {e()}, {e()}, loss={loss()}, lr={self.number()}, epochs={small()}, "
                    f"batch={small()}, quiet={self.pick(['true', 'false'])}{', every=' + small() if self.chance(0.3) else ''})")
        if k == 5:
            return f"predict({self.name()}, {e()})"
        if k == 6:
            return f"accuracy({e()}, {e()})"
        if k == 7:
            return self.pick(["xor()", f"spiral({self.pick(SIZES + ['0', '1', '7', '-2', '2.5'])}, {self.number()})",
                              f"moons({self.size()}, {self.number()})", f"circles({self.size()}, {self.number()})"])
        if k == 8:
            return self.pick([f"sgd(lr={self.number()}, momentum={self.number()})",
                              f"adam(lr={self.number()}, beta1={self.number()}, beta2={self.number()}, eps={self.number()})"])
        if k == 9:
            return f"step({e()}, {self.pick([self.name(), '[' + self.name() + ']', e()])})"
        if k == 10:
            return f"clip_grad({self.name()}, {self.number()})"
        if k in (11, 12):
            return f"{self.pick(['params', 'summary', 'gradnorms'])}({self.name()})"
        if k == 13:
            return f"{self.pick(['dead', 'predict'])}({self.name()}, {e()})"
        if k == 14:
            return f"diagnose({self.name()}, {e()}, {e()}{', loss=' + loss() if self.chance(0.4) else ''})"
        if k == 15:
            return f"plot({e()}{', ' + e() if self.chance(0.4) else ''}{', log=true' if self.chance(0.3) else ''})"
        if k == 16:
            return f"boundary({self.name()}, {e()}, {e()})"
        return f"{self.name()}({e()})"  # a network (or anything) called

    def autodiff_call(self, no_strings=False):
        e = lambda: self.expr(no_strings)
        k = self.r.random()
        if k < 0.25:
            return f"grad({e()}, {self.pick([self.name(), '[' + self.name() + ', ' + self.name() + ']', e()])}{', create_graph=true' if self.chance(0.3) else ''})"
        if k < 0.45:
            if self.funcs:
                name, _ = self.pick(self.funcs)
            else:
                name = self.pick(["sigmoid", "exp", "sin", "tanh", "sum"])
            inner = f"grad({name}{', argnum=' + self.kwvalue('argnum', no_strings) if self.chance(0.2) else ''})"
            if self.chance(0.3):
                inner = f"grad({inner})"
            return f"{inner}({e()})" if self.chance(0.8) else inner
        if k < 0.6:
            return f"numgrad({e()}, {self.name()}{', h=' + self.kwvalue('h', no_strings) if self.chance(0.3) else ''})"
        if k < 0.7:
            return f"gradcheck({e()})"
        if k < 0.75:
            return f"zero_grad({', '.join(self.name() for _ in range(self.r.randint(0, 2)))})"
        if k < 0.85:
            return self.explorer_call(no_strings)
        return f"backward({self.backward_args(no_strings)})"

    def explorer_call(self, no_strings=False):
        """The chain-rule explorers of issue 10: graph, explain, nudge, compare, check."""
        e = lambda: self.expr(no_strings)
        k = self.r.random()
        if k < 0.2:
            extra = "".join(f", {w}={self.kwvalue(w, no_strings)}" for w in ["depth", "nodes"] if self.chance(0.2))
            return f"graph({e()}{extra})"
        if k < 0.4:
            return f"explain({e()}{', ' + self.pick([self.name(), e()]) if self.chance(0.5) else ''})"
        if k < 0.55:
            return f"nudge({e()}, {self.pick([self.name(), e()])}{', h=' + self.kwvalue('h', no_strings) if self.chance(0.3) else ''})"
        if k < 0.7:
            return f"compare({e()}, {e()})"
        answers = ", ".join(f"{self.pick([self.name(), 't1', 't2', 'x'])}={e()}" for _ in range(self.r.randint(0, 3)))
        return f"check({e()}{', ' + answers if answers else ''})"

    def backward_args(self, no_strings=False):
        out = [self.expr(no_strings)]
        if self.chance(0.15):
            out.append(self.expr(no_strings))
        for k in ["accumulate", "trace", "create_graph"]:
            if self.chance(0.2):
                out.append(f"{k}={self.kwvalue(k, no_strings)}")
        return ", ".join(out)

    # -- statements ----------------------------------------------------------------------
    def block(self, indent, n=None):
        n = n if n is not None else self.r.randint(1, 3)
        return [self.statement(indent + "  ") for _ in range(n)]

    def statement(self, indent=""):
        self.depth = 0
        k = self.r.random()
        nested = len(indent) // 2
        if k < 0.22:
            return f"{indent}{self.name()} = {self.expr()}"
        if k < 0.27:
            return f"{indent}{self.name()} := {self.expr()}"
        if k < 0.33:
            return f"{indent}{self.name()} {self.pick(['+=', '-=', '*=', '/='])} {self.expr()}"
        if k < 0.38:
            base = self.name()
            return f"{indent}{self.index(base, False)} = {self.pick([self.expr(), base, base])}"
        if k < 0.41:
            return f"{indent}{self.name()}, {self.name()} = {self.expr()}"
        if k < 0.47 and nested < 3:
            branches = [f"{indent}if {self.expr()} {{"] + self.block(indent)
            for _ in range(self.r.randint(0, 2)):
                branches += [f"{indent}}} elif {self.expr()} {{"] + self.block(indent)
            if self.chance(0.5):
                branches += [f"{indent}}} else {{"] + self.block(indent)
            return "\n".join(branches + [f"{indent}}}"])
        if k < 0.54 and nested < 2:
            seq = self.pick([f"range({self.r.randint(0, 6)})", f"range({self.r.randint(-3, 3)}, {self.r.randint(0, 8)}, {self.pick(['1', '2', '-1', '3'])})",
                             self.name(), f"[{self.name()}, {self.name()}]", self.tensor_literal(), '"abc"', "range(2^53 - 2, 2^53)"])
            self.loop_depth += 1
            body = self.block(indent)
            if self.chance(0.3):
                body.append(f"{indent}  {self.pick(['break', 'continue'])}")
            self.loop_depth -= 1
            return "\n".join([f"{indent}for {self.pick(['i', 'j', 'p', 'x'])} in {seq} {{"] + body + [f"{indent}}}"])
        if k < 0.57 and nested < 2:
            n = self.r.randint(1, 20)
            counter = f"n{self.loop_depth}_"  # one per nesting level, or an inner loop resets the outer one's
            self.loop_depth += 1
            body = self.block(indent)
            self.loop_depth -= 1
            return "\n".join([f"{indent}{counter} = 0", f"{indent}while {counter} < {n} {{", f"{indent}  {counter} += 1"] + body + [f"{indent}}}"])
        if k < 0.62 and nested == 0 and not self.in_function:
            return self.define_function(indent)
        if k < 0.65 and nested < 2:
            return "\n".join([f"{indent}nograd {{"] + self.block(indent) + [f"{indent}}}"])
        if k < 0.75:
            return f"{indent}backward({self.backward_args()})"
        if k < 0.8:
            return f"{indent}{self.autodiff_call()}"
        if k < 0.85:
            return f"{indent}print({', '.join(self.expr() for _ in range(self.r.randint(0, 3)))})"
        if k < 0.88:
            return f"{indent}assert {self.expr()}{', ' + self.string() if self.chance(0.5) else ''}"
        if k < 0.9 and self.in_function:
            return f"{indent}return {self.expr()}"
        if k < 0.92:
            return f"{indent}print({self.fstring()})"
        return f"{indent}{self.expr()}"

    def define_function(self, indent):
        name = self.pick(FUNCS)
        nparams = self.r.randint(0, 3)
        params = [f"p{i}" for i in range(nparams)]
        ndefaults = self.r.randint(0, nparams)
        decl = [p if i < nparams - ndefaults else f"{p}={self.expr()}" for i, p in enumerate(params)]
        self.funcs = [f for f in self.funcs if f[0] != name] + [(name, nparams)]
        saved = VARS[:]
        VARS.extend(params)
        self.in_function = True
        try:
            if self.chance(0.4):
                return f"{indent}def {name}({', '.join(decl)}) = {self.expr()}"
            body = self.block(indent, self.r.randint(1, 4))
            body.append(f"{indent}  return {self.expr()}")
            return "\n".join([f"{indent}def {name}({', '.join(decl)}) {{"] + body + [f"{indent}}}"])
        finally:
            VARS[:] = saved
            self.in_function = False

    # -- special shapes of programs ----------------------------------------------------------
    def special(self):
        """Programs aimed at limits: recursion depth, nesting depth, long chains, cycles."""
        k = self.r.randint(0, 12)
        depth = self.pick(["10", "1000", "9999", "10000", "19999", "20000", "20001", "100000", "1e6"])
        if k == 0:
            return f"def r(n) {{\n  if n <= 0 {{ return 0 }}\n  return r(n - 1) + 1\n}}\nprint(r({depth}))"
        if k == 1:
            return f"def r(n) = r(n + 1)\nr(0)"
        if k == 2:
            n = self.pick([999, 1000, 1001, 5000])
            inner = self.pick(["(", "[", "-", "not ", "+", "f(", "x["])
            close = {"(": ")", "[": "]", "f(": ")", "x[": "]"}.get(inner, "")
            return "x = " + inner * n + "1" + close * n
        if k == 3:
            n = self.pick([500, 1000, 3000, 6000])
            op = self.pick([" + ", " * ", " - ", " and ", " < ", " ^ ", " @ "])
            return "a = 1\nx = " + op.join(["a"] * n) + ("\nbackward(x)" if self.chance(0.5) else "")
        if k == 4:
            return "L = [1, \"a\"]\nL[0] = L\nprint(L)\nprint(str(L))\nprint(len(L))\nM = [L, L]\nprint(M == M)\n" + self.pick(["print(L + L)", "print(f\"{L}\")", "L2 = L * 2", "s = sum(L)", "backward(L)", "print(L == L)", "x = L @ L"])
        if k == 5:
            n = self.pick([1000, 10000, 200000])
            return f"a = 1\ns = a\nfor i in range({n}) {{\n  s = s + a * 1.0001\n}}\nbackward(s)\nprint(a.grad)\n" + self.pick(["gradcheck(s)", "numgrad(s, a)", "grad(s, a)", "s = 0"])
        if k == 6:
            d = self.pick([50, 200, 999, 1000, 1001])
            lines = []
            for i in range(d):
                lines.append("  " * min(i, 50) + "if true {")
            lines.append("x = 1")
            for i in range(d):
                lines.append("}")
            return "\n".join(lines)
        if k == 7:
            f = self.pick(["x ^ 3", "sin(x) * x", "exp(x)", "x / x", "sqrt(x)", "log(x)", "relu(x)", "abs(x)", "x ^ 0.5", "0 ^ x"])
            depth = self.r.randint(1, 6)
            g = "f"
            for _ in range(depth):
                g = f"grad({g})"
            return f"def f(x) = {f}\nprint({g}({self.number()}))"
        if k == 8:
            return f"a := b\nb := a\nprint({self.pick(['a', 'b', 'a + b', 'backward(a)'])})"
        if k == 9:
            n = self.pick(["1", "2", "1000", "1e6", "1001", "2^31", "2^63"])
            return f"x = ones({n})\ny = x @ x\nz = {self.pick(['sum', 'mean', 'max', 'norm'])}(reshape(x, -1, {self.size()}), axis={self.pick(['0', '1', '-1'])})"
        if k == 10:
            spec = self.format_spec()
            return f"x = {self.number()}\nprint(f\"{{x:{spec}}}\")\nprint(f\"{{[1, 2]:{spec}}}\")\nprint(f\"{{\"s\":{spec}}}\")"
        if k == 11:
            return f"x = {self.number()}\ny = x * x\ny2 := y + x\nbackward(y2, create_graph=true)\ng = x.grad\nbackward(g{', accumulate=true' if self.chance(0.5) else ''})\nprint(x.grad)\nprint(grad(grad(y, x, create_graph=true), x))"
        return "\n".join(self.pick(META) for _ in range(self.r.randint(1, 4)))

    def program(self):
        self.funcs = []
        if self.chance(0.08):
            return self.special() + "\n"
        lines = []
        # a few bindings first so later statements find their names
        for v in self.r.sample(VARS, self.r.randint(2, 6)):
            lines.append(f"{v} = {self.pick([self.number(), self.tensor_literal(), self.expr(), 'randn(' + self.size() + ', ' + self.size() + ')'])}")
        for _ in range(self.r.randint(2, 14)):
            lines.append(self.statement())
        if self.chance(0.1):
            lines.insert(self.r.randint(0, len(lines)), self.pick(META))
        return "\n".join(lines) + "\n"


# ---------------------------------------------------------------------------------------
# running and judging

OK_STATUSES = {0, 1, 2, 130}


def run(bp, path, mode, timeout, empty, backtrace=False):
    """Runs bp on the program; returns (status, stderr). Status is the exit code, minus the
    signal number, or "timeout". With `backtrace`, Swift's backtracer is on and a run that
    times out gets SIGQUIT first, so its standard error shows where it was stuck."""
    env = dict(os.environ)
    env["BP_MAX_ELEMENTS"] = env.get("BP_MAX_ELEMENTS", "1000000")
    env["SWIFT_BACKTRACE"] = "enable=yes,interactive=no,color=no,threads=all" if backtrace else "enable=no"
    env["BP_HISTORY"] = os.path.join(os.path.dirname(path), "history")
    env["NO_COLOR"] = "1"
    if mode == "script":
        cmd, stdin = [bp, path], subprocess.DEVNULL
    elif mode == "check":
        cmd, stdin = [bp, "--check", path], subprocess.DEVNULL
    else:
        cmd, stdin = [bp, "-i", empty], open(path, "rb")
    p = subprocess.Popen(cmd, stdin=stdin, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
                         cwd=os.path.dirname(path), env=env)
    try:
        _, err = p.communicate(timeout=timeout)
        status = p.returncode
    except subprocess.TimeoutExpired:
        status = "timeout"
        stuck = gdb_attach(p.pid) if backtrace else ""
        p.kill()
        _, err = p.communicate()
        err = (err or b"") + stuck.encode()
    finally:
        if stdin is not subprocess.DEVNULL:
            stdin.close()
    return status, (err or b"").decode("utf-8", "replace")


def demangle(text):
    swift = shutil.which("swift")
    if not swift:
        return text
    return subprocess.run([swift, "demangle", "--simplified"], input=text.encode(), capture_output=True,
                          timeout=60).stdout.decode("utf-8", "replace")


def gdb_attach(pid):
    """Every thread's stack of a running (stuck) process, from gdb, demangled."""
    if not shutil.which("gdb"):
        return ""
    try:
        r = subprocess.run(["gdb", "-q", "-batch", "-p", str(pid), "-ex", "thread apply all bt 40"],
                           stdin=subprocess.DEVNULL, capture_output=True, timeout=60)
    except subprocess.TimeoutExpired:
        return ""
    return "\n" + demangle(r.stdout.decode("utf-8", "replace"))


GDB_FRAME = re.compile(r"^#\d+\s+(?:0x[0-9a-f]+ in )?(.*?) \(.*\) at (\S*/Sources/(?:BP\w+|bp)/\S+?):(\d+)")


FRAME = re.compile(r"^\s*\d+ (?:\[ra\] |\[inlined\] |\[thunk\] |\[system\] )*\s*0x[0-9a-f]+ (.*?)(?: \+ \d+)? in bp at (\S+)$")


def top_frames(stderr, n=3):
    """The first frames in bp's own sources of the thread that crashed (for a hang, of the
    thread that was running bp's code), as 'Function (File.swift:line)'."""
    threads, current = [], None
    for line in stderr.splitlines():
        if re.match(r"^Thread \d+", line):
            current = {"crashed": "crashed" in line, "frames": []}
            threads.append(current)
            continue
        if current is None:
            continue
        m = FRAME.match(line)
        if m and "/Sources/" in m.group(2):
            fn = re.sub(r"^(specialized |closure #\d+ in |partial apply for |implicit closure #\d+ in |merged )+", "", m.group(1))
            fn = re.sub(r"\(.*", "", fn)
            where = os.path.basename(m.group(2)).rsplit(":", 1)[0]
            current["frames"].append(f"{fn} ({where})")
            continue
        m = GDB_FRAME.match(line)
        if m:
            fn = re.sub(r"^(specialized |closure #\d+ in |partial apply for |implicit closure #\d+ in |merged )+", "", m.group(1))
            fn = re.sub(r"\(.*", "", fn)
            current["frames"].append(f"{fn} ({os.path.basename(m.group(2))}:{m.group(3)})")
    crashed = [t for t in threads if t["crashed"]]
    busy = [t for t in threads if t["frames"] and not any(k in t["frames"][0] for k in ("BigStack", "BP.run", "main"))]
    for t in crashed + busy + threads:
        if t["frames"]:
            return t["frames"][:n]
    return []


def gdb_frames(bp, path, mode, empty, n=3):
    """Where a crash happened, from gdb, when Swift's backtracer printed nothing (a stack
    overflow on bp's 512 MiB interpreter stack): 'Function (File.swift:line)'."""
    if not shutil.which("gdb"):
        return []
    args = {"script": [path], "check": ["--check", path], "shell": ["-i", empty]}[mode]
    run_cmd = "run" + (f" < {path}" if mode == "shell" else "")
    env = dict(os.environ, BP_MAX_ELEMENTS=os.environ.get("BP_MAX_ELEMENTS", "1000000"),
               SWIFT_BACKTRACE="enable=no", BP_HISTORY=os.path.join(os.path.dirname(path), "history"))
    try:
        r = subprocess.run(["gdb", "-q", "-batch", "-ex", run_cmd, "-ex", "bt 60", "--args", bp] + args,
                           stdin=subprocess.DEVNULL, capture_output=True, timeout=120, env=env,
                           cwd=os.path.dirname(path))
        text = demangle(r.stdout.decode("utf-8", "replace"))
    except (subprocess.TimeoutExpired, OSError):
        return []
    out = []
    for line in text.splitlines():
        m = GDB_FRAME.match(line)
        if m:
            fn = re.sub(r"^(specialized |closure #\d+ in |partial apply for |implicit closure #\d+ in |merged )+", "", m.group(1))
            fn = re.sub(r"\(.*", "", fn)
            out.append(f"{fn} ({os.path.basename(m.group(2))}:{m.group(3)})")
    return out[:n]


def signature(status, stderr, fallback_frames=()):
    """The cause of a finding: the status or signal, the trap message and the innermost frame
    in bp's sources (from a run with the backtracer on)."""
    if status == "timeout":
        what = "timeout"
    elif isinstance(status, int) and status < 0:
        what = f"signal {-status}"
    else:
        what = f"status {status}"
    msg = ""
    for line in stderr.splitlines():
        if "Fatal error" in line or "ERROR: AddressSanitizer" in line:
            msg = re.sub(r"\d+", "N", re.sub(r"0x[0-9a-f]+", "ADDR", line.split("Fatal error", 1)[-1])).strip(": ")
            break
    frames = top_frames(stderr, 1) or list(fallback_frames)[:1]
    return " ".join(x for x in [what + ":", msg, frames[0] if frames else ""] if x).rstrip(":")


def is_finding(status):
    return status == "timeout" or not (isinstance(status, int) and status in OK_STATUSES)


def minimize(bp, text, mode, timeout, empty, workdir, want, budget_s):
    """Delta reduction keeping the same signature: whole lines, then blocks with their
    braces, then bracketed sub-expressions and list items inside lines."""
    deadline = time.time() + budget_s
    path = os.path.join(workdir, "min.bp")
    tests = 0

    def same(candidate):
        nonlocal tests
        if time.time() > deadline:
            return False
        tests += 1
        with open(path, "w") as f:
            f.write(candidate)
        st, err = run(bp, path, mode, timeout, empty)
        if not is_finding(st):
            return False
        if want.startswith("timeout"):
            # where a hang is caught varies from run to run: any timeout will do
            return st == "timeout"
        st, err = run(bp, path, mode, timeout, empty, backtrace=True)
        if not is_finding(st):
            return False
        gdb = gdb_frames(bp, path, mode, empty) if st != "timeout" and not top_frames(err) else []
        return signature(st, err, gdb) == want

    lines = text.rstrip("\n").split("\n")
    changed = True
    while changed and time.time() < deadline:
        changed = False
        # chunks of lines, halving
        chunk = max(1, len(lines) // 2)
        while chunk >= 1:
            i = 0
            while i < len(lines):
                cand = lines[:i] + lines[i + chunk:]
                if cand and same("\n".join(cand) + "\n"):
                    lines = cand
                    changed = True
                else:
                    i += chunk
            chunk //= 2
        # a block header and its closing brace, keeping the body (dedented)
        for i, line in enumerate(lines):
            if not line.rstrip().endswith("{"):
                continue
            depth, j = 0, i
            while j < len(lines):
                depth += lines[j].count("{") - lines[j].count("}")
                if depth <= 0:
                    break
                j += 1
            if j >= len(lines) or j == i or lines[j].strip() != "}":
                continue
            cand = lines[:i] + [l[2:] if l.startswith("  ") else l for l in lines[i + 1:j]] + lines[j + 1:]
            if same("\n".join(cand) + "\n"):
                lines = cand
                changed = True
                break
        # expressions inside lines: a bracketed group by its content or by 1, an item dropped
        for li in range(len(lines)):
            progress = True
            while progress and time.time() < deadline:
                progress = False
                for cand_line in expression_candidates(lines[li]):
                    cand = lines[:li] + [cand_line] + lines[li + 1:]
                    if same("\n".join(cand) + "\n"):
                        lines = cand
                        changed = progress = True
                        break
    return "\n".join(lines) + "\n", tests


def expression_candidates(line):
    """Smaller variants of one line, biggest cuts first."""
    spans = []
    stack = []
    pairs = {")": "(", "]": "["}
    in_str = False
    for i, ch in enumerate(line):
        if ch == '"' and (i == 0 or line[i - 1] != "\\"):
            in_str = not in_str
        if in_str:
            continue
        if ch in "([":
            stack.append((ch, i))
        elif ch in ")]" and stack and stack[-1][0] == pairs[ch]:
            _, j = stack.pop()
            spans.append((j, i))
    spans.sort(key=lambda s: s[0] - s[1])  # longest first
    out = []
    for j, i in spans:
        inner = line[j + 1:i]
        if not inner:
            continue
        # replace the whole group (with its callee name, if any) by its content or by 1
        k = j
        while k > 0 and (line[k - 1].isalnum() or line[k - 1] == "_"):
            k -= 1
        out.append(line[:k] + "(" + inner + ")" + line[i + 1:]) if k < j else None
        out.append(line[:j + 1] + "1" + line[i:])
        # drop one comma-separated item at the top level of the group
        items, depth, start = [], 0, 0
        for m, ch in enumerate(inner):
            if ch in "([":
                depth += 1
            elif ch in ")]":
                depth -= 1
            elif ch == "," and depth == 0:
                items.append(inner[start:m])
                start = m + 1
        items.append(inner[start:])
        if len(items) > 1:
            for m in range(len(items)):
                rest = items[:m] + items[m + 1:]
                out.append(line[:j + 1] + ",".join(rest).strip() + line[i:])
        for item in items:
            if item.strip() and item.strip() != inner.strip():
                out.append(line[:j + 1] + item.strip() + line[i:])
    # binary operators: keep one side
    for m in re.finditer(r" (\+|-|\*|/|@|%|\^|\*\*|and|or|<|<=|>|>=|==|!=) ", line):
        left, right = line[:m.start()], line[m.end():]
        eq = left.find(" = ")
        if eq >= 0:
            out.append(left)
            out.append(left[:eq + 3] + right)
    return [c for c in out if c is not None and c != line]


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--seconds", type=float, default=None)
    ap.add_argument("--count", type=int, default=None)
    ap.add_argument("--bp", default=None)
    ap.add_argument("--out", default=None, help="findings folder")
    ap.add_argument("--seed", type=int, default=None)
    ap.add_argument("--timeout", type=float, default=5.0)
    ap.add_argument("--minimize-seconds", type=float, default=60.0)
    ap.add_argument("--print", action="store_true")
    ap.add_argument("--write", nargs=2, metavar=("DIR", "N"), help="write N programs into DIR and stop")
    a = ap.parse_args()

    seed = a.seed if a.seed is not None else random.randrange(1 << 30)
    rng = random.Random(seed)
    gen = Gen(rng)
    if a.print:
        sys.stdout.write(gen.program())
        return 0
    if a.write:
        os.makedirs(a.write[0], exist_ok=True)
        k = 0
        while k < int(a.write[1]):
            text = gen.program()
            if len(text) > 2000:  # long chains are slow to compile: poor seeds
                continue
            with open(os.path.join(a.write[0], f"genprog-{seed}-{k}.bp"), "w") as f:
                f.write(text)
            k += 1
        return 0

    root = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    bp = a.bp or os.path.join(root, ".build", "release", "bp")
    if not os.access(bp, os.X_OK):
        sys.exit(f"genprog: no bp binary at {bp} (swift build -c release --product bp)")
    out = a.out or os.path.join(os.environ.get("BP_FUZZ_DIR", os.path.expanduser("~/.cache/bp-fuzz")), "findings", "genprog")
    os.makedirs(out, exist_ok=True)
    seen = set(os.listdir(out))
    work = tempfile.mkdtemp(prefix="genprog-")
    empty = os.path.join(work, "empty.bp")
    open(empty, "w").close()
    path = os.path.join(work, "prog.bp")

    start = time.time()
    limit_s = a.seconds if a.seconds is not None else (None if a.count else 60.0)
    programs = findings = new = hangs_saved = slow = 0
    statuses = {}
    try:
        while True:
            if a.count is not None and programs >= a.count:
                break
            if limit_s is not None and time.time() - start >= limit_s:
                break
            text = gen.program()
            mode = rng.choices(["script", "shell", "check"], weights=[55, 35, 10])[0]
            with open(path, "w") as f:
                f.write(text)
            status, err = run(bp, path, mode, a.timeout, empty)
            programs += 1
            key = status if isinstance(status, str) else (f"signal {-status}" if status < 0 else status)
            statuses[key] = statuses.get(key, 0) + 1
            if not is_finding(status):
                continue
            if status == "timeout":
                if hangs_saved >= 5:
                    continue
                # under load a slow program can miss the limit: give it four times as long
                t0 = time.time()
                left = limit_s - (t0 - start) if limit_s is not None else 4 * a.timeout
                st, _ = run(bp, path, mode, max(a.timeout, min(4 * a.timeout, left)), empty)
                if st != "timeout":
                    slow += 1
                    os.makedirs(os.path.join(out, "slow"), exist_ok=True)
                    with open(os.path.join(out, "slow", f"{seed}-{programs}.bp"), "w") as f:
                        f.write(f"# {mode}: took {time.time() - t0:.1f} s, status {st}\n" + text)
                    continue
            findings += 1
            status2, err2 = run(bp, path, mode, a.timeout, empty, backtrace=True)
            if not is_finding(status2):
                print(f"genprog: a {status} did not repeat ({mode}); kept in {out}/flaky", flush=True)
                os.makedirs(os.path.join(out, "flaky"), exist_ok=True)
                with open(os.path.join(out, "flaky", f"{programs}.bp"), "w") as f:
                    f.write(text)
                continue
            status, err = status2, err2
            gdb = []
            if status != "timeout" and not top_frames(err):
                gdb = gdb_frames(bp, path, mode, empty)
            sig = signature(status, err, gdb)
            slug = re.sub(r"[^A-Za-z0-9]+", "-", sig)[:60].strip("-") + "-" + hashlib.sha1(sig.encode()).hexdigest()[:8]
            if slug in seen or (status == "timeout" and hangs_saved >= 5):
                continue
            hangs_saved += status == "timeout"
            seen.add(slug)
            new += 1
            d = os.path.join(out, slug)
            os.makedirs(d, exist_ok=True)
            with open(os.path.join(d, "program.bp"), "w") as f:
                f.write(text)
            with open(os.path.join(d, "stderr.txt"), "w") as f:
                f.write(err)
            print(f"genprog: finding ({mode}): {sig} -> {d}", flush=True)
            remaining = limit_s - (time.time() - start) if limit_s is not None else a.minimize_seconds
            small, tests = minimize(bp, text, mode, a.timeout, empty, work, sig,
                                    min(a.minimize_seconds, max(5.0, remaining)))
            with open(os.path.join(d, "minimized.bp"), "w") as f:
                f.write(small)
            mpath = os.path.join(work, "min.bp")
            with open(mpath, "w") as f:
                f.write(small)
            st, merr = run(bp, mpath, mode, a.timeout, empty, backtrace=True)
            if st != "timeout" and not top_frames(merr):
                frames = gdb_frames(bp, mpath, mode, empty, n=8)
                merr += "".join(f"\n(gdb) {fr}" for fr in frames)
            with open(os.path.join(d, "minimized.stderr.txt"), "w") as f:
                f.write(merr)
            cmd = {"script": "bp minimized.bp", "check": "bp --check minimized.bp",
                   "shell": "bp -i EMPTY.bp < minimized.bp"}[mode]
            with open(os.path.join(d, "command.txt"), "w") as f:
                f.write(f"{cmd}\n# BP_MAX_ELEMENTS=1000000; status {status}; signature: {sig}\n")
            with open(os.path.join(d, "signature.txt"), "w") as f:
                f.write(sig + "\n")
            print(f"genprog:   minimized to {small.count(chr(10))} lines in {tests} runs", flush=True)
    except KeyboardInterrupt:
        pass
    finally:
        shutil.rmtree(work, ignore_errors=True)
    elapsed = time.time() - start
    print(f"genprog: {programs} programs in {elapsed:.0f} s (seed {seed}), {findings} crashes/timeouts, "
          f"{new} new distinct causes, {slow} slow (over {a.timeout:g} s, under {4 * a.timeout:g} s); "
          f"statuses {statuses}; reproducers in {out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
