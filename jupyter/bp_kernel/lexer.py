"""A Pygments lexer for bp (`.bp` files and notebook cells).

Registered as a plugin (the `pygments.lexers` entry point in pyproject.toml). Pygments itself
already gives the alias `bp` to its Soong lexer (Android.bp build files), and its own lexers
are looked up before plugins, so this lexer's name is `bplang`:
`pygments.lexers.get_lexer_by_name("bplang")` and `get_lexer_for_filename("x.bp")` find it, and
nbconvert highlights a notebook whose language_info says `"pygments_lexer": "bplang"`.
"""
from pygments.lexer import RegexLexer, bygroups, include, words
from pygments.token import (Comment, Keyword, Name, Number, Operator, Punctuation, String,
                            Text, Whitespace)

__all__ = ["BpLexer"]

KEYWORDS = ("def", "if", "elif", "else", "for", "in", "while", "return", "break", "continue",
            "nograd", "assert")
WORD_OPERATORS = ("and", "or", "not")
CONSTANTS = ("true", "false", "none")
BUILTIN_CONSTANTS = ("pi", "inf", "nan", "args")
META_COMMANDS = ("help", "vars", "reset", "load", "save", "time", "precision", "quit", "q",
                 "exit")
BUILTINS = (
    # autodiff and the chain-rule tools
    "backward", "grad", "zero_grad", "detach", "const", "copy", "numgrad", "gradcheck",
    "graph", "dot", "render", "explain", "nudge", "compare", "check",
    # math
    "exp", "log", "sqrt", "abs", "sin", "cos", "tan", "tanh", "sigmoid", "relu", "softplus",
    "maximum", "minimum", "clip", "leaky_relu", "where",
    # general
    "print", "str", "len", "append", "range", "close", "float", "round", "time", "shape",
    "size", "isnan", "any", "all", "help", "seed",
    # tensors
    "zeros", "ones", "randn", "rand", "eye", "arange", "linspace", "reshape", "sum", "mean",
    "max", "min", "argmax", "transpose", "stack", "concat", "flatten", "full", "norm",
    "uniform", "int", "log_softmax", "softmax",
    # networks, losses, optimizers, training, diagnostics
    "mlp", "dense", "seq", "params", "summary", "mse", "bce", "bce_logits", "cross_entropy",
    "hinge", "sgd", "adam", "step", "clip_grad", "train", "predict", "accuracy", "gradnorms",
    "dead", "diagnose", "save", "load",
    # data sets and pictures
    "xor", "spiral", "moons", "circles", "csv", "plot", "boundary",
)


class BpLexer(RegexLexer):
    """bp: Python-like statements with braces, tensors, `:=` formulas and `@` products."""

    name = "bp"
    aliases = ["bplang", "bp-lang", "bp"]  # "bp" finds Soong first (see above)
    filenames = ["*.bp"]
    mimetypes = ["text/x-bp"]

    tokens = {
        "root": [
            (r"\n", Whitespace),
            # shell meta commands and ?name at the start of a line (as in a cell)
            (r"^([ \t]*)(:(?:%s))\b" % "|".join(META_COMMANDS),
             bygroups(Whitespace, Keyword.Pseudo)),
            (r"^([ \t]*)(\?)([A-Za-z_][\w.]*)", bygroups(Whitespace, Operator, Name)),
            (r"^#!.*$", Comment.Hashbang),
            (r"#.*$", Comment.Single),
            include("expr"),
            (r".", Text),
        ],
        "expr": [
            (r"[ \t\r]+", Whitespace),
            (r"(def)([ \t]+)([^\W\d]\w*)", bygroups(Keyword, Whitespace, Name.Function)),
            (words(KEYWORDS, suffix=r"\b"), Keyword),
            (words(WORD_OPERATORS, suffix=r"\b"), Operator.Word),
            (words(CONSTANTS, suffix=r"\b"), Keyword.Constant),
            (words(BUILTIN_CONSTANTS, suffix=r"\b"), Name.Builtin.Pseudo),
            (words(BUILTINS, suffix=r"\b"), Name.Builtin),
            include("numbers"),
            (r'[fF]"', String.Affix, "fstring"),
            (r'"', String.Double, "string"),
            (r"\.(grad|value|name|shape|T|layers)\b", Name.Attribute),
            (r"[^\W\d]\w*", Name),
            (r":=|\*\*|\+=|-=|\*=|/=|==|!=|<=|>=|[-+*/%@^<>=]", Operator),
            (r"[()\[\]{},.;:]", Punctuation),
        ],
        "numbers": [
            (r"(\d+\.\d*|\.\d+)([eE][+-]?\d+)?", Number.Float),
            (r"\d+[eE][+-]?\d+", Number.Float),
            (r"\d+", Number.Integer),
        ],
        "escapes": [
            (r'\\[nt"\\{}]', String.Escape),
        ],
        "string": [
            include("escapes"),
            (r'"', String.Double, "#pop"),
            (r'[^"\\]+', String.Double),
            (r"\\", String.Double),
        ],
        "fstring": [
            include("escapes"),
            (r"\{\{|\}\}", String.Escape),
            (r"\{", String.Interpol, "interpolation"),
            (r'"', String.Double, "#pop"),
            (r'[^"\\{}]+', String.Double),
            (r"[\\}]", String.Double),
        ],
        "interpolation": [
            (r"\}", String.Interpol, "#pop"),
            (r"(:)([^}\"]*)(?=\})", bygroups(String.Interpol, String.Interpol)),
            (r"\n", Whitespace),
            include("expr"),
            (r".", Text),
        ],
    }
