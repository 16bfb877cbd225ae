"""The largest module and the largest function under a folder, in lines.

Why: the layout aims at modules under 450 lines and functions under 60 (STYLE.md);
this prints the maxima so a change that grows one past them is seen.

    python benchmarks/code_sizes.py pipeline
"""

from __future__ import annotations

import ast
import sys
from pathlib import Path


def sizes(root: Path) -> tuple[list[tuple[int, str]], list[tuple[int, str]]]:
    """(lines, module) and (lines, module:function) for every .py file under ``root``."""
    modules, functions = [], []
    for path in sorted(root.rglob("*.py")):
        text = path.read_text(encoding="utf-8")
        modules.append((len(text.splitlines()), str(path)))
        for node in ast.walk(ast.parse(text)):
            if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
                start = min([node.lineno, *(d.lineno for d in node.decorator_list)])
                functions.append((node.end_lineno - start + 1, f"{path}:{node.lineno} {node.name}"))
    return sorted(modules, reverse=True), sorted(functions, reverse=True)


def main(argv: list[str]) -> int:
    root = Path(argv[0] if argv else "pipeline")
    modules, functions = sizes(root)
    print("largest modules:", *(f"  {n:4d} {name}" for n, name in modules[:5]), sep="\n")
    print("largest functions:", *(f"  {n:4d} {name}" for n, name in functions[:8]), sep="\n")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
