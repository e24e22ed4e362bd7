"""A Jupyter kernel for bp (one `bp --serve` per kernel) and a Pygments lexer for `.bp`."""
__version__ = "0.1.0"
